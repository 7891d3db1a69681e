package com.xloud.image.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.xloud.image.api.images.Image;
import com.xloud.image.launcher.EmbeddedMariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry made by the previous release (migrations up to 12, in a latin1 database, its JSON
 * copies written by MariaDB's aggregates) is upgraded in place: every table holds all of Unicode
 * without padding, and the mangled JSON copies are written again from their tables.
 */
class UnicodeMigrationTest {
    @TempDir
    Path dir;

    @Test
    void anOldRegistryIsRepairedWhenTheNodeStarts() throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dir, 0, "scratch")) {
            String url = OldRegistry.create(db, "old", "latin1", "12");
            String id = "00000000-0000-0000-0000-000000000001";
            try (Connection c = DriverManager.getConnection(url, db.user(), "");
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO images (id, name, status, visibility, protected, os_hidden, min_ram, min_disk,"
                        + " created_at, updated_at) VALUES ('" + id + "', 'old', 'queued', 'shared', 0, 0, 0, 0, NOW(6), NOW(6))");
                s.execute("INSERT INTO image_tags (image_id, tag) VALUES ('" + id + "', 'plain')");
                s.execute("INSERT INTO image_properties (image_id, name, value) VALUES ('" + id + "', 'x_k', 'v')");
                s.execute("UPDATE images SET tags_json = '[\"plain\",\"\\\\uD83DDE00\"]', properties_json = '{\"x_k\":\"v\"}'");
            }
            MariaDbRegistry registry = new MariaDbRegistry(url, db.user(), "", 2, 5000);
            try {
                Image image = registry.find(id).orElseThrow();
                assertEquals(List.of("plain"), image.tags(), "the JSON copy is written again from image_tags");
                assertEquals(Map.of("x_k", "v"), image.properties());
                try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO image_tags (image_id, tag) VALUES ('" + id + "', 'plain '), ('" + id
                            + "', '\uD83D\uDE00 été')");
                    ImageDocuments.refreshDocuments(c, id);
                    try (ResultSet rs = s.executeQuery("SELECT tag FROM image_tags WHERE image_id = '" + id
                            + "' AND tag = 'plain'")) {
                        rs.next();
                        assertEquals("plain", rs.getString(1));
                        assertEquals(false, rs.next(), "'plain ' is another tag than 'plain'");
                    }
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE"
                            + " TABLE_SCHEMA = 'old' AND CHARACTER_SET_NAME IS NOT NULL AND COLLATION_NAME <> 'utf8mb4_nopad_bin'"
                            + " AND NOT (TABLE_NAME = 'DomainEventEntry' AND COLUMN_NAME = 'event_at')"
                            + " AND TABLE_NAME <> 'schema_history'")) {
                        rs.next();
                        assertEquals(0, rs.getInt(1), "every text column is utf8mb4_nopad_bin");
                    }
                }
                assertEquals(List.of("plain", "plain ", "\uD83D\uDE00 été"), registry.find(id).orElseThrow().tags());
            } finally {
                registry.close();
            }
        }
    }
}
