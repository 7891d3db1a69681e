package com.xloud.image.registry.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads image rows with their tags and properties (two extra queries per batch, not per image). */
final class ImageRows {
    static final String COLUMNS = "i.id, i.name, i.status, i.visibility, i.protected, i.os_hidden, i.owner, i.size,"
            + " i.virtual_size, i.checksum, i.os_hash_algo, i.os_hash_value, i.disk_format, i.container_format,"
            + " i.min_ram, i.min_disk, i.created_at, i.updated_at, i.location";

    private ImageRows() {
    }

    /** Runs {@code ps} (which selects {@link #COLUMNS}) and completes each row with tags and properties. */
    static List<Image> read(Connection c, PreparedStatement ps) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {
                    rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                    rs.getBoolean(6), rs.getString(7), (Long) rs.getObject(8, Long.class), rs.getObject(9, Long.class),
                    rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                    rs.getInt(15), rs.getInt(16), rs.getObject(17, LocalDateTime.class),
                    rs.getObject(18, LocalDateTime.class), rs.getString(19)});
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(r -> (String) r[0]).toList();
        Map<String, List<String>> tags = new HashMap<>();
        Map<String, Map<String, String>> props = new HashMap<>();
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement t = c.prepareStatement("SELECT image_id, tag FROM image_tags WHERE image_id IN (" + in
                + ") ORDER BY image_id, tag")) {
            bind(t, ids);
            try (ResultSet rs = t.executeQuery()) {
                while (rs.next()) {
                    tags.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT image_id, name, value FROM image_properties WHERE image_id IN ("
                + in + ")")) {
            bind(p, ids);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    props.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        List<Image> images = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            String id = (String) r[0];
            images.add(new Image(id, (String) r[1], ImageStatus.fromWire((String) r[2]), (String) r[3], (Boolean) r[4],
                    (Boolean) r[5], (String) r[6], (Long) r[7], (Long) r[8], (String) r[9], (String) r[10],
                    (String) r[11], (String) r[12], (String) r[13], (Integer) r[14], (Integer) r[15],
                    ((LocalDateTime) r[16]).toInstant(ZoneOffset.UTC), ((LocalDateTime) r[17]).toInstant(ZoneOffset.UTC),
                    (String) r[18], tags.getOrDefault(id, List.of()),
                    props.getOrDefault(id, new LinkedHashMap<>())));
        }
        return images;
    }

    static void bind(PreparedStatement ps, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }
}
