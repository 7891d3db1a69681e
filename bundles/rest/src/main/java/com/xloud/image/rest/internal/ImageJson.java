package com.xloud.image.rest.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.LocationView;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** An image as Glance writes it: extra properties first, then the base attributes in Glance's order. */
final class ImageJson {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private ImageJson() {
    }

    static Map<String, Object> of(Image i) {
        return of(i, java.util.List.of(), LocationView.NONE);
    }

    static Map<String, Object> of(Image i, java.util.List<String> storeOrder) {
        return of(i, storeOrder, LocationView.NONE);
    }

    /**
     * The image, its {@code stores} in {@code storeOrder} (the live stores, heaviest first, as Glance
     * orders them); stores not in the list follow by name.
     */
    static Map<String, Object> of(Image i, java.util.List<String> storeOrder, LocationView view) {
        Map<String, Object> m = new LinkedHashMap<>(i.properties());
        m.put("name", i.name());
        m.put("disk_format", i.diskFormat());
        m.put("container_format", i.containerFormat());
        m.put("visibility", i.visibility());
        m.put("size", i.size());
        m.put("virtual_size", i.virtualSize());
        m.put("status", i.status().wire());
        m.put("checksum", i.checksum());
        m.put("protected", i.isProtected());
        m.put("min_ram", i.minRam());
        m.put("min_disk", i.minDisk());
        m.put("owner", i.owner());
        m.put("os_hidden", i.osHidden());
        m.put("os_hash_algo", i.osHashAlgo());
        m.put("os_hash_value", i.osHashValue());
        m.put("id", i.id());
        m.put("created_at", time(i.createdAt()));
        m.put("updated_at", time(i.updatedAt()));
        m.put("tags", i.tags());
        if (!i.locations().isEmpty()) {
            java.util.List<String> held = new java.util.ArrayList<>(i.locations().keySet());
            held.sort(java.util.Comparator.comparingInt((String id) -> {
                int at = storeOrder.indexOf(id);
                return at < 0 ? Integer.MAX_VALUE : at;
            }).thenComparing(id -> id));
            m.put("stores", String.join(",", held));
        }
        if (view.locations() || view.directUrl()) {
            java.util.List<Map<String, Object>> locations = view.allowed() ? locations(i) : java.util.List.of();
            if (view.locations()) {
                m.put("locations", locations);
            }
            if (view.directUrl() && !locations.isEmpty()) {
                m.put("direct_url", locations.get(0).get("url"));
            }
        }
        m.put("self", "/v2/images/" + i.id());
        m.put("file", "/v2/images/" + i.id() + "/file");
        m.put("schema", "/v2/schemas/image");
        return m;
    }

    /**
     * The image's locations as Glance lists them, in their order: {@code url} and {@code metadata}
     * (what clients attached, with {@code store} naming the store that serves it, as multi-store
     * Glance adds it). The first is the one downloads read and direct_url names.
     */
    static java.util.List<Map<String, Object>> locations(Image i) {
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (com.xloud.image.api.images.ImageLocation l : i.locationList()) {
            Map<String, Object> location = new LinkedHashMap<>();
            location.put("url", l.url());
            Map<String, Object> metadata = new LinkedHashMap<>(l.metadata());
            metadata.putIfAbsent("store", l.storeId());
            location.put("metadata", metadata);
            out.add(location);
        }
        return out;
    }

    static String time(Instant t) {
        return ISO.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
