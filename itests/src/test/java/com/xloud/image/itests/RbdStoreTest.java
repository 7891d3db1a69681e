package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RBD store on a real Ceph cluster, through the API, checked with the rbd CLI. */
class RbdStoreTest {
    @TempDir
    static Path dir;
    static CephCluster ceph;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        ceph = CephCluster.start(dir.resolve("ceph"));
        Path etc = Node.configDir(dir.resolve("etc"), java.util.Map.of());
        Files.writeString(etc.resolve("com.xloud.image.store.rbd-ceph.cfg"), "store.id = ceph\n"
                + "store.description = Ceph RBD\nstore.weight = 50\nrbd.store.pool = images\nrbd.store.user = admin\n"
                + "rbd.store.ceph.conf = " + ceph.conf + "\nrbd.store.chunk.size = 8\nrados.osd.op.timeout = 5\n");
        Files.writeString(etc.resolve("com.xloud.image.store.rbd-thin.cfg"), "store.id = ceph-thin\n"
                + "rbd.store.pool = images\nrbd.store.user = admin\nrbd.store.ceph.conf = " + ceph.conf
                + "\nrbd.store.chunk.size = 4\nrbd.thin.provisioning = true\n");
        // Nova's RBD backend reads locations and direct_url: both on, as a cloud with Ceph sets them
        Path core = etc.resolve("com.xloud.image.core.cfg");
        Files.writeString(core, Files.readString(core).replace("show.multiple.locations = false",
                "show.multiple.locations = true").replace("show.image.direct.url = false", "show.image.direct.url = true"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString(), "--features",
                Node.HOME.resolve("features/rbd-node.features").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (ceph != null) {
            ceph.close();
        }
    }

    static String create() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"rbd\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void aHundredMebibytesIntoRbdWithAProtectedSnapshotThenClonesBlockDelete() throws Exception {
        byte[] data = new byte[100 * 1024 * 1024];
        new Random(100).nextBytes(data);
        String id = create();
        HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "ceph")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        assertEquals(204, up.statusCode(), up.body());
        JsonNode image = JSON.readTree(node.get("/v2/images/" + id).body());
        assertEquals("ceph", image.get("stores").asText());
        assertEquals(md5(data), image.get("checksum").asText());

        String info = ceph.rbd("info", "images/" + id);
        assertTrue(info.contains("size 100 MiB"), info);
        String snaps = ceph.rbd("snap", "ls", "images/" + id);
        assertTrue(snaps.contains("snap") && snaps.contains("yes"), "protected snapshot: " + snaps);

        HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(md5(data), md5(down.body()));
        HttpResponse<byte[]> range = node.http.send(node.request("/v2/images/" + id + "/file")
                .header("Range", "bytes=8388600-8388615").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 8388600, 8388616), range.body(), "across an object boundary");

        ceph.rbd("clone", "images/" + id + "@snap", "images/child-" + id);
        HttpResponse<String> refused = node.send(node.request("/v2/images/" + id).DELETE().build());
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("active", JSON.readTree(node.get("/v2/images/" + id).body()).get("status").asText());
        assertTrue(ceph.rbd("ls", "images").contains(id));
        ceph.rbd("rm", "images/child-" + id);
        assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode());
        assertFalse(ceph.rbd("ls", "images").contains(id), "the RBD image is gone");
    }

    @Test
    void anInterruptedUploadLeavesNoRbdImage() throws Exception {
        String id = create();
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Image-Meta-Store: ceph\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 60000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            new Random(7).nextBytes(chunk);
            for (int i = 0; i < 20; i++) {
                out.write(chunk);
            }
            out.flush();
        }
        String status = Await.until("the image back in queued", java.time.Duration.ofSeconds(30),
                () -> node.status(id), "queued"::equals);
        assertEquals("queued", status);
        boolean gone = Await.until("the partial RBD image to go", java.time.Duration.ofSeconds(15),
                () -> !ceph.rbd("ls", "images").contains(id), g -> g);
        assertTrue(gone, "the partial RBD image was removed");
    }

    @Test
    void storeDetailShowsTheCluster() throws Exception {
        JsonNode stores = JSON.readTree(node.get("/v2/info/stores/detail").body()).get("stores");
        JsonNode rbd = null;
        for (JsonNode s : stores) {
            if (s.get("id").asText().equals("ceph")) {
                rbd = s;
            }
        }
        assertEquals("rbd", rbd.get("type").asText());
        assertEquals("images", rbd.get("properties").get("pool").asText());
        assertEquals(8, rbd.get("properties").get("chunk_size").asInt());
    }

    @Test
    void anOsdThatStopsMidUploadGivesA503AndLeavesNothingOnceItIsBack() throws Exception {
        String id = create();
        long osd = Long.parseLong(Files.readString(ceph.dir.resolve("run/osd.0.pidfg")).strip());
        String response;
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            s.setSoTimeout(90_000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Image-Meta-Store: ceph\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 67108864\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            new Random(11).nextBytes(chunk);
            for (int i = 0; i < 16; i++) {
                out.write(chunk);
            }
            out.flush();
            Await.until("the upload to start", java.time.Duration.ofSeconds(10), () -> node.status(id), "saving"::equals);
            new ProcessBuilder("kill", "-STOP", Long.toString(osd)).start().waitFor();
            try {
                for (int i = 0; i < 24; i++) {
                    out.write(chunk);
                }
                out.flush();
            } catch (java.io.IOException refusedEarly) {
                // the node may answer and close before the body ends
            }
            long t0 = System.nanoTime();
            byte[] head = s.getInputStream().readNBytes(12);
            response = new String(head, StandardCharsets.US_ASCII);
            assertTrue((System.nanoTime() - t0) / 1_000_000_000L < 60, "answered within the timeout, not a hang");
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(osd)).start().waitFor();
        }
        assertTrue(response.startsWith("HTTP/1.1 5"), "a clean 5xx: " + response);
        assertEquals("queued", JSON.readTree(node.get("/v2/images/" + id).body()).get("status").asText());
        boolean gone = Await.until("the partial RBD image to go", java.time.Duration.ofSeconds(90),
                () -> !ceph.rbd("ls", "images").contains(id), g -> g);
        assertTrue(gone, "no partial RBD image is left once the OSD is back");
    }

    @Test
    void thinProvisioningSkipsChunksOfZeros() throws Exception {
        byte[] data = new byte[20 * 1024 * 1024];

        for (int i = 16 * 1024 * 1024; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        String id = create();
        HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "ceph-thin")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        assertEquals(204, up.statusCode(), up.body());
        String du = ceph.rbd("du", "images/" + id + "@snap");
        // PROVISIONED 20 MiB, USED only the one non-zero 4 MiB object
        assertTrue(du.contains("20 MiB") && du.contains("4 MiB"), du);
        HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(md5(data), md5(down.body()), "the zeros read back as zeros");
    }

    /**
     * What Nova's RBD image backend does with an image: read its direct_url (and locations), parse
     * {@code rbd://fsid/pool/image/snap}, check the fsid is its cluster's, clone the snapshot into
     * its own pool, and boot from the clone: the clone's data is the image's.
     */
    @Test
    void novaClonesTheImageFromItsDirectUrl() throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(11).nextBytes(data);
        String id = create();
        HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "ceph")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        assertEquals(204, up.statusCode(), up.body());
        JsonNode image = JSON.readTree(node.get("/v2/images/" + id).body());
        String url = image.get("direct_url").asText();
        assertEquals(url, image.get("locations").get(0).get("url").asText());
        assertEquals("ceph", image.get("locations").get(0).get("metadata").get("store").asText());
        assertTrue(url.startsWith("rbd://"), url);
        String[] parts = url.substring("rbd://".length()).split("/");
        assertEquals(4, parts.length, url);
        String fsid = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
        String pool = java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8);
        String rbdImage = java.net.URLDecoder.decode(parts[2], java.nio.charset.StandardCharsets.UTF_8);
        String snap = java.net.URLDecoder.decode(parts[3], java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(ceph.ceph("fsid").strip(), fsid, "the image is in this cluster");
        ceph.ceph("osd", "pool", "create", "vms", "8", "8");
        ceph.rbd("pool", "init", "vms");
        String disk = "vms/" + id + "_disk";
        ceph.rbd("clone", pool + "/" + rbdImage + "@" + snap, disk);
        Path exported = dir.resolve("clone.raw");
        ceph.rbd("export", disk, exported.toString());
        assertEquals(md5(data), md5(Files.readAllBytes(exported)), "the clone holds the image's data");
        ceph.rbd("rm", disk);
    }
}
