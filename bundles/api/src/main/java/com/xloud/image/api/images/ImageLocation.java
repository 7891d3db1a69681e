package com.xloud.image.api.images;

import java.util.Map;

/**
 * One of an image's locations, in the order Glance lists them: where the data is ({@code url}),
 * the store that serves it, and the metadata clients attached to it (string values, as Glance
 * keeps them). Several locations may be in one store (two http URLs of the same data).
 */
public record ImageLocation(String url, String storeId, Map<String, String> metadata) {
    public ImageLocation {
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /**
     * A store's copy of the data at {@code url} into {@code locations}: it takes the place of the
     * store's first location (keeping its metadata), or comes last.
     */
    public static void putStoreCopy(java.util.List<ImageLocation> locations, String storeId, String url) {
        for (int i = 0; i < locations.size(); i++) {
            if (locations.get(i).storeId().equals(storeId)) {
                locations.set(i, new ImageLocation(url, storeId, locations.get(i).metadata()));
                return;
            }
        }
        locations.add(new ImageLocation(url, storeId, Map.of()));
    }
}
