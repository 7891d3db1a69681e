package com.xloud.image.store.swift.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.store.DataDigests;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoreHealth;
import com.xloud.image.api.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
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
    private final SwiftWrite write;
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
        this.write = new SwiftWrite(swift, layout);
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
            if (single || expectedSize < 0 && SwiftWrite.atEnd(in)) {
                written.add(SwiftClient.path(container, imageId));
                SwiftWrite.Segment object = write.stream(container, imageId, in, Math.max(expectedSize, 0), 0, expectedSize,
                        new byte[SwiftWrite.BUFFER]);
                String etag = object.upload().finish();
                SwiftWrite.checkEnd(in, expectedSize, object.bytes());
                stored = single ? digests.result(location, metadata, etag) : digests.result(location, metadata);
            } else {
                long total = write.segments(container, imageId, in, expectedSize, written);
                SwiftWrite.checkEnd(in, expectedSize, total);
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
