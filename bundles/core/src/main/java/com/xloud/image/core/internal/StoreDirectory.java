package com.xloud.image.core.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.store.ImageStore;
import java.net.URI;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The stores that are live right now, by id; they come and go with their bundles. */
final class StoreDirectory {
    record Entry(String id, ImageStore store, boolean isDefault, int weight) {
    }

    private final Map<String, Entry> stores = new ConcurrentHashMap<>();

    void add(ImageStore store, Map<String, Object> props) {
        String id = String.valueOf(props.getOrDefault(ImageStore.PROP_ID, "default"));
        boolean isDefault = Boolean.parseBoolean(String.valueOf(props.getOrDefault(ImageStore.PROP_DEFAULT, "false")));
        int weight = Integer.parseInt(String.valueOf(props.getOrDefault(ImageStore.PROP_WEIGHT, "0")));
        stores.put(id, new Entry(id, store, isDefault, weight));
    }

    void remove(ImageStore store) {
        stores.values().removeIf(e -> e.store() == store);
    }

    /** The store uploads go to: the configured id, else the one marked default, else the heaviest. */
    Entry forUpload(String configuredDefault) {
        if (configuredDefault != null && !configuredDefault.isBlank()) {
            Entry e = stores.get(configuredDefault);
            if (e == null) {
                throw new ImageException(ImageException.Kind.UNAVAILABLE, "Store " + configuredDefault + " is unavailable");
            }
            return e;
        }
        return stores.values().stream()
                .max(Comparator.comparing(Entry::isDefault).thenComparing(Entry::weight))
                .orElseThrow(() -> new ImageException(ImageException.Kind.UNAVAILABLE, "No image store is available"));
    }

    Optional<Entry> byId(String id) {
        return Optional.ofNullable(stores.get(id));
    }

    /** The store that holds {@code location}: by id first, else whichever claims it. */
    Optional<Entry> holding(String storeId, URI location) {
        Entry byId = storeId == null ? null : stores.get(storeId);
        if (byId != null && byId.store().owns(location)) {
            return Optional.of(byId);
        }
        return stores.values().stream().filter(e -> e.store().owns(location)).findFirst();
    }
}
