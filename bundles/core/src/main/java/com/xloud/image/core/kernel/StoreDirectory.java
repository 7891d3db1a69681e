package com.xloud.image.core.kernel;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.store.ImageStore;
import java.net.URI;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The stores that are live right now, by id; they come and go with their bundles. */
public final class StoreDirectory {
    public record Entry(String id, ImageStore store, boolean isDefault, int weight, String type, String description,
                 boolean readOnly, String bundle) {
    }

    private final Map<String, Entry> stores = new ConcurrentHashMap<>();

    public void add(ImageStore store, Map<String, Object> props) {
        String id = String.valueOf(props.getOrDefault(ImageStore.PROP_ID, "default"));
        boolean isDefault = Boolean.parseBoolean(String.valueOf(props.getOrDefault(ImageStore.PROP_DEFAULT, "false")));
        int weight = Integer.parseInt(String.valueOf(props.getOrDefault(ImageStore.PROP_WEIGHT, "0")));
        String type = String.valueOf(props.getOrDefault(ImageStore.PROP_TYPE, "unknown"));
        String description = String.valueOf(props.getOrDefault(ImageStore.PROP_DESCRIPTION, id));
        boolean readOnly = Boolean.parseBoolean(String.valueOf(props.getOrDefault(ImageStore.PROP_READONLY, "false")));
        stores.put(id, new Entry(id, store, isDefault, weight, type, description, readOnly, bundleOf(store)));
    }

    /** The symbolic name and version of the bundle that provides a service (outside OSGi: its class). */
    public static String bundleOf(Object service) {
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(service.getClass());
        return b == null ? service.getClass().getName() : b.getSymbolicName() + " " + b.getVersion();
    }

    public void remove(ImageStore store) {
        stores.values().removeIf(e -> e.store() == store);
    }

    /** The live stores, heaviest first (the order Glance lists an image's stores in). */
    public java.util.List<Entry> all() {
        return stores.values().stream().sorted(Comparator.comparing(Entry::weight).reversed()
                .thenComparing(Entry::id)).toList();
    }

    /**
     * The store an upload goes to: the one the client named (unknown or read-only: 400), else the
     * configured default, else the one marked default, else the heaviest.
     */
    public Entry forUpload(String requested, String configuredDefault) {
        if (requested != null && !requested.isBlank()) {
            Entry e = stores.get(requested.strip());
            if (e == null) {
                throw ImageException.badRequest("Store for identifier " + requested + " not found");
            }
            if (e.readOnly()) {
                throw ImageException.badRequest("Store " + requested + " is read-only");
            }
            return e;
        }
        return forUpload(configuredDefault);
    }

    /** The store uploads go to: the configured id, else the one marked default, else the heaviest. */
    public Entry forUpload(String configuredDefault) {
        if (configuredDefault != null && !configuredDefault.isBlank()) {
            Entry e = stores.get(configuredDefault);
            if (e == null) {
                throw new ImageException(ImageException.Kind.UNAVAILABLE, "Store " + configuredDefault + " is unavailable");
            }
            return e;
        }
        return stores.values().stream().filter(e -> !e.readOnly())
                .max(Comparator.comparing(Entry::isDefault).thenComparing(Entry::weight))
                .orElseThrow(() -> new ImageException(ImageException.Kind.UNAVAILABLE, "No image store is available"));
    }

    public Optional<Entry> byId(String id) {
        return Optional.ofNullable(stores.get(id));
    }

    /** The store that holds {@code location}: by id first, else whichever claims it. */
    public Optional<Entry> holding(String storeId, URI location) {
        Entry byId = storeId == null ? null : stores.get(storeId);
        if (byId != null && byId.store().owns(location)) {
            return Optional.of(byId);
        }
        return stores.values().stream().filter(e -> e.store().owns(location)).findFirst();
    }
}
