package com.xloud.image.store.http.internal;

import com.xloud.image.api.store.BoundedInputStream;
import com.xloud.image.api.store.DataDigests;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoreHealth;
import com.xloud.image.api.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glance's http store: images whose data stays at an http(s) URL. Read-only: images get such a
 * location through the location API ({@code POST /v2/images/{id}/locations}), never by upload,
 * and deleting the image leaves the data where it is (it is not the service's to delete). Sizes
 * come from {@code HEAD}, data from {@code GET} with a {@code Range} for partial reads; redirects
 * are followed; a server silent for longer than the io timeout fails the read.
 */
@Component(service = ImageStore.class, configurationPid = "com.xloud.image.store.http",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ImageStore.PROP_TYPE + "=http", ImageStore.PROP_READONLY + ":Boolean=true"})
@Designate(ocd = HttpStoreConfig.class, factory = true)
public final class HttpImageStore implements ImageStore {
    private static final Logger LOG = LoggerFactory.getLogger(HttpImageStore.class);

    /** How the store reaches servers; everything here may be shown to an admin. */
    record Settings(String storeId, boolean insecure, String caFile, String proxies, int maxRedirects,
                    Duration connectTimeout, Duration ioTimeout) {
    }

    private final Settings settings;
    private final HttpClient http;

    @Activate
    public HttpImageStore(HttpStoreConfig c) {
        this(new Settings(c.store_id(), c.https_insecure(), c.https_ca_certificates_file(),
                c.http_proxy_information(), c.http_max_redirects(), Duration.ofSeconds(c.http_connect_timeout()),
                Duration.ofSeconds(c.http_io_timeout())));
    }

    HttpImageStore(Settings settings) {
        this.settings = settings;
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls(settings));
        this.http = new HttpClient(new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11));
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("http-store-" + settings.storeId());
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setConnectTimeout(settings.connectTimeout().toMillis());
        http.setIdleTimeout(settings.ioTimeout().toMillis());
        http.setFollowRedirects(true);
        http.setMaxRedirects(settings.maxRedirects());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "xloud-image-http-store"));
        proxies(settings.proxies()).forEach(p -> http.getProxyConfiguration().addProxy(p));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client of http store " + settings.storeId() + " did not start", e);
        }
        LOG.info("http store {} ready (read-only{}{})", settings.storeId(),
                settings.insecure() ? ", server certificates NOT checked" : "",
                settings.proxies().isBlank() ? "" : ", proxies " + settings.proxies());
    }

    private static SslContextFactory.Client tls(Settings s) {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (s.insecure()) {
            tls.setTrustAll(true);
            tls.setEndpointIdentificationAlgorithm(null);
        } else if (!s.caFile().isBlank()) {
            tls.setTrustStore(trustStore(Path.of(s.caFile())));
        }
        return tls;
    }

    /** The certificates of a PEM (or DER) file as a trust store. */
    static KeyStore trustStore(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, cert);
            }
            if (n == 0) {
                throw new IllegalArgumentException("https_ca_certificates_file " + file + " holds no certificate");
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("https_ca_certificates_file " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** Glance's {@code http_proxy_information}: {@code scheme:host:port} entries, comma separated. */
    static List<HttpProxy> proxies(String spec) {
        if (spec == null || spec.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(spec.split(",")).map(String::strip).filter(e -> !e.isEmpty()).map(e -> {
            String[] parts = e.split(":");
            if (parts.length != 3 || !(parts[0].equals("http") || parts[0].equals("https"))) {
                throw new IllegalArgumentException("http_proxy_information entries are scheme:host:port, got " + e);
            }
            String scheme = parts[0];
            int port;
            try {
                port = Integer.parseInt(parts[2]);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("http_proxy_information: bad port in " + e, ex);
            }
            return (HttpProxy) new HttpProxy(parts[1], port) {
                @Override
                public boolean matches(Origin origin) {
                    return origin.getScheme().equalsIgnoreCase(scheme) && super.matches(origin);
                }
            };
        }).toList();
    }

    @Deactivate
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP client of http store {} did not stop cleanly: {}", settings.storeId(), e.toString());
        }
    }

    @Override
    public boolean owns(URI location) {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && location.getHost() != null;
    }

    private URI own(URI location) {
        if (!owns(location)) {
            throw new StoreException("http store " + settings.storeId() + " does not serve " + location);
        }
        return location;
    }

    /** Glance's http store takes no data: images are added by location. */
    @Override
    public StoredImage add(String imageId, InputStream data, long expectedSize, DataDigests digests) {
        throw new StoreException("http store " + settings.storeId() + " is read-only: add the image's URL as its"
                + " location instead");
    }

    @Override
    public long size(URI location) {
        Request head = http.newRequest(own(location)).method(HttpMethod.HEAD)
                .timeout(settings.ioTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ContentResponse r = send(head, location);
        if (r.getStatus() != 200) {
            throw new StoreException(location + " answered HEAD with HTTP " + r.getStatus());
        }
        long size = r.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (size < 0) {
            throw new StoreException(location + " does not tell its size (no Content-Length)");
        }
        return size;
    }

    private static ContentResponse send(Request request, URI location) {
        try {
            return request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while asking " + location, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new StoreException(location + " cannot be reached: " + cause.getMessage(), cause);
        }
    }

    @Override
    public InputStream get(URI location, long offset, long length) {
        own(location);
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        Request request = http.newRequest(location).method(HttpMethod.GET);
        if (offset > 0 || length > 0) {
            request.headers(h -> h.put(HttpHeader.RANGE, "bytes=" + offset + "-"
                    + (length > 0 ? String.valueOf(offset + length - 1) : "")));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response r;
        InputStream body;
        try {
            r = listener.get(settings.ioTimeout().toMillis(), TimeUnit.MILLISECONDS);
            body = listener.getInputStream();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new StoreException("interrupted while opening " + location, e);
        } catch (ExecutionException | TimeoutException e) {
            request.abort(e);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new StoreException(location + " cannot be reached: " + cause.getMessage(), cause);
        }
        if (r.getStatus() == 206) {
            return body;
        }
        if (r.getStatus() == 200) {
            // the server ignored the Range: skip to the offset and stop after length bytes
            try {
                body.skipNBytes(offset);
            } catch (IOException e) {
                closeQuietly(body);
                throw new StoreException(location + " ended before byte " + offset + ": " + e.getMessage(), e);
            }
            return length < 0 ? body : new BoundedInputStream(body, length);
        }
        closeQuietly(body);
        throw new StoreException(location + " answered GET with HTTP " + r.getStatus());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }

    /** Nothing to discard: this store never writes (its add refuses before reading a byte). */
    @Override
    public void discardPartial(String imageId) {
        LOG.debug("http store {}: no partial data of {} can exist", settings.storeId(), imageId);
    }

    /** The data is not the service's: deleting an image forgets the URL and leaves the data. */
    @Override
    public void delete(URI location) {
        LOG.debug("http store {}: {} stays where it is (read-only store)", settings.storeId(), location);
    }

    @Override
    public StoreHealth health() {
        return http.isRunning()
                ? StoreHealth.ok("read-only; each location's server is reached when the image is read", -1)
                : StoreHealth.down("the HTTP client is stopped");
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("https_insecure", settings.insecure());
        p.put("https_ca_certificates_file", settings.caFile());
        p.put("http_proxy_information", settings.proxies());
        p.put("max_redirects", settings.maxRedirects());
        p.put("connect_timeout", settings.connectTimeout().toSeconds());
        p.put("io_timeout", settings.ioTimeout().toSeconds());
        return p;
    }
}
