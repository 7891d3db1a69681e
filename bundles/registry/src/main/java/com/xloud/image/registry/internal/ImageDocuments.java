package com.xloud.image.registry.internal;

import com.xloud.image.api.images.TextLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON copies of an image's tags, properties and locations kept in its row (a read is one row,
 * no join), written again from their tables whenever those change.
 */
final class ImageDocuments {
    private ImageDocuments() {
    }

    /**
     * Rewrites the JSON copies of an image's tags and properties from their tables. The JSON is
     * written here rather than by MariaDB's JSON_ARRAYAGG/JSON_OBJECTAGG, which mangle text beyond
     * ASCII (Latin-1 letters refused, characters outside the BMP escaped as broken surrogates).
     */
    static void refreshDocuments(Connection c, String id) throws SQLException {
        List<String> tags = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tag FROM image_tags WHERE image_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.add(rs.getString(1));
                }
            }
        }
        tags.sort(TextLimits.CODE_POINT_ORDER);
        Map<String, String> properties = pairs(c, "SELECT name, value FROM image_properties WHERE image_id = ?", id);
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET tags_json = ?, properties_json = ? WHERE id = ?")) {
            ps.setString(1, tags.isEmpty() ? null : Json.write(tags));
            ps.setString(2, properties.isEmpty() ? null : Json.write(properties));
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    /**
     * The image's locations as its row keeps them: {@code locations_json} maps each store to its
     * first location, {@code location_list_json} lists them all in order with their metadata.
     */
    static void refreshLocations(Connection c, String id) throws SQLException {
        Map<String, String> firsts = new TreeMap<>(TextLimits.CODE_POINT_ORDER);
        List<Map<String, Object>> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT store_id, location, metadata_json FROM image_locations"
                + " WHERE image_id = ? ORDER BY position")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    firsts.putIfAbsent(rs.getString(1), rs.getString(2));
                    Map<String, Object> entry = new java.util.LinkedHashMap<>();
                    entry.put("url", rs.getString(2));
                    entry.put("store", rs.getString(1));
                    Map<String, Object> metadata = Json.map(rs.getString(3));
                    entry.put("metadata", metadata == null ? Map.of() : metadata);
                    list.add(entry);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET locations_json = ?, location_list_json = ?"
                + " WHERE id = ?")) {
            ps.setString(1, firsts.isEmpty() ? null : Json.write(firsts));
            ps.setString(2, list.isEmpty() ? null : Json.write(list));
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    /** The two columns {@code sql} selects for image {@code id}, as a map in code point order. */
    static Map<String, String> pairs(Connection c, String sql, String id) throws SQLException {
        Map<String, String> pairs = new TreeMap<>(TextLimits.CODE_POINT_ORDER);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pairs.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return pairs;
    }
}
