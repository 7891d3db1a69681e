package com.xloud.image.locations.internal;

import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.Commands;
import com.xloud.image.core.kernel.ImageGate;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.KernelSettings;
import com.xloud.image.core.kernel.Scrubber;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageLocation;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.core.command.SetLocations;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Glance's JSON-patch on an image's {@code locations} (with {@code show.multiple.locations}):
 * {@code add /locations/-} (a URL a store serves, its size read from it; a queued image becomes
 * active), {@code replace /locations} (on an active image the same URLs in a new order or with
 * new metadata; on a queued one any list), {@code remove /locations/N} (never the last). The
 * operations apply in order to a copy of the list; the result is one event, or nothing at all.
 * {@code validation_data} gives a queued image its digests and must agree with an active one's.
 */
final class LocationPatch {
    private static final int URL_MAX = 255;
    private static final Set<String> VALIDATION_KEYS = Set.of("checksum", "os_hash_algo", "os_hash_value");

    private final Commands events;
    private final StoreDirectory stores;
    private final KernelSettings settings;
    private final ImageGate access;
    private final Function<RequestContext, Origin> origins;
    private final ExternalLocations external;
    private final Scrubber scrubber;

    LocationPatch(Kernel kernel, ExternalLocations external) {
        this.events = kernel.commands();
        this.stores = kernel.stores();
        this.settings = kernel.settings();
        this.access = kernel.images();
        this.origins = access::origin;
        this.external = external;
        this.scrubber = kernel.scrubber();
    }

    /** What the operations make of the image; state that one op leaves for the next. */
    private final class Work {
        final Image image;
        final List<ImageLocation> list;
        final Map<String, String> digests = new LinkedHashMap<>();
        Long size;

        Work(Image image) {
            this.image = image;
            this.list = new ArrayList<>(image.locationList());
            this.size = image.status() == ImageStatus.QUEUED ? null : image.size();
        }
    }

    void apply(RequestContext ctx, Image image, List<PatchOperation> operations) {
        Work w = new Work(image);
        List<ImageLocation> removed = new ArrayList<>();
        for (PatchOperation op : operations) {
            String token = op.index();
            switch (op.op()) {
                case "add" -> {
                    if (token == null) {
                        throw ImageException.badRequest("Invalid JSON pointer for this resource: '/locations'");
                    }
                    visible("add");
                    access.requireWithoutMembership("set_image_location", ctx, image);
                    status(image, "add", ImageStatus.ACTIVE, ImageStatus.QUEUED);
                    Map<?, ?> value = location(op.value());
                    validation(w, List.of(value));
                    if (!token.equals("-") && !token.matches("[0-9]+")) {
                        throw ImageException.badRequest("Invalid position for adding a location.");
                    }
                    ImageLocation l = checked(ctx, w, value);
                    if (w.list.contains(l)) {
                        throw ImageException.badRequest("The location " + l.url() + " already exists");
                    }
                    w.list.add(l); // Glance keeps a new location last whatever the index
                }
                case "replace" -> {
                    if (token != null) {
                        throw ImageException.badRequest("Invalid JSON pointer for this resource: '/locations/" + token + "'");
                    }
                    if (!(op.value() instanceof List<?> values)) {
                        throw ImageException.badRequest("Provided object does not match schema 'image': "
                                + op.value() + " is not of type 'array'");
                    }
                    if (values.isEmpty()) {
                        throw ImageException.forbidden("Cannot set locations to empty list.");
                    }
                    visible("update");
                    access.requireWithoutMembership("set_image_location", ctx, image);
                    status(image, "replace", ImageStatus.ACTIVE, ImageStatus.QUEUED);
                    List<Map<?, ?>> wanted = values.stream().map(LocationPatch::location).toList();
                    validation(w, wanted);
                    List<ImageLocation> now = replaced(ctx, w, wanted);
                    w.list.clear();
                    w.list.addAll(now);
                }
                case "remove" -> {
                    if (token == null) {
                        throw ImageException.badRequest("Invalid JSON pointer for this resource: '/locations'");
                    }
                    visible("remove");
                    access.requireWithoutMembership("delete_image_location", ctx, image);
                    status(image, "remove", ImageStatus.ACTIVE);
                    if (w.list.size() == 1) {
                        throw ImageException.forbidden("Cannot remove last location in the image.");
                    }
                    int pos = token.equals("-") ? w.list.size() - 1 : token.matches("[0-9]{1,9}") ? Integer.parseInt(token) : -1;
                    if (pos < 0 || pos >= w.list.size()) {
                        throw ImageException.badRequest("Invalid position for removing a location.");
                    }
                    removed.add(w.list.remove(pos));
                }
                default -> throw ImageException.badRequest("Unsupported operation '" + op.op() + "' on locations");
            }
        }
        Origin origin = origins.apply(ctx);
        boolean queued = image.status() == ImageStatus.QUEUED;
        events.send(new SetLocations(image.id(), origin, w.list, queued ? w.size : null,
                w.digests.get("checksum"), w.digests.get("os_hash_algo"), w.digests.get("os_hash_value")));
        if (queued && w.digests.get("os_hash_value") == null) {
            // as a location added through POST /locations: the digests are read once, in the background
            ImageLocation first = w.list.get(0);
            external.hashLater(image.id(), origin, first.storeId(), URI.create(first.url()), w.size);
        }
        for (ImageLocation gone : removed) {
            StoreDirectory.Entry store = stores.holding(gone.storeId(), URI.create(gone.url())).orElse(null);
            boolean stillUsed = w.list.stream().anyMatch(l -> l.url().equals(gone.url()));
            if (store != null && !store.readOnly() && !stillUsed) {
                scrubber.discard(ctx, image.id(), store, URI.create(gone.url()), "location removed");
            }
        }
    }

    private void visible(String verb) {
        if (!settings.shownLocations().locations()) {
            throw ImageException.forbidden("It's not allowed to " + verb + " locations if locations are invisible.");
        }
    }

    private static void status(Image image, String verb, ImageStatus... allowed) {
        if (!List.of(allowed).contains(image.status())) {
            throw ImageException.conflict("It's not allowed to " + verb + " locations if image status is "
                    + image.status().wire() + ".");
        }
    }

    /** A location object: {@code url} (a string) and {@code metadata} (an object of strings), as Glance's schema has them. */
    private static Map<?, ?> location(Object value) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("url") instanceof String url)
                || !(m.get("metadata") instanceof Map<?, ?> metadata)) {
            throw ImageException.badRequest("Provided object does not match schema 'image': a location needs 'url'"
                    + " (a string) and 'metadata' (an object)");
        }
        if (url.length() > URL_MAX) {
            throw ImageException.badRequest("Provided object does not match schema 'image': the url is longer than "
                    + URL_MAX + " characters");
        }
        for (Object v : metadata.values()) {
            if (!(v instanceof String)) {
                throw ImageException.badRequest("Location metadata values must be strings");
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> metadata(Map<?, ?> location) {
        return new LinkedHashMap<>((Map<String, String>) location.get("metadata"));
    }

    /** A new location: a store of this node serves its scheme and reads a size from it. */
    private ImageLocation checked(RequestContext ctx, Work w, Map<?, ?> value) {
        String url = (String) value.get("url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ImageException.badRequest("Invalid location");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getUserInfo() != null) {
            throw ImageException.badRequest("Invalid location");
        }
        StoreDirectory.Entry store = stores.all().stream().filter(e -> e.store().owns(uri)).findFirst()
                .orElseThrow(() -> ImageException.badRequest("Invalid location"));
        boolean privileged = ctx.isAdmin() || ExternalLocations.isService(ctx);
        if (!privileged && !store.readOnly()) {
            throw ImageException.forbidden("Only admins and services may add a location in store " + store.id()
                    + "; projects may add locations of read-only stores");
        }
        long size;
        try {
            size = store.store().size(uri);
        } catch (StoreException e) {
            throw ImageException.badRequest("Invalid location");
        }
        if (size <= 0) {
            throw ImageException.badRequest("Invalid location");
        }
        if (size > settings.imageSizeCap()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Image exceeds the storage quota: the limit is "
                    + settings.imageSizeCap() + " bytes");
        }
        if (w.size == null || w.size == 0) {
            w.size = size;
        }
        Map<String, String> metadata = metadata(value);
        metadata.put("store", store.id()); // as multi-store Glance sets it
        return new ImageLocation(url, store.id(), metadata);
    }

    /** A replace: on an active image the same URLs (new order, new metadata); on a queued one, new locations. */
    private List<ImageLocation> replaced(RequestContext ctx, Work w, List<Map<?, ?>> wanted) {
        List<ImageLocation> out = new ArrayList<>();
        if (w.image.status() == ImageStatus.ACTIVE) {
            List<String> have = new ArrayList<>(w.list.stream().map(ImageLocation::url).sorted().toList());
            List<String> asked = new ArrayList<>(wanted.stream().map(l -> (String) l.get("url")).sorted().toList());
            if (!have.equals(asked)) {
                throw ImageException.badRequest("Original locations is not empty: " + w.list.stream()
                        .map(ImageLocation::url).toList());
            }
            List<ImageLocation> pool = new ArrayList<>(w.list);
            for (Map<?, ?> l : wanted) {
                ImageLocation old = pool.stream().filter(p -> p.url().equals(l.get("url"))).findFirst().orElseThrow();
                pool.remove(old);
                Map<String, String> metadata = metadata(l);
                metadata.putIfAbsent("store", old.storeId());
                out.add(new ImageLocation(old.url(), old.storeId(), metadata));
            }
            return out;
        }
        for (Map<?, ?> l : wanted) {
            ImageLocation checked = checked(ctx, w, l);
            if (out.contains(checked)) {
                throw ImageException.badRequest("The location " + checked.url() + " already exists");
            }
            out.add(checked);
        }
        return out;
    }

    /** Glance's validation_data: merged over the locations given, checked against the image's digests. */
    private void validation(Work w, List<Map<?, ?>> locations) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<?, ?> l : locations) {
            Object raw = l.get("validation_data");
            if (raw == null) {
                continue;
            }
            if (!(raw instanceof Map<?, ?> data) || !VALIDATION_KEYS.containsAll(data.keySet())
                    || !(data.get("os_hash_algo") instanceof String) || !(data.get("os_hash_value") instanceof String)
                    || data.containsKey("checksum") && !(data.get("checksum") instanceof String s && s.length() == 32)) {
                throw ImageException.badRequest("Provided object does not match schema 'image': 'validation_data'"
                        + " needs os_hash_algo and os_hash_value (strings) and may have a 32-character checksum");
            }
            for (var e : data.entrySet()) {
                String key = (String) e.getKey();
                String value = (String) e.getValue();
                String before = merged.putIfAbsent(key, value);
                if (before != null && !before.equals(value)) {
                    throw ImageException.conflict("Conflicting values for " + key);
                }
            }
        }
        Map<String, String> current = new LinkedHashMap<>();
        current.put("checksum", w.digests.getOrDefault("checksum", w.image.checksum()));
        current.put("os_hash_algo", w.digests.getOrDefault("os_hash_algo", w.image.osHashAlgo()));
        current.put("os_hash_value", w.digests.getOrDefault("os_hash_value", w.image.osHashValue()));
        Map<String, String> fresh = new LinkedHashMap<>();
        for (var e : merged.entrySet()) {
            String now = current.get(e.getKey());
            if (e.getValue().equals(now)) {
                continue;
            }
            if (now != null && !now.isEmpty()) {
                throw ImageException.conflict(e.getKey() + " is already set with a different value");
            }
            fresh.put(e.getKey(), e.getValue());
        }
        if (fresh.isEmpty()) {
            return;
        }
        if (w.image.status() != ImageStatus.QUEUED) {
            throw ImageException.conflict("New value(s) for " + String.join(", ", fresh.keySet())
                    + " may only be provided when image status is 'queued'");
        }
        String checksum = fresh.get("checksum");
        if (checksum != null && !isHex(checksum)) {
            throw ImageException.conflict("checksum (" + checksum + ") is not a valid hexadecimal value");
        }
        String algo = fresh.get("os_hash_algo");
        if (!settings.hashingAlgorithm().equals(algo)) {
            throw ImageException.conflict("os_hash_algo must be " + settings.hashingAlgorithm() + ", not " + algo);
        }
        String value = fresh.get("os_hash_value");
        if (value != null && !isHex(value)) {
            throw ImageException.conflict("os_hash_value (" + value + ") is not a valid hexadecimal value");
        }
        int bytes = digestBytes(algo);
        if (value != null && value.length() != 2 * bytes) {
            throw ImageException.conflict("os_hash_value (" + value + ") is not the correct size for " + algo
                    + " (should be " + bytes + " bytes)");
        }
        w.digests.putAll(fresh);
    }

    private static int digestBytes(String algo) {
        try {
            return java.security.MessageDigest.getInstance("SHA-" + algo.substring(3)).getDigestLength();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("hashing algorithm " + algo + " is not available", e);
        }
    }

    private static boolean isHex(String s) {
        if (s.isEmpty() || s.length() % 2 != 0) {
            return false;
        }
        try {
            HexFormat.of().parseHex(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
