package com.xloud.image.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 14: the JSON copies of every image's tags, properties and locations written again by
 * the projection's own code. Earlier versions let MariaDB's JSON aggregates write them, which
 * mangled text beyond ASCII; the tables they are made from were always right.
 */
final class DocumentsRewrite extends RegistryMigration {
    private static final int BATCH = 500;

    DocumentsRewrite() {
        super(14, "json documents rewritten");
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        String after = "";
        while (true) {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM images WHERE id > ? ORDER BY id LIMIT ?")) {
                ps.setString(1, after);
                ps.setInt(2, BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                ImageDocuments.refreshDocuments(c, id);
                locations(c, id);
            }
            if (ids.size() < BATCH) {
                return;
            }
            after = ids.get(ids.size() - 1);
        }
    }

    /**
     * The locations document as it was at this version (a map of store to location; migration 16
     * added the ordered list and its columns, which do not exist yet when this one runs).
     */
    private static void locations(Connection c, String id) throws SQLException {
        java.util.Map<String, String> locations = ImageDocuments.pairs(c,
                "SELECT store_id, location FROM image_locations WHERE image_id = ?", id);
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET locations_json = ? WHERE id = ?")) {
            ps.setString(1, locations.isEmpty() ? null : Json.write(locations));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }
}
