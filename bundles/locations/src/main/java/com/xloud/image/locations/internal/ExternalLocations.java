package com.xloud.image.locations.internal;

import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.Commands;
import com.xloud.image.core.kernel.Hashing;
import com.xloud.image.core.kernel.ImageGate;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.KernelSettings;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoredImage;
import com.xloud.image.core.command.AttachLocation;
import com.xloud.image.core.command.RecordHashes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glance's location API (2.17): a queued image gets data that already lives somewhere, named by
 * URL, instead of an upload. The store that claims the URL (an http store for http(s) URLs)
 * reports its size; the image becomes active at once. Without validation data the digests are
 * computed in the background by reading the data once, as Glance does, and recorded as an event.
 *
 * <p>Who may add: admins and the service role for any store; an image's owner only for
 * read-only stores, whose data the service never deletes (a location in a writable store would
 * let a project delete data it does not own when it deletes its image).
 */
final class ExternalLocations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalLocations.class);
    private static final int URL_MAX = 2048;
    private static final Map<String, Integer> HEX_LENGTHS = Map.of("md5", 32, "sha256", 64, "sha384", 96,
            "sha512", 128);
    private static final int HASH_ATTEMPTS = 3;

    private final Commands events;
    private final StoreDirectory stores;
    private final KernelSettings settings;
    private final Function<RequestContext, Origin> origins;
    private final ScheduledExecutorService hashers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "location-hashing");
        t.setDaemon(true);
        return t;
    });

    private final ImageGate access;

    ExternalLocations(Kernel kernel) {
        this.access = kernel.images();
        this.events = kernel.commands();
        this.stores = kernel.stores();
        this.settings = kernel.settings();
        this.origins = access::origin;
    }

    static boolean isService(RequestContext ctx) {
        return ctx.roles().stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals("service"));
    }

    /** POST /v2/images/{id}/locations for an image the caller may modify. */
    void add(RequestContext ctx, Image image, Object url, Object validationData) {
        URI location = parse(url);
        Map<String, String> validation = validation(validationData);
        if (image.status() != ImageStatus.QUEUED) {
            throw ImageException.conflict("Locations can only be added to images in queued status; image "
                    + image.id() + " is " + image.status().wire());
        }
        StoreDirectory.Entry store = stores.all().stream().filter(e -> e.store().owns(location)).findFirst()
                .orElseThrow(() -> ImageException.badRequest("Invalid location " + location + ": no store of this"
                        + " node serves " + location.getScheme() + " locations"));
        boolean privileged = ctx.isAdmin() || isService(ctx);
        if (!privileged && !store.readOnly()) {
            throw ImageException.forbidden("Only admins and services may add a location in store " + store.id()
                    + "; projects may add locations of read-only stores");
        }
        long size;
        try {
            size = store.store().size(location);
        } catch (StoreException e) {
            throw ImageException.badRequest("Invalid location " + location + ": its size cannot be read: "
                    + e.getMessage());
        }
        if (size < 0) {
            throw ImageException.badRequest("Invalid location " + location + ": the store cannot tell its size");
        }
        if (size > settings.imageSizeCap()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Image exceeds the storage quota: the limit is "
                    + settings.imageSizeCap() + " bytes");
        }
        Origin origin = origins.apply(ctx);
        events.send(new AttachLocation(image.id(), origin, store.id(), location.toString(), size,
                validation.get("os_hash_algo"), validation.get("os_hash_value")));
        LOG.info("image {} now reads its {} bytes from {} in store {}", image.id(), size, location, store.id());
        if (validation.isEmpty()) {
            hashers.execute(() -> hash(image.id(), origin, store.id(), location, size, 1));
        }
    }

    private static URI parse(Object url) {
        if (!(url instanceof String s) || s.isBlank()) {
            throw ImageException.badRequest("'url' is a required property and must be a string");
        }
        if (s.length() > URL_MAX) {
            throw ImageException.badRequest("'url' is longer than " + URL_MAX + " characters");
        }
        try {
            URI uri = new URI(s);
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getUserInfo() != null) {
                throw ImageException.badRequest("Invalid location " + s + ": an absolute URL without credentials"
                        + " is required");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ImageException.badRequest("Invalid location: " + e.getMessage());
        }
    }

    /** Glance's validation_data: os_hash_algo and os_hash_value together, nothing else. */
    private Map<String, String> validation(Object raw) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw ImageException.badRequest("'validation_data' must be an object");
        }
        if (m.isEmpty()) {
            return Map.of();
        }
        if (!Set.of("os_hash_algo", "os_hash_value").containsAll(m.keySet())) {
            throw ImageException.badRequest("'validation_data' may only hold os_hash_algo and os_hash_value");
        }
        if (!(m.get("os_hash_algo") instanceof String algo) || !(m.get("os_hash_value") instanceof String value)) {
            throw ImageException.badRequest("'validation_data' needs both os_hash_algo and os_hash_value as strings");
        }
        if (!algo.equals(settings.hashingAlgorithm())) {
            throw ImageException.badRequest("os_hash_algo must be " + settings.hashingAlgorithm() + ", not " + algo);
        }
        int length = HEX_LENGTHS.getOrDefault(algo, 0);
        if (value.length() != length || !value.matches("[0-9a-fA-F]+")) {
            throw ImageException.badRequest("os_hash_value is not a valid " + algo + " hex digest");
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("os_hash_algo", algo);
        v.put("os_hash_value", value.toLowerCase(Locale.ROOT));
        return v;
    }

    /** Reads the data at {@code location} for the image's digests, in the background. */
    void hashLater(String imageId, Origin origin, String storeId, URI location, long size) {
        hashers.execute(() -> hash(imageId, origin, storeId, location, size, 1));
    }

    /** Reads the data once for its digests; retried a few times when the store cannot serve it. */
    private void hash(String imageId, Origin origin, String storeId, URI location, long size, int attempt) {
        try {
            StoreDirectory.Entry store = stores.holding(storeId, location)
                    .orElseThrow(() -> new StoreException("store " + storeId + " is not running"));
            StoredImage digests;
            try (Hashing hashing = new Hashing(settings.hashingAlgorithm());
                 InputStream in = hashing.wrap(store.store().get(location, 0, -1))) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                digests = hashing.result(location, Map.of());
            }
            if (digests.size() != size) {
                LOG.error("image {}: {} holds {} bytes, not the {} it announced; its digests are not recorded",
                        imageId, location, digests.size(), size);
                return;
            }
            events.send(new RecordHashes(imageId, origin, location.toString(), size, digests.md5(),
                    digests.hashAlgorithm(), digests.hashValue()));
            LOG.info("image {}: digests of {} recorded", imageId, location);
        } catch (IOException | RuntimeException e) {
            if (attempt < HASH_ATTEMPTS && !hashers.isShutdown()) {
                long delay = 2L << attempt;
                LOG.warn("image {}: reading {} for its digests failed ({}); trying again in {} s", imageId, location,
                        e.getMessage(), delay);
                hashers.schedule(() -> hash(imageId, origin, storeId, location, size, attempt + 1), delay,
                        TimeUnit.SECONDS);
            } else {
                LOG.error("image {}: the digests of {} could not be computed: {}", imageId, location, e.getMessage());
            }
        }
    }

    /**
     * GET /v2/images/{id}/locations: every location in the image's order (the first is the one
     * downloads read), its url and metadata, with the store that serves it.
     */
    List<Map<String, Object>> list(RequestContext ctx, Image image) {
        access.requireWithoutMembership("fetch_image_location", ctx, image);
        return image.locationList().stream().map(l -> {
            Map<String, Object> location = new LinkedHashMap<>();
            location.put("url", l.url());
            Map<String, Object> metadata = new LinkedHashMap<>(l.metadata());
            metadata.putIfAbsent("store", l.storeId());
            location.put("metadata", metadata);
            return location;
        }).toList();
    }

    @Override
    public void close() {
        hashers.shutdownNow();
    }
}
