package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference clients, unchanged: Debian's python3-glanceclient and python3-openstackclient
 * against a node started as ./xloud run starts it.
 */
class ClientsTest {
    @TempDir
    static Path dir;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        node = Node.start(dir.resolve("node"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    record Result(int exit, String out) {
    }

    static Result glance(String... args) throws Exception {
        return new Result(0, node.glance(dir.resolve("home"), args));
    }

    static Result openstack(String... args) throws Exception {
        return new Result(0, node.openstack(dir.resolve("home"), args));
    }

    static Path file(String name, int size) throws Exception {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    static String md5(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(f)));
    }

    @Test
    void glanceClient() throws Exception {
        Path src = file("g.raw", 3_000_001);
        Result created = glance("image-create", "--name", "g-image", "--disk-format", "raw", "--container-format",
                "bare", "--file", src.toString());
        assertTrue(created.out().contains("active") && created.out().contains(md5(src)), created.out());
        Result list = glance("image-list");
        assertTrue(list.out().contains("g-image"), list.out());
        String id = list.out().lines().filter(l -> l.contains("g-image")).findFirst().orElseThrow().split("\\|")[1].trim();
        Result show = glance("image-show", id);
        assertTrue(show.out().contains("active"), show.out());
        assertTrue(show.out().contains(md5(src)), show.out());
        Path out = dir.resolve("g.out");
        glance("image-download", "--file", out.toString(), id);
        assertEquals(md5(src), md5(out));
        Result update = glance("image-update", "--property", "os_distro=debian", "--min-ram", "512", id);
        assertTrue(update.out().contains("debian") && update.out().contains("512"), update.out());
        glance("image-tag-update", id, "blue");
        assertTrue(glance("image-show", id).out().contains("blue"));
        glance("image-tag-delete", id, "blue");
        assertFalse(glance("image-show", id).out().contains("blue"));
        glance("image-delete", id);
        assertFalse(glance("image-list").out().contains(id));
    }

    @Test
    void glanceClientSharesAndDeactivates() throws Exception {
        Path src = file("s.raw", 1_000_003);
        glance("image-create", "--name", "g-shared", "--disk-format", "raw", "--container-format", "bare",
                "--visibility", "shared", "--file", src.toString());
        String id = glance("image-list").out().lines().filter(l -> l.contains("g-shared")).findFirst().orElseThrow()
                .split("\\|")[1].trim();
        Result created = glance("member-create", id, "p-friend");
        assertTrue(created.out().contains("p-friend") && created.out().contains("pending"), created.out());
        Result updated = glance("member-update", id, "p-friend", "accepted");
        assertTrue(updated.out().contains("accepted"), updated.out());
        Result listed = glance("member-list", "--image-id", id);
        assertTrue(listed.out().contains("p-friend") && listed.out().contains("accepted"), listed.out());
        glance("member-delete", id, "p-friend");
        assertFalse(glance("member-list", "--image-id", id).out().contains("p-friend"));
        glance("image-deactivate", id);
        assertTrue(glance("image-show", id).out().contains("deactivated"));
        glance("image-reactivate", id);
        assertTrue(glance("image-show", id).out().contains("active"));
    }

    /**
     * glanceclient reads errors as Glance writes them (HTML for its Accept of any type): the CLI
     * prints the node's message for a 404, a 403, a 409 and a 415, never a traceback of its own.
     */
    @Test
    void glanceClientPrintsTheNodesErrors() throws Exception {
        Path home = dir.resolve("home");
        String missing = "00000000-0000-4000-8000-000000000000";
        Node.Run notFound = Node.run(home, node.glanceCommand("image-show", missing));
        assertTrue(notFound.exit() != 0 && notFound.out().contains("No image found with ID " + missing)
                && notFound.out().contains("404"), notFound.out());
        Path src = file("e.raw", 1000);
        String id = JSON.readTree(openstack("image", "create", "--disk-format", "raw", "--file", src.toString(),
                "-f", "json", "errors").out()).get("id").asText();
        Node.Run conflict = Node.run(home, node.glanceCommand("image-upload", "--file", src.toString(), id));
        assertTrue(conflict.exit() != 0 && conflict.out().contains("409"), conflict.out());
        Node.Run forbidden = Node.run(home, node.glanceCommand("image-update", "--property", "os_glance_x=1", id));
        assertTrue(forbidden.exit() != 0 && forbidden.out().contains("403")
                && forbidden.out().contains("os_glance_x"), forbidden.out());
        Path qcow = file("q.img", 1000);
        byte[] header = Files.readAllBytes(qcow);
        System.arraycopy(new byte[] {'Q', 'F', 'I', 0xfb - 256, 0, 0, 0, 3}, 0, header, 0, 8);
        Files.write(qcow, header);
        String raw = JSON.readTree(node.postJson("/v2/images", "{\"name\":\"mismatch\",\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\"}").body()).get("id").asText();
        Node.Run unsupported = Node.run(home, node.glanceCommand("image-upload", "--file", qcow.toString(), raw));
        assertTrue(unsupported.exit() != 0 && unsupported.out().contains("415"), unsupported.out());
        for (Node.Run r : List.of(notFound, conflict, forbidden, unsupported)) {
            assertFalse(r.out().contains("Traceback") || r.out().contains("AttributeError"), r.out());
        }
    }

    @Test
    void openstackClient() throws Exception {
        Path src = file("o.raw", 2_000_003);
        JsonNode created = JSON.readTree(openstack("image", "create", "--disk-format", "raw", "--file", src.toString(),
                "-f", "json", "os-image").out());
        String id = created.get("id").asText();
        assertTrue(openstack("image", "list").out().contains("os-image"));
        openstack("image", "set", "--property", "k=v", "--tag", "t1", id);
        JsonNode shown = JSON.readTree(openstack("image", "show", "-f", "json", id).out());
        assertEquals("active", shown.get("status").asText());
        assertEquals(md5(src), shown.get("checksum").asText());
        assertEquals("v", shown.get("properties").get("k").asText());
        assertEquals("t1", shown.get("tags").get(0).asText());
        Path out = dir.resolve("o.out");
        openstack("image", "save", "--file", out.toString(), id);
        assertEquals(md5(src), md5(out));
        openstack("image", "delete", id);
        assertFalse(openstack("image", "list").out().contains(id));
    }
}
