package com.xloud.image.api.images;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One image as the registry holds it. Extra properties are strings, as in Glance; {@code storeId}
 * names the store that received the data first (null without data); {@code locations} maps every
 * store holding a copy to its (first) location; {@code locationList} is every location in Glance's
 * order, with its metadata.
 */
public record Image(
        String id,
        String name,
        ImageStatus status,
        String visibility,
        boolean isProtected,
        boolean osHidden,
        String owner,
        Long size,
        Long virtualSize,
        String checksum,
        String osHashAlgo,
        String osHashValue,
        String diskFormat,
        String containerFormat,
        int minRam,
        int minDisk,
        Instant createdAt,
        Instant updatedAt,
        String location,
        List<String> tags,
        Map<String, String> properties,
        String storeId,
        Map<String, String> locations,
        List<ImageLocation> locationList) {

    public Image {
        tags = List.copyOf(tags);
        properties = Map.copyOf(properties);
        locations = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(locations));
        locationList = List.copyOf(locationList);
    }
}
