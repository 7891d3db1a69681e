package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.launcher.EmbeddedMariaDb;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code db.url} set, the node uses that MariaDB through its pool and starts no server of its own. */
class ExternalDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aConfiguredExternalMariaDbHoldsTheRegistryAndTheEvents() throws Exception {
        try (EmbeddedMariaDb external = EmbeddedMariaDb.start(dir.resolve("external"), 0, "images_ext")) {
            Path etc = Node.configDir(dir.resolve("etc"), java.util.Map.of());
            Files.writeString(etc.resolve("com.xloud.image.registry.cfg"), "db.url = " + external.jdbcUrl()
                    + "\ndb.user = root\ndb.password =\ndb.pool.size = 5\n");
            Path data = dir.resolve("node");
            try (Node node = Node.start(data, "--config-dir", etc.toString())) {
                assertTrue(node.output().contains("external MariaDB"), node.output());
                assertFalse(Files.exists(data.resolve("mariadb")), "no embedded server was started");
                HttpResponse<String> created = node.postJson("/v2/images", "{\"name\":\"elsewhere\"}");
                assertEquals(201, created.statusCode());
                try (Connection c = DriverManager.getConnection(external.jdbcUrl() + "?user=root");
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM images WHERE name = 'elsewhere'),"
                             + " (SELECT COUNT(*) FROM DomainEventEntry WHERE payloadType LIKE '%ImageCreated')")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1));
                    assertEquals(1, rs.getInt(2));
                }
            }
        }
    }
}
