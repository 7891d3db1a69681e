package com.xloud.image.store.swift.internal;

import com.xloud.image.api.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.OutputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Swift's object API over one pooled Jetty client: small calls with their answer in memory, and
 * streams both ways for object data (never a whole object in memory). Requests carry the token of
 * {@link SwiftAuth}; a small call Swift refuses with 401 is sent once more with a new token.
 */
final class SwiftClient {
    private final HttpClient http;
    private final SwiftAuth auth;
    private final Duration timeout;

    SwiftClient(HttpClient http, SwiftAuth auth, Duration timeout) {
        this.http = http;
        this.auth = auth;
        this.timeout = timeout;
    }

    /** {@code container/object} as a URL path, each part percent-encoded. */
    static String path(String container, String object) {
        return "/" + encode(container) + (object == null ? "" : "/" + encode(object));
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The account's storage URL, authenticating first when needed. */
    String storageUrl() {
        return auth.current().storageUrl();
    }

    /** A call whose answer is small; {@code path} is below the storage URL, with its query. */
    ContentResponse call(HttpMethod method, String path, Map<String, String> headers, String json) {
        SwiftAuth.Grant grant = auth.current();
        ContentResponse r = once(grant, method, path, headers, json);
        if (r.getStatus() == 401) {
            r = once(auth.renew(grant), method, path, headers, json);
        }
        return r;
    }

    private ContentResponse once(SwiftAuth.Grant grant, HttpMethod method, String path, Map<String, String> headers,
                                 String json) {
        Request request = request(grant, method, path);
        headers.forEach((k, v) -> request.headers(h -> h.put(k, v)));
        if (json != null) {
            request.body(new StringRequestContent("application/json", json));
        }
        try {
            return request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while calling Swift", e);
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(method + " " + path, e);
        }
    }

    private Request request(SwiftAuth.Grant grant, HttpMethod method, String path) {
        return http.newRequest(grant.storageUrl() + path).method(method)
                .headers(h -> h.put("X-Auth-Token", grant.token()))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    StoreException unreachable(String what, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new StoreException("Swift did not answer " + what + ": " + cause.getMessage(), cause);
    }

    /**
     * Starts a streamed PUT of {@code path}; the caller writes the body to {@link Upload#body()}.
     * With a known {@code length} the request carries a Content-Length (Swift reads such bodies
     * cheaper than chunked ones); -1 sends it chunked.
     */
    Upload put(String path, long length) {
        SwiftAuth.Grant grant = auth.current();
        OutputStreamRequestContent content = new OutputStreamRequestContent("application/octet-stream") {
            @Override
            public long getLength() {
                return length;
            }
        };
        // the whole upload may take long: only silence counts, not the total time
        Request request = http.newRequest(grant.storageUrl() + path).method(HttpMethod.PUT)
                .headers(h -> h.put("X-Auth-Token", grant.token()))
                .idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .body(content);
        CompletableFuture<ContentResponse> answer = new CompletableResponseListener(request).send();
        return new Upload(grant, path, request, content, answer);
    }

    /** One object being written. */
    final class Upload {
        private final SwiftAuth.Grant grant;
        private final String path;
        private final Request request;
        private final OutputStreamRequestContent content;
        private final CompletableFuture<ContentResponse> answer;

        Upload(SwiftAuth.Grant grant, String path, Request request, OutputStreamRequestContent content,
               CompletableFuture<ContentResponse> answer) {
            this.grant = grant;
            this.path = path;
            this.request = request;
            this.content = content;
            this.answer = answer;
        }

        OutputStream body() {
            return content.getOutputStream();
        }

        /** Ends the body and returns Swift's ETag of the object; a refusal or a broken connection throws. */
        String finish() {
            end();
            return etag();
        }

        /** Ends the body without waiting for Swift's answer ({@link #etag()} waits for it). */
        void end() {
            try {
                content.getOutputStream().close();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** Swift's answer to an ended body: its ETag of the object; a refusal or a broken connection throws. */
        String etag() {
            try {
                ContentResponse r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (r.getStatus() == 401) {
                    auth.renew(grant);
                }
                if (r.getStatus() != 201) {
                    throw new StoreException("Swift refused PUT " + path + ": " + r.getStatus() + " "
                            + r.getContentAsString().strip());
                }
                return r.getHeaders().get("Etag");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                request.abort(e);
                throw new StoreException("interrupted while writing to Swift", e);
            } catch (ExecutionException | TimeoutException e) {
                request.abort(e);
                throw unreachable("PUT " + path, e);
            }
        }

        /**
         * Waits for the answer to an ended body whatever it is, so that the object is either stored
         * or refused once this returns (within the timeout); nothing is thrown.
         */
        void settle() {
            try {
                answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                request.abort(e);
            }
        }

        /** What went wrong, preferring Swift's own answer when it refused the body early. */
        StoreException failed(IOException e) {
            request.abort(e);
            ContentResponse early = answer.getNow(null);
            if (early != null && early.getStatus() != 201) {
                return new StoreException("Swift refused PUT " + path + ": " + early.getStatus() + " "
                        + early.getContentAsString().strip(), e);
            }
            return new StoreException("writing " + path + " to Swift failed: " + e.getMessage(), e);
        }

        /** Gives up the upload: the connection is closed without ending the body, so Swift keeps nothing. */
        void abort(Throwable cause) {
            request.abort(cause);
        }
    }

    /** An object's data opened for reading; the status is 200 or 206. */
    record Opened(int status, HttpFields headers, InputStream body) {
    }

    /**
     * GETs {@code path}, the bytes {@code first} to {@code last} (inclusive; -1: to the end). A
     * 404 answers null; another refusal throws.
     */
    Opened get(String path, long first, long last) {
        SwiftAuth.Grant grant = auth.current();
        Opened o = open(grant, path, first, last);
        if (o != null && o.status() == 401) {
            o = open(auth.renew(grant), path, first, last);
        }
        if (o == null) {
            return null;
        }
        if (o.status() != 200 && o.status() != 206) {
            String why = drain(o.body());
            throw new StoreException("Swift refused GET " + path + ": " + o.status() + " " + why);
        }
        return o;
    }

    private Opened open(SwiftAuth.Grant grant, String path, long first, long last) {
        Request request = http.newRequest(grant.storageUrl() + path).method(HttpMethod.GET)
                .headers(h -> h.put("X-Auth-Token", grant.token()))
                .idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (first > 0 || last >= 0) {
            request.headers(h -> h.put("Range", "bytes=" + first + "-" + (last >= 0 ? Long.toString(last) : "")));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response r = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            InputStream body = listener.getInputStream();
            if (r.getStatus() == 404) {
                body.close();
                return null;
            }
            return new Opened(r.getStatus(), r.getHeaders(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new StoreException("interrupted while reading from Swift", e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            request.abort(e);
            throw unreachable("GET " + path, e);
        }
    }

    private static String drain(InputStream body) {
        try (body) {
            return new String(body.readNBytes(2048), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
