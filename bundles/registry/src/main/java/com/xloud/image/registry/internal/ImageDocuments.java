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

    static void refreshLocations(Connection c, String id) throws SQLException {
        Map<String, String> locations = pairs(c, "SELECT store_id, location FROM image_locations WHERE image_id = ?", id);
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET locations_json = ? WHERE id = ?")) {
            ps.setString(1, locations.isEmpty() ? null : Json.write(locations));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** The two columns {@code sql} selects for image {@code id}, as a map in code point order. */
    private static Map<String, String> pairs(Connection c, String sql, String id) throws SQLException {
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
