package com.xloud.image.registry.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageLocation;
import com.xloud.image.api.images.ImageStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads image rows, each complete in itself: the projection keeps the tags and properties of an
 * image as JSON in its row (see {@link RegistryProjection}), so a read needs no join.
 */
final class ImageRows {
    /** An image being staged shows the bytes staged so far as its size, as Glance's does. */
    static final String COLUMNS = "i.id, i.name, i.status, i.visibility, i.protected, i.os_hidden, i.owner,"
            + " COALESCE(i.size, i.staged_size),"
            + " i.virtual_size, i.checksum, i.os_hash_algo, i.os_hash_value, i.disk_format, i.container_format,"
            + " i.min_ram, i.min_disk, i.created_at, i.updated_at, i.location, i.tags_json, i.properties_json, i.store_id,"
            + " i.locations_json, i.location_list_json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> TAGS = new TypeReference<>() { };
    private static final TypeReference<TreeMap<String, String>> PROPERTIES = new TypeReference<>() { };

    private ImageRows() {
    }

    /** Runs {@code ps}, which selects {@link #COLUMNS}. */
    static List<Image> read(PreparedStatement ps) throws SQLException {
        List<Image> images = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, String> locations = parse(rs.getString(23), PROPERTIES, Map.of());
                images.add(new Image(rs.getString(1), rs.getString(2), ImageStatus.fromWire(rs.getString(3)),
                        rs.getString(4), rs.getBoolean(5), rs.getBoolean(6), rs.getString(7),
                        rs.getObject(8, Long.class), rs.getObject(9, Long.class), rs.getString(10), rs.getString(11),
                        rs.getString(12), rs.getString(13), rs.getString(14), rs.getInt(15), rs.getInt(16),
                        rs.getObject(17, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        rs.getObject(18, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getString(19),
                        parse(rs.getString(20), TAGS, List.of()), parse(rs.getString(21), PROPERTIES, Map.of()),
                        rs.getString(19) == null ? null : rs.getString(22), locations,
                        locationList(rs.getString(24), locations, rs.getString(22))));
            }
        }
        return images;
    }

    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() { };

    /**
     * The ordered locations; a row written before they were kept (migration 16) lists its store
     * copies, the image's own first, then by store.
     */
    private static List<ImageLocation> locationList(String json, Map<String, String> locations, String storeId)
            throws SQLException {
        List<ImageLocation> out = new ArrayList<>();
        if (json != null) {
            for (Map<String, Object> l : parse(json, LIST, List.<Map<String, Object>>of())) {
                Map<String, String> metadata = new java.util.LinkedHashMap<>();
                if (l.get("metadata") instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> metadata.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
                }
                out.add(new ImageLocation((String) l.get("url"), (String) l.get("store"), metadata));
            }
            return out;
        }
        List<String> stores = new ArrayList<>(locations.keySet());
        if (storeId != null && stores.remove(storeId)) {
            stores.add(0, storeId);
        }
        stores.forEach(s -> out.add(new ImageLocation(locations.get(s), s, Map.of())));
        return out;
    }

    private static <T> T parse(String json, TypeReference<? extends T> type, T empty) throws SQLException {
        if (json == null) {
            return empty;
        }
        try {
            return JSON.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new SQLException("unreadable aggregate from the registry: " + json, e);
        }
    }

    static void bind(PreparedStatement ps, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }
}
