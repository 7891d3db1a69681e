package com.xloud.image.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 17: {@code os_glance_import_task} removed from the images whose import or copy task
 * has ended. Earlier versions kept the property after the task; Glance drops this lock when the
 * task ends, and the projection now does too. An image whose task still runs keeps it.
 */
final class ImportLocksDropped extends RegistryMigration {

    ImportLocksDropped() {
        super(17, "ended import locks dropped");
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        // property values and task ids are compared here rather than joined: their columns differ in collation
        java.util.Map<String, String> locks = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT image_id, value FROM image_properties"
                + " WHERE name = 'os_glance_import_task'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                locks.put(rs.getString(1), rs.getString(2));
            }
        }
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM tasks WHERE id = ?")) {
            for (var lock : locks.entrySet()) {
                ps.setString(1, lock.getValue());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !List.of("pending", "processing").contains(rs.getString(1))) {
                        ids.add(lock.getKey());
                    }
                }
            }
        }
        for (String id : ids) {
            RegistryProjection.removeProperty(c, id, "os_glance_import_task");
            ImageDocuments.refreshDocuments(c, id);
        }
    }
}
