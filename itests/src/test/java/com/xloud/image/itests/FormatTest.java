package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk images made by qemu-img (Debian's qemu-utils), safe and malicious, uploaded and imported:
 * each format recognised while streaming with its virtual size; a mismatch with the declared
 * disk_format or an unsafe image (qcow2 with a backing file or an external data file, vmdk whose
 * extents are other files) refused with 415 on upload and failing an import, nothing left behind.
 */
class FormatTest {
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

    /** Runs qemu-img with {@code args} in the test folder. */
    static String qemuImg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec qemu-img \"$@\"", dir.toString()));
        cmd.addAll(List.of(args));
        return Node.cli(dir.resolve("home"), cmd);
    }

    static long virtualSize(String file) throws Exception {
        return JSON.readTree(qemuImg("info", "--output=json", file)).get("virtual-size").asLong();
    }

    static String create(String diskFormat) throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"fmt\",\"disk_format\":\"" + diskFormat
                + "\",\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> upload(String id, Path file) throws Exception {
        return node.send(node.request("/v2/images/" + id + "/file").header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build());
    }

    static JsonNode image(String id) throws Exception {
        return JSON.readTree(node.get("/v2/images/" + id).body());
    }

    static void accepted(String diskFormat, String file) throws Exception {
        String id = create(diskFormat);
        HttpResponse<String> up = upload(id, dir.resolve(file));
        assertEquals(204, up.statusCode(), file + ": " + up.body());
        JsonNode img = image(id);
        assertEquals("active", img.get("status").asText());
        assertEquals(virtualSize(file), img.get("virtual_size").asLong(), file);
    }

    static void refused(String diskFormat, String file, String why) throws Exception {
        String id = create(diskFormat);
        HttpResponse<String> up = upload(id, dir.resolve(file));
        assertEquals(415, up.statusCode(), file + " as " + diskFormat + ": " + up.body());
        assertTrue(up.body().contains(why), up.body());
        assertEquals("queued", image(id).get("status").asText());
        try (var left = Files.list(node.dataDir.resolve("images"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(id)), "no data of " + id + " is left");
        }
    }

    @Test
    void safeImagesOfEachFormatAreStoredWithTheirVirtualSize() throws Exception {
        qemuImg("create", "-q", "-f", "qcow2", "plain.qcow2", "64M");
        qemuImg("create", "-q", "-f", "vmdk", "sparse.vmdk", "32M");
        qemuImg("create", "-q", "-f", "vmdk", "-o", "subformat=streamOptimized", "stream.vmdk", "32M");
        qemuImg("create", "-q", "-f", "vpc", "dynamic.vhd", "16M");
        qemuImg("create", "-q", "-f", "vhdx", "disk.vhdx", "48M");
        qemuImg("create", "-q", "-f", "vdi", "disk.vdi", "24M");
        qemuImg("create", "-q", "-f", "raw", "disk.raw", "1M");
        accepted("qcow2", "plain.qcow2");
        accepted("vmdk", "sparse.vmdk");
        accepted("vmdk", "stream.vmdk");
        accepted("vhd", "dynamic.vhd");
        accepted("vhdx", "disk.vhdx");
        accepted("vdi", "disk.vdi");
        accepted("raw", "disk.raw");
    }

    @Test
    void unsafeOrMismatchedImagesAreRefusedOnUpload() throws Exception {
        qemuImg("create", "-q", "-f", "raw", "base.raw", "1M");
        qemuImg("create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", "backed.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-o", "data_file=external.raw", "datafile.qcow2", "1M");
        qemuImg("create", "-q", "-f", "vmdk", "-o", "subformat=monolithicFlat", "flat.vmdk", "1M");
        qemuImg("create", "-q", "-f", "qcow2", "other.qcow2", "8M");
        refused("qcow2", "backed.qcow2", "backing file");
        refused("qcow2", "datafile.qcow2", "external data file");
        refused("vmdk", "flat.vmdk", "unsafe");
        refused("raw", "other.qcow2", "does not match");
        refused("qcow2", "base.raw", "does not match");
        refused("vhd", "other.qcow2", "does not match");
    }

    @Test
    void anUnsafeImageFailsItsImport() throws Exception {
        qemuImg("create", "-q", "-f", "raw", "base2.raw", "1M");
        qemuImg("create", "-q", "-f", "qcow2", "-b", "base2.raw", "-F", "raw", "backed2.qcow2");
        String id = create("qcow2");
        HttpResponse<String> staged = node.send(node.request("/v2/images/" + id + "/stage")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(dir.resolve("backed2.qcow2"))).build());
        assertEquals(204, staged.statusCode(), staged.body());
        assertEquals(202, node.postJson("/v2/images/" + id + "/import", "{\"method\":{\"name\":\"glance-direct\"}}")
                .statusCode());
        JsonNode img = Await.until("the import to fail", Duration.ofSeconds(30), () -> image(id),
                i -> i.get("status").asText().equals("queued"));
        assertEquals("queued", img.get("status").asText());
        JsonNode tasks = JSON.readTree(node.get("/v2/images/" + id + "/tasks").body()).get("tasks");
        String message = tasks.get(0).get("message").asText();
        assertTrue(message.contains("backing file"), tasks.toString());
        try (var left = Files.list(node.dataDir.resolve("staging"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(id)), "nothing of it stays staged");
        }
    }

    /**
     * require.image.format.match = false: data that is not its disk_format is stored as Glance 25.1
     * stores it (Tempest uploads random bytes as qcow2 and vhd), without a virtual size read in the
     * wrong format; unsafe images stay refused.
     */
    @Test
    void withoutTheFormatMatchOnlyUnsafeImagesAreRefused() throws Exception {
        String cfg = Files.readString(Node.HOME.resolve("distribution/etc/com.xloud.image.inspection.cfg"))
                .replace("require.image.format.match = true", "require.image.format.match = false");
        assertTrue(cfg.contains("require.image.format.match = false"));
        Path config = Node.configDir(dir.resolve("lenient-etc"), java.util.Map.of("com.xloud.image.inspection.cfg",
                cfg));
        qemuImg("create", "-q", "-f", "raw", "base3.raw", "1M");
        qemuImg("create", "-q", "-f", "qcow2", "-b", "base3.raw", "-F", "raw", "backed3.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "real.qcow2", "8M");
        byte[] random = new byte[100_000];
        new java.util.Random(3).nextBytes(random);
        Files.write(dir.resolve("random.bin"), random);
        Node strict = node;
        try (Node lenient = Node.start(dir.resolve("lenient"), "--config-dir", config.toString())) {
            node = lenient;
            for (String format : List.of("qcow2", "vhd", "vmdk")) {
                String id = create(format);
                HttpResponse<String> up = upload(id, dir.resolve("random.bin"));
                assertEquals(204, up.statusCode(), format + ": " + up.body());
                JsonNode img = image(id);
                assertEquals("active", img.get("status").asText());
                assertTrue(img.get("virtual_size").isNull(), img.toString());
            }
            String asRaw = create("raw");
            assertEquals(204, upload(asRaw, dir.resolve("real.qcow2")).statusCode());
            assertEquals(Files.size(dir.resolve("real.qcow2")), image(asRaw).get("virtual_size").asLong());
            refused("qcow2", "backed3.qcow2", "backing file");
        } finally {
            node = strict;
        }
    }
}
