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
}
