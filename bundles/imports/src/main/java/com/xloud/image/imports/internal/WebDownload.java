package com.xloud.image.imports.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches a web-download URI (or another image service's image, for glance-download) into the
 * staging area: redirects are followed by hand so that every hop of a web-download passes the
 * import filter, and a transfer that makes no progress for the stall time is cut.
 */
final class WebDownload implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final ImportFilter filter;
    private final Duration stallTimeout;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "web-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    WebDownload(ImportFilter filter, Duration connectTimeout, Duration stallTimeout) {
        this.filter = filter;
        this.stallTimeout = stallTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Null when {@code uri} may be downloaded; else why not. */
    String refusal(String uri) {
        try {
            return filter.refusal(new URI(uri));
        } catch (java.net.URISyntaxException e) {
            return "not a valid URI: " + e.getMessage();
        }
    }

    /** The body that the staging area reads, and the announced length (-1: unknown). */
    record Body(InputStream data, long length) {
    }

    /** Opens {@code uri} for web-download (every hop passes the import filter); the caller reads and closes the body. */
    Body open(String uri) throws IOException {
        return open(URI.create(uri), Map.of(), true);
    }

    /**
     * Opens {@code uri} with {@code headers} on every hop; with {@code filtered} each hop must pass
     * the import filter. Any answer but 200 is an {@link IOException} that names the status.
     */
    Body open(URI uri, Map<String, String> headers, boolean filtered) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            String refusal = filtered ? filter.refusal(current) : null;
            if (refusal != null) {
                throw new IOException("URI " + current + " does not pass import filtering: " + refusal);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(current).GET().timeout(stallTimeout.multipliedBy(2));
            headers.forEach(request::header);
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to " + current);
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot fetch " + current + ": " + e.getMessage());
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                current = current.resolve(response.headers().firstValue("Location").get());
                continue;
            }
            if (status != 200) {
                response.body().close();
                throw new IOException("HTTP " + status + " from " + current);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new Body(watched(response.body()), length);
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    /** A stream that is closed (so its reader fails) when no byte arrives for the stall time. */
    private InputStream watched(InputStream in) {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        InputStream stream = new java.io.FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                lastProgress.set(System.nanoTime());
                return n;
            }
        };
        ScheduledFuture<?>[] check = new ScheduledFuture<?>[1];
        check[0] = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastProgress.get() > stallTimeout.toNanos()) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // the reader sees the failure
                }
                check[0].cancel(false);
            }
        }, 1, 1, TimeUnit.SECONDS);
        return new java.io.FilterInputStream(stream) {
            @Override
            public void close() throws IOException {
                check[0].cancel(false);
                super.close();
            }
        };
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
