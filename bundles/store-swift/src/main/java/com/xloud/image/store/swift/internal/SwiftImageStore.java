package com.xloud.image.store.swift.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.xloud.image.api.store.DataDigests;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.api.store.SizeMismatchException;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoreHealth;
import com.xloud.image.api.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images as objects in an OpenStack Swift container, as Glance's swift driver keeps them: one
 * object named by the image id, or above the large-object size a run of segments
 * {@code <id>-00001, <id>-00002, …} next to it plus a Static Large Object manifest under the image
 * id. The checksum of one object is Swift's ETag of it (the object server's md5 of what it wrote);
 * of a large object it comes from our own digests while streaming (a manifest's ETag is not the
 * content md5). A failed upload removes every segment it wrote; what Swift could not remove then is removed
 * in the background once it answers again.
 *
 * <p>Locations are {@code swift+<auth address>/<container>/<id>}, without credentials.
 */
@Component(service = ImageStore.class, configurationPid = "com.xloud.image.store.swift",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ImageStore.PROP_TYPE + "=swift", ImageStore.PROP_READONLY + ":Boolean=false"})
@Designate(ocd = SwiftStoreConfig.class, factory = true)
public final class SwiftImageStore implements ImageStore {
    private static final Logger LOG = LoggerFactory.getLogger(SwiftImageStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Swift's limit of segments in one Static Large Object manifest (slo max_manifest_segments). */
    private static final int MAX_SEGMENTS = 1000;
    private static final int BUFFER = 1 << 20;
    private static final long MIB = 1L << 20;

    /** How the store is set up; everything but the credentials may be shown to an admin. */
    record Layout(String storeId, String container, boolean createContainer, int containersSeed,
                  long largeObjectSize, long segmentSize, int retries) {
        Layout {
            if (container == null || container.isBlank() || container.contains("/")) {
                throw new IllegalArgumentException("swift.store.container must be a container name, got " + container);
            }
            if (containersSeed < 0 || containersSeed > 32) {
                throw new IllegalArgumentException("swift.store.multiple.containers.seed must be 0 to 32");
            }
            if (segmentSize < 1 || largeObjectSize < 1) {
                throw new IllegalArgumentException("swift.store.large.object.size and .chunk.size must be at least 1 MiB");
            }
        }
    }

    private final Layout layout;
    private final String authAddress;
    private final HttpClient http;
    private final SwiftAuth auth;
    private final SwiftClient swift;
    /** Object paths a failed upload left behind while Swift could not remove them; retried until gone. */
    private final Set<String> orphans = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "swift-orphans");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public SwiftImageStore(SwiftStoreConfig c) {
        this(new Layout(c.store_id(), c.swift_store_container(), c.swift_store_create_container_on_put(),
                        c.swift_store_multiple_containers_seed(), c.swift_store_large_object_size() * MIB,
                        c.swift_store_large_object_chunk_size() * MIB, c.swift_store_retry_get_count()),
                new SwiftAuth.Settings(c.swift_store_auth_address(), c.swift_store_auth_version(), c.swift_store_user(),
                        c.swift_store_key(), c.swift_store_user_domain_name(), c.swift_store_project_domain_name(),
                        c.swift_store_service_type(), c.swift_store_endpoint_type(), c.swift_store_region(),
                        Duration.ofSeconds(c.swift_store_io_timeout())),
                Duration.ofSeconds(c.swift_store_connect_timeout()), Duration.ofSeconds(c.swift_store_io_timeout()));
    }

    SwiftImageStore(Layout layout, SwiftAuth.Settings credentials, Duration connectTimeout, Duration ioTimeout) {
        this.layout = layout;
        this.authAddress = credentials.address();
        this.http = new HttpClient();
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("swift-" + layout.storeId());
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setIdleTimeout(ioTimeout.toMillis());
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(64);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "xloud-image-swift"));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client of Swift store " + layout.storeId() + " did not start", e);
        }
        this.auth = new SwiftAuth(http, credentials);
        this.swift = new SwiftClient(http, auth, ioTimeout);
        StoreHealth health = health();
        if (health.available()) {
            LOG.info("Swift store {}: {}", layout.storeId(), health.detail());
        } else {
            LOG.warn("Swift store {} starts unhealthy: {}", layout.storeId(), health.detail());
        }
        janitor.scheduleWithFixedDelay(this::removeOrphans, 5, 5, TimeUnit.SECONDS);
    }

    @Deactivate
    public void close() {
        janitor.shutdownNow();
        auth.clear();
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP client of Swift store {} did not stop cleanly: {}", layout.storeId(), e.toString());
        }
    }

    /** The container of an image: one, or with a seed one per first characters of the id (as Glance). */
    String containerFor(String imageId) {
        int seed = layout.containersSeed();
        return seed == 0 ? layout.container() : layout.container() + "_" + imageId.substring(0, Math.min(seed, imageId.length()));
    }

    String location(String container, String object) {
        return "swift+" + authAddress + "/" + container + "/" + object;
    }

    @Override
    public StoredImage add(String imageId, InputStream data, long expectedSize, DataDigests digests) {
        String container = containerFor(imageId);
        ensureContainer(container);
        List<String> written = new ArrayList<>();
        boolean done = false;
        try {
            boolean single = expectedSize >= 0 && expectedSize < layout.largeObjectSize();
            if (single) {
                // Swift's object server computes the md5 of what it writes and answers it as the
                // ETag: one digest less on this node's cores
                digests.md5FromStore();
            }
            PushbackInputStream in = new PushbackInputStream(data, 1);
            StoredImage stored;
            URI location = URI.create(location(container, imageId));
            Map<String, String> metadata = Map.of("store", layout.storeId());
            if (single || expectedSize < 0 && atEnd(in)) {
                written.add(SwiftClient.path(container, imageId));
                Segment object = stream(container, imageId, in, Math.max(expectedSize, 0), 0, expectedSize, new byte[BUFFER]);
                String etag = object.upload().finish();
                checkEnd(in, expectedSize, object.bytes());
                stored = single ? digests.result(location, metadata, etag) : digests.result(location, metadata);
            } else {
                long total = writeSegments(container, imageId, in, expectedSize, written);
                checkEnd(in, expectedSize, total);
                stored = digests.result(location, metadata);
            }
            done = true;
            return stored;
        } catch (IOException e) {
            throw new StoreException("Reading image " + imageId + " for Swift store " + layout.storeId() + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (!done) {
                removeAll(written);
            }
        }
    }

    private static void checkEnd(PushbackInputStream in, long expectedSize, long total) throws IOException {
        if (expectedSize >= 0 && !atEnd(in)) {
            throw new SizeMismatchException(expectedSize, total + 1);
        }
    }

    private static boolean atEnd(PushbackInputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            return true;
        }
        in.unread(b);
        return false;
    }

    /**
     * Segments of the segment size, each streamed in one PUT, then the manifest that joins them.
     * While Swift finishes a segment (it syncs the object to disk before it answers), the next one
     * already streams: the answer of a segment is awaited once the following segment's bytes are
     * sent and before that segment is ended, so at most one segment is ever awaited and a refused
     * one stops the upload with the next still open (aborted, never stored). Every segment is named
     * in {@code written} before its PUT starts, so a failure removes it too.
     */
    private long writeSegments(String container, String imageId, PushbackInputStream in, long expectedSize,
                               List<String> written) throws IOException {
        ArrayNode manifest = JSON.createArrayNode();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        Segment sent = null;
        try {
            for (int i = 1; expectedSize >= 0 ? total < expectedSize : i == 1 || !atEnd(in); i++) {
                if (i > MAX_SEGMENTS) {
                    throw new StoreException("the image does not fit in " + MAX_SEGMENTS + " segments of "
                            + layout.segmentSize() / MIB + " MiB of Swift store " + layout.storeId()
                            + ": raise swift.store.large.object.chunk.size");
                }
                String name = String.format("%s-%05d", imageId, i);
                written.add(SwiftClient.path(container, name));
                long size = expectedSize >= 0 ? Math.min(layout.segmentSize(), expectedSize - total) : layout.segmentSize();
                Segment segment = stream(container, name, in, size, total, expectedSize, buffer);
                if (sent != null) {
                    Segment previous = sent;
                    sent = null; // stored, refused or aborted once its answer is awaited
                    try {
                        addToManifest(manifest, container, previous, previous.upload().etag());
                    } catch (RuntimeException e) {
                        segment.upload().abort(e);
                        throw e;
                    }
                }
                segment.upload().end();
                sent = segment;
                total += segment.bytes();
                if (segment.bytes() < layout.segmentSize()) {
                    break;
                }
            }
            Segment last = sent;
            sent = null;
            addToManifest(manifest, container, last, last.upload().etag());
        } finally {
            if (sent != null) {
                // an ended segment is awaited before anything is removed: a removal racing its
                // PUT could leave it stored
                sent.upload().settle();
            }
        }
        String path = SwiftClient.path(container, imageId);
        written.add(path);
        ContentResponse r = swift.call(HttpMethod.PUT, path + "?multipart-manifest=put", Map.of(), manifest.toString());
        if (r.getStatus() != 201) {
            throw new StoreException("Swift refused the large object manifest of " + imageId + ": " + r.getStatus() + " "
                    + r.getContentAsString().strip());
        }
        return total;
    }

    private static void addToManifest(ArrayNode manifest, String container, Segment segment, String etag) {
        manifest.addObject().put("path", "/" + container + "/" + segment.name()).put("etag", etag)
                .put("size_bytes", segment.bytes());
    }

    /** One object whose bytes are sent; its PUT is not ended yet. */
    private record Segment(String name, long bytes, SwiftClient.Upload upload) {
    }

    /**
     * Streams up to {@code limit} bytes of {@code in} into one object, which starts {@code before}
     * bytes into the image, leaving the PUT open for the caller to end. When the image size is
     * known ({@code expectedSize} ≥ 0) the object is exactly {@code limit} bytes long and sent with
     * that Content-Length; data that ends sooner is a size mismatch and the object is not kept.
     */
    private Segment stream(String container, String name, InputStream in, long limit, long before, long expectedSize,
                           byte[] buffer) throws IOException {
        SwiftClient.Upload upload = swift.put(SwiftClient.path(container, name), expectedSize >= 0 ? limit : -1);
        long count = 0;
        try {
            OutputStream out = upload.body();
            while (count < limit) {
                int want = (int) Math.min(buffer.length, limit - count);
                int n = in.readNBytes(buffer, 0, want);
                if (n > 0) {
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw upload.failed(e);
                    }
                    count += n;
                }
                if (n < want) {
                    break;
                }
            }
            if (expectedSize >= 0 && count < limit) {
                throw new SizeMismatchException(expectedSize, before + count);
            }
        } catch (IOException | RuntimeException e) {
            upload.abort(e);
            throw e;
        }
        return new Segment(name, count, upload);
    }

    private void ensureContainer(String container) {
        String path = SwiftClient.path(container, null);
        int status = swift.call(HttpMethod.HEAD, path, Map.of(), null).getStatus();
        if (status == 404 && layout.createContainer()) {
            status = swift.call(HttpMethod.PUT, path, Map.of(), null).getStatus();
        }
        if (status == 404) {
            throw new StoreException("container " + container + " of Swift store " + layout.storeId() + " does not exist"
                    + " (create it, or set swift.store.create.container.on.put = true)");
        }
        if (status / 100 != 2) {
            throw new StoreException("Swift answered " + status + " for container " + container + " of store "
                    + layout.storeId());
        }
    }

    /**
     * The object and the segments an upload whose node died was writing: every object of the
     * image's container named by the image id, with or without a segment suffix.
     */
    @Override
    public void discardPartial(String imageId) {
        String container = containerFor(imageId);
        ContentResponse r = swift.call(HttpMethod.GET, SwiftClient.path(container, null) + "?format=json&prefix="
                + java.net.URLEncoder.encode(imageId, java.nio.charset.StandardCharsets.UTF_8), Map.of(), null);
        if (r.getStatus() == 404) {
            return;
        }
        if (r.getStatus() / 100 != 2) {
            throw new StoreException("Swift did not list container " + container + ": " + r.getStatus());
        }
        List<String> paths = new ArrayList<>();
        try {
            for (var o : JSON.readTree(r.getContentAsString())) {
                String name = o.path("name").asText();
                if (name.equals(imageId) || name.matches(java.util.regex.Pattern.quote(imageId) + "-\\d{5}")) {
                    paths.add(SwiftClient.path(container, name));
                }
            }
        } catch (IOException e) {
            throw new StoreException("Swift answered the listing of " + container + " unreadably", e);
        }
        removeAll(paths);
    }

    /** Removes what a failed upload wrote; what Swift cannot remove now, the janitor removes later. */
    private void removeAll(List<String> paths) {
        for (String path : paths) {
            orphans.add(path);
        }
        removeOrphans();
    }

    private void removeOrphans() {
        for (String path : orphans) {
            try {
                int status = swift.call(HttpMethod.DELETE, path, Map.of(), null).getStatus();
                if (status == 204 || status == 404) {
                    orphans.remove(path);
                } else {
                    LOG.warn("Swift answered {} to removing the partial object {}; retried in the background", status, path);
                }
            } catch (StoreException e) {
                LOG.warn("cannot remove the partial object {} from Swift yet (retried in the background): {}", path,
                        e.getMessage());
                return;
            }
        }
    }

    @Override
    public InputStream get(URI location, long offset, long length) {
        String path = own(location);
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        SwiftClient.Opened o = swift.get(path, offset, length < 0 ? -1 : offset + length - 1);
        if (o == null) {
            throw new StoreException("Image data not found at " + location);
        }
        long end;
        String range = o.headers().get("Content-Range");
        if (o.status() == 206 && range != null && range.contains("/")) {
            long total = Long.parseLong(range.substring(range.indexOf('/') + 1).strip());
            end = length < 0 ? total : Math.min(total, offset + length);
        } else {
            long size = o.headers().getLongField(HttpHeader.CONTENT_LENGTH);
            if (offset > 0) {
                closeQuietly(o.body());
                throw new StoreException("Swift ignored the Range of a read of " + location);
            }
            end = length < 0 ? size : Math.min(size, length);
        }
        return new SwiftDownload(swift, path, o.body(), offset, end, layout.retries());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }

    @Override
    public long size(URI location) {
        String path = own(location);
        ContentResponse r = swift.call(HttpMethod.HEAD, path, Map.of(), null);
        if (r.getStatus() == 404) {
            throw new StoreException("Image data not found at " + location);
        }
        if (r.getStatus() / 100 != 2) {
            throw new StoreException("Swift answered " + r.getStatus() + " for " + location);
        }
        return r.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    }

    @Override
    public void delete(URI location) {
        String path = own(location);
        ContentResponse head = swift.call(HttpMethod.HEAD, path, Map.of(), null);
        if (head.getStatus() == 404) {
            return;
        }
        boolean large = "true".equalsIgnoreCase(head.getHeaders().get("X-Static-Large-Object"));
        ContentResponse r = swift.call(HttpMethod.DELETE, large ? path + "?multipart-manifest=delete" : path,
                Map.of("Accept", "application/json"), null);
        if (r.getStatus() == 404) {
            return;
        }
        if (r.getStatus() / 100 != 2) {
            throw new StoreException("Swift refused to delete " + location + ": " + r.getStatus());
        }
        if (large) {
            // the bulk middleware answers 200 and reports each failure in the body
            try {
                var report = JSON.readTree(r.getContentAsString());
                if (!report.path("Errors").isEmpty()) {
                    throw new StoreException("Swift did not delete every segment of " + location + ": " + report.get("Errors"));
                }
            } catch (IOException e) {
                throw new StoreException("Swift answered the delete of " + location + " with an unreadable report", e);
            }
        }
    }

    @Override
    public StoreHealth health() {
        try {
            String where = layout.containersSeed() == 0 ? "container " + layout.container() : "the account";
            ContentResponse r = swift.call(HttpMethod.HEAD,
                    layout.containersSeed() == 0 ? SwiftClient.path(layout.container(), null) : "", Map.of(), null);
            if (r.getStatus() == 404 && layout.createContainer()) {
                return StoreHealth.ok("container " + layout.container() + " is created on the first upload, at "
                        + swift.storageUrl(), -1);
            }
            if (r.getStatus() / 100 != 2) {
                return StoreHealth.down("Swift answered " + r.getStatus() + " for " + where + " at " + swift.storageUrl());
            }
            return StoreHealth.ok(where + " at " + swift.storageUrl(), -1);
        } catch (StoreException e) {
            return StoreHealth.down(e.getMessage());
        }
    }

    @Override
    public boolean owns(URI location) {
        String s = location.toString();
        String prefix = "swift+" + authAddress + "/";
        if (!s.startsWith(prefix)) {
            return false;
        }
        String[] parts = s.substring(prefix.length()).split("/", -1);
        return parts.length == 2 && !parts[1].isEmpty()
                && (parts[0].equals(layout.container()) || layout.containersSeed() > 0
                && parts[0].startsWith(layout.container() + "_"));
    }

    /** The object path of one of this store's locations. */
    private String own(URI location) {
        if (!owns(location)) {
            throw new StoreException("location " + location + " is not in Swift store " + layout.storeId());
        }
        String rest = location.toString().substring(("swift+" + authAddress + "/").length());
        int slash = rest.indexOf('/');
        return SwiftClient.path(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("auth_address", authAddress, "container", layout.container(),
                "multiple_containers_seed", layout.containersSeed(),
                "large_object_size", layout.largeObjectSize() / MIB, "large_object_chunk_size", layout.segmentSize() / MIB,
                "retry_get_count", layout.retries());
    }
}
