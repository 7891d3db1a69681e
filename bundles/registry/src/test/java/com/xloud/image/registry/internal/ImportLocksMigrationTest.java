package com.xloud.image.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.xloud.image.launcher.EmbeddedMariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry of the previous release kept {@code os_glance_import_task} after the task ended;
 * the upgrade drops it where the task ended or is unknown, and keeps it where the task runs.
 */
class ImportLocksMigrationTest {
    @TempDir
    Path dir;

    @Test
    void endedLocksGoRunningOnesStay() throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dir, 0, "scratch")) {
            String url = OldRegistry.create(db, "old", "utf8mb4", "16");
            Map<String, String> taskStatus = Map.of("1", "success", "2", "failure", "3", "processing", "4", "");
            try (Connection c = DriverManager.getConnection(url, db.user(), "");
                 Statement s = c.createStatement()) {
                for (var image : taskStatus.entrySet()) {
                    String id = "00000000-0000-0000-0000-00000000000" + image.getKey();
                    String task = "10000000-0000-0000-0000-00000000000" + image.getKey();
                    s.execute("INSERT INTO images (id, name, status, visibility, protected, os_hidden, min_ram, min_disk,"
                            + " created_at, updated_at) VALUES ('" + id + "', 'old', 'active', 'shared', 0, 0, 0, 0,"
                            + " NOW(6), NOW(6))");
                    s.execute("INSERT INTO image_properties (image_id, name, value) VALUES ('" + id
                            + "', 'os_glance_import_task', '" + task + "'), ('" + id + "', 'x_k', 'v\u00e9')");
                    if (!image.getValue().isEmpty()) {
                        s.execute("INSERT INTO tasks (id, type, status, image_id, message, created_at, updated_at)"
                                + " VALUES ('" + task + "', 'api_image_import', '" + image.getValue() + "', '" + id
                                + "', '', NOW(6), NOW(6))");
                    }
                    ImageDocuments.refreshDocuments(c, id);
                }
            }
            MariaDbRegistry registry = new MariaDbRegistry(url, db.user(), "", 2, 5000);
            try {
                for (var image : taskStatus.entrySet()) {
                    String id = "00000000-0000-0000-0000-00000000000" + image.getKey();
                    Map<String, String> properties = registry.find(id).orElseThrow().properties();
                    assertEquals("v\u00e9", properties.get("x_k"));
                    assertEquals(image.getValue().equals("processing"), properties.containsKey("os_glance_import_task"),
                            image.getValue() + ": " + properties);
                }
            } finally {
                registry.close();
            }
        }
    }
}
