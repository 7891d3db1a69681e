package com.xloud.image.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 14: the JSON copies of every image's tags, properties and locations written again by
 * the projection's own code. Earlier versions let MariaDB's JSON aggregates write them, which
 * mangled text beyond ASCII; the tables they are made from were always right.
 */
final class DocumentsRewrite implements JavaMigration {
    private static final int BATCH = 500;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("14");
    }

    @Override
    public String getDescription() {
        return "json documents rewritten";
    }

    @Override
    public Integer getChecksum() {
        return 14;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
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
                ImageDocuments.refreshLocations(c, id);
            }
            if (ids.size() < BATCH) {
                return;
            }
            after = ids.get(ids.size() - 1);
        }
    }
}
