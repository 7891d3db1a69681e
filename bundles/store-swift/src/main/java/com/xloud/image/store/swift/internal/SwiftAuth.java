package com.xloud.image.store.swift.internal;

import com.xloud.image.keystone.KeystoneV3;
import com.xloud.image.api.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The token and storage URL of one Swift account, from tempauth (v1) or Keystone (v3), kept until
 * shortly before it expires or until Swift refuses it. The key is sent to the auth service and
 * nowhere else: no message or log line names it.
 */
final class SwiftAuth {
    /** A token is renewed this long before it expires, so that no request starts with a dying one. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    /** What the auth service granted. */
    record Grant(String token, String storageUrl, Instant expires) {
    }

    /** The credentials and where they go; {@code version} is "1" (tempauth) or "3" (Keystone). */
    record Settings(String address, String version, String user, String key, String userDomain, String projectDomain,
                    String serviceType, String endpointType, String region, Duration timeout) {
        Settings {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("swift.store.auth.address is required");
            }
            if (!"1".equals(version) && !"3".equals(version)) {
                throw new IllegalArgumentException("swift.store.auth.version must be 1 (tempauth) or 3 (Keystone v3), got "
                        + version);
            }
            if (user == null || user.isBlank() || key == null) {
                throw new IllegalArgumentException("swift.store.user and swift.store.key are required");
            }
            if ("3".equals(version) && user.indexOf(':') < 1) {
                throw new IllegalArgumentException("with Keystone v3, swift.store.user is 'project:user'");
            }
            address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        }
    }

    private final HttpClient http;
    private final Settings settings;
    private volatile Grant grant;

    SwiftAuth(HttpClient http, Settings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** A token that is good for a while yet, authenticating first when there is none. */
    Grant current() {
        Grant g = grant;
        if (g != null && Instant.now().plus(RENEW_BEFORE).isBefore(g.expires())) {
            return g;
        }
        return renew(g);
    }

    /** Swift refused {@code refused}: the next request authenticates again (once, whoever asks first). */
    synchronized Grant renew(Grant refused) {
        if (grant != refused && grant != null) {
            return grant;
        }
        grant = "1".equals(settings.version()) ? tempauth() : keystone();
        return grant;
    }

    /** Forgets the token, e.g. when the store stops. */
    void clear() {
        grant = null;
    }

    private Grant tempauth() {
        ContentResponse r = send(HttpMethod.GET, settings.address(), null, "X-Auth-User", settings.user(),
                "X-Auth-Key", settings.key());
        refusedUnless(r, 200);
        String token = r.getHeaders().get("X-Auth-Token");
        String url = r.getHeaders().get("X-Storage-Url");
        if (token == null || url == null) {
            throw new StoreException("the auth service at " + settings.address()
                    + " answered without X-Auth-Token or X-Storage-Url: it is not a tempauth endpoint");
        }
        String life = r.getHeaders().get("X-Auth-Token-Expires");
        Instant expires = Instant.now().plusSeconds(life == null ? 3600 : (long) Double.parseDouble(life));
        return new Grant(token, trimSlash(url), expires);
    }

    private Grant keystone() {
        int colon = settings.user().indexOf(':');
        KeystoneV3 keystone = new KeystoneV3(settings.address(), settings.timeout());
        KeystoneV3.Token t;
        try {
            t = keystone.issue(new KeystoneV3.Credentials(settings.user().substring(colon + 1), settings.key(),
                    settings.userDomain(), settings.user().substring(0, colon), settings.projectDomain()), true);
        } catch (KeystoneV3.Refused e) {
            if (e.status() == 0) {
                throw new StoreException("the auth service at " + settings.address() + " cannot be reached or read: "
                        + e.getMessage());
            }
            throw refusal(e.status(), 201);
        }
        // the interface as Glance names it (publicURL) or as Keystone does (public)
        String url = KeystoneV3.endpoint(t.catalog(), settings.serviceType(), settings.region(),
                settings.endpointType().replace("URL", "")).orElseThrow(() -> new StoreException("Keystone at "
                + settings.address() + " gave no " + settings.serviceType() + " endpoint (" + settings.endpointType()
                + ", region '" + settings.region() + "') in the catalog of the project"));
        return new Grant(t.id(), url, t.expiresAt());
    }

    private void refusedUnless(ContentResponse r, int expected) {
        if (r.getStatus() != expected) {
            throw refusal(r.getStatus(), expected);
        }
    }

    private StoreException refusal(int status, int expected) {
        if (status == 401 || status == 403) {
            return new StoreException("the auth service at " + settings.address() + " refused the store's credentials ("
                    + status + "): check swift.store.user and swift.store.key");
        }
        return new StoreException("the auth service at " + settings.address() + " answered " + status + " instead of "
                + expected);
    }

    private ContentResponse send(HttpMethod method, String url, String json, String... headers) {
        try {
            var request = http.newRequest(url).method(method)
                    .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < headers.length; i += 2) {
                String name = headers[i];
                String value = headers[i + 1];
                request.headers(h -> h.put(name, value));
            }
            if (json != null) {
                request.body(new StringRequestContent("application/json", json));
            }
            return request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while authenticating at " + settings.address(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new StoreException("the auth service at " + settings.address() + " cannot be reached: " + cause, e);
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
