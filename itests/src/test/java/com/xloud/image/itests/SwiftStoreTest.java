package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Swift store on a real Swift (tempauth), through the API, checked with the swift CLI: plain
 * and segmented images, ranges across segments, deletes, wrong credentials, and a proxy that stops
 * in the middle of an upload or a download.
 */
class SwiftStoreTest {
    @TempDir
    static Path dir;
    static SwiftCluster swift;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MIB = 1 << 20;

    @BeforeAll
    static void start() throws Exception {
        swift = SwiftCluster.start(dir.resolve("swift"));
        Path etc = Node.configDir(dir.resolve("etc"), Map.of(
                "com.xloud.image.store.swift-main.cfg", "store.id = swift\nstore.weight = 50\n"
                        + "swift.store.auth.address = " + swift.authAddress + "\n"
                        + "swift.store.user = " + SwiftCluster.USER + "\nswift.store.key = " + SwiftCluster.KEY + "\n"
                        + "swift.store.container = glance\nswift.store.create.container.on.put = true\n"
                        // segments from 4 MiB on, 2 MiB each: segmentation with a few MiB
                        + "swift.store.large.object.size = 4\nswift.store.large.object.chunk.size = 2\n"
                        + "swift.store.retry.get.count = 3\nswift.store.io.timeout = 20\n",
                "com.xloud.image.store.swift-spread.cfg", "store.id = swift-spread\n"
                        + "swift.store.auth.address = " + swift.authAddress + "\n"
                        + "swift.store.user = " + SwiftCluster.USER + "\nswift.store.key = " + SwiftCluster.KEY + "\n"
                        + "swift.store.container = spread\nswift.store.create.container.on.put = true\n"
                        + "swift.store.multiple.containers.seed = 2\n",
                "com.xloud.image.store.swift-bad.cfg", "store.id = swift-bad\n"
                        + "swift.store.auth.address = " + swift.authAddress + "\n"
                        + "swift.store.user = " + SwiftCluster.USER + "\nswift.store.key = not-the-s3cret\n"));
        Path core = etc.resolve("com.xloud.image.core.cfg");
        Files.writeString(core, Files.readString(core).replace("scrub.retry.seconds = 60", "scrub.retry.seconds = 2"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString(), "--features",
                Node.HOME.resolve("features/swift-node.features").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (swift != null) {
            swift.close();
        }
    }

    static String create() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"sw\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static HttpResponse<String> upload(String id, String store, HttpRequest.BodyPublisher body) throws Exception {
        return node.send(node.request("/v2/images/" + id + "/file").header("Content-Type", "application/octet-stream")
                .header("X-Image-Meta-Store", store).PUT(body).build());
    }

    static byte[] download(String id, String range) throws Exception {
        HttpRequest.Builder b = node.request("/v2/images/" + id + "/file");
        if (range != null) {
            b.header("Range", range);
        }
        HttpResponse<byte[]> r = node.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(range == null ? 200 : 206, r.statusCode());
        return r.body();
    }

    @Test
    void aSmallImageIsOneObject() throws Exception {
        byte[] data = random(1000, 1);
        String id = create();
        assertEquals(204, upload(id, "swift", HttpRequest.BodyPublishers.ofByteArray(data)).statusCode());
        JsonNode image = JSON.readTree(node.get("/v2/images/" + id).body());
        assertEquals("active", image.get("status").asText());
        assertEquals("swift", image.get("stores").asText());
        assertEquals(md5(data), image.get("checksum").asText());
        assertEquals(List.of(id), swift.list("glance", id), "one object, no segments");
        assertArrayEquals(data, download(id, null));
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), download(id, "bytes=100-199"));

        assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode());
        assertEquals(List.of(), swift.list("glance", id));
    }

    @Test
    void aLargeImageIsSegmentsJoinedByAStaticLargeObject() throws Exception {
        byte[] data = random(7 * MIB + 3, 2);
        String id = create();
        assertEquals(204, upload(id, "swift", HttpRequest.BodyPublishers.ofByteArray(data)).statusCode());
        JsonNode image = JSON.readTree(node.get("/v2/images/" + id).body());
        assertEquals(md5(data), image.get("checksum").asText(), "our md5 of the content, not the manifest's ETag");
        assertEquals(data.length, image.get("size").asLong());
        assertEquals(List.of(id, id + "-00001", id + "-00002", id + "-00003", id + "-00004"), swift.list("glance", id));
        String stat = swift.swift("stat", "glance", id);
        assertTrue(stat.contains("Content Length: " + data.length), stat);

        assertArrayEquals(data, download(id, null));
        int boundary = 2 * MIB;
        assertArrayEquals(Arrays.copyOfRange(data, boundary - 100, boundary + 100),
                download(id, "bytes=" + (boundary - 100) + "-" + (boundary + 99)), "a range across a segment boundary");
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 10, data.length), download(id, "bytes=-10"));

        assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode());
        assertEquals(List.of(), swift.list("glance", id), "manifest and segments are gone");
    }

    @Test
    void withASeedImagesSpreadOverContainersNamedByTheirIdPrefix() throws Exception {
        byte[] data = random(3000, 8);
        String id = create();
        assertEquals(204, upload(id, "swift-spread", HttpRequest.BodyPublishers.ofByteArray(data)).statusCode());
        String container = "spread_" + id.substring(0, 2);
        assertEquals(List.of(id), swift.list(container, id));
        assertArrayEquals(data, download(id, null));
        assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode());
        assertEquals(List.of(), swift.list(container, id));
    }

    @Test
    void tokensSwiftForgetsAreRenewed() throws Exception {
        byte[] data = random(5000, 9);
        String id = create();
        assertEquals(204, upload(id, "swift", HttpRequest.BodyPublishers.ofByteArray(data)).statusCode());
        swift.forgetTokens();
        assertArrayEquals(data, download(id, null), "a download with a refused token authenticates again");
        swift.forgetTokens();
        String second = create();
        HttpResponse<String> up = upload(second, "swift", HttpRequest.BodyPublishers.ofByteArray(data));
        assertEquals(204, up.statusCode(), "an upload with a refused token authenticates again: " + up.body());
        assertArrayEquals(data, download(second, null));
    }

    @Test
    void dataShorterThanAnnouncedIsRefusedAndLeavesNoObjectOrSegment() throws Exception {
        for (int size : new int[] {3000, 5 * MIB}) {
            String id = create();
            HttpResponse<String> r = node.send(node.request("/v2/images/" + id + "/file")
                    .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "swift")
                    .header("x-openstack-image-size", Integer.toString(size + 1000))
                    // chunked: the announced size alone says how long the image is
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(random(size, 10)))).build());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("size mismatch"), r.body());
            assertEquals("queued", node.status(id));
            assertEquals(List.of(), swift.list("glance", id), "nothing of a refused upload stays in Swift");
        }
    }

    @Test
    void anImageOfUnknownSizeIsSegmented() throws Exception {
        byte[] data = random(5 * MIB, 3);
        String id = create();
        // a stream body: sent chunked, without a Content-Length
        HttpResponse<String> up = upload(id, "swift",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data)));
        assertEquals(204, up.statusCode(), up.body());
        assertEquals(List.of(id, id + "-00001", id + "-00002", id + "-00003"), swift.list("glance", id));
        assertArrayEquals(data, download(id, null));
    }

    @Test
    void wrongCredentialsMakeTheStoreUnhealthyAndUploads503WhileOtherStoresWork() throws Exception {
        JsonNode stores = JSON.readTree(node.get("/v2/info/stores/detail").body()).get("stores");
        JsonNode bad = null;
        JsonNode good = null;
        for (JsonNode s : stores) {
            if (s.get("id").asText().equals("swift-bad")) {
                bad = s;
            } else if (s.get("id").asText().equals("swift")) {
                good = s;
            }
        }
        assertFalse(bad.get("health").get("available").asBoolean(), bad.toString());
        assertTrue(bad.get("health").get("detail").asText().contains("refused the store's credentials"), bad.toString());
        assertTrue(good.get("health").get("available").asBoolean(), good.toString());
        assertEquals("swift", good.get("type").asText());

        String id = create();
        HttpResponse<String> refused = upload(id, "swift-bad", HttpRequest.BodyPublishers.ofByteArray(random(1000, 4)));
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("refused the store's credentials"), refused.body());
        assertEquals("queued", node.status(id));
        assertEquals(204, upload(id, "file", HttpRequest.BodyPublishers.ofByteArray(random(1000, 4))).statusCode(),
                "the file store is untouched");

        // no key in any answer or log line
        assertFalse(stores.toString().contains("s3cret"), stores.toString());
        assertFalse(Files.readString(node.log).contains("s3cret"), "the log names no key");
        assertFalse(Files.readString(node.dataDir.resolve("logs/xloud.log")).contains("s3cret"));
    }

    @Test
    void aProxyStoppedMidUploadLeavesTheImageQueuedAndNoSegmentOnceSwiftIsBack() throws Exception {
        String id = create();
        byte[] chunk = random(MIB, 5);
        String response;
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            s.setSoTimeout(90_000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Image-Meta-Store: swift\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + 20 * MIB + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 6; i++) {
                out.write(chunk);
            }
            out.flush();
            Await.until("two segments in Swift", Duration.ofSeconds(30), () -> swift.list("glance", id).size(),
                    n -> n >= 2);
            swift.stopProxy();
            try {
                for (int i = 0; i < 14; i++) {
                    out.write(chunk);
                }
                out.flush();
            } catch (IOException refusedEarly) {
                // the node may answer and close before the body ends
            }
            response = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        } finally {
            swift.startProxy();
        }
        assertTrue(response.startsWith("HTTP/1.1 5"), "a clean 5xx: " + response);
        assertEquals("queued", node.status(id));
        List<String> left = Await.until("the partial segments to go", Duration.ofSeconds(60),
                () -> swift.list("glance", id), List::isEmpty);
        assertEquals(List.of(), left, "no segment is left once Swift is back");
    }

    @Test
    void dataSwiftCouldNotRemoveAtTheDeleteIsRemovedOnceSwiftIsBack() throws Exception {
        String id = create();
        byte[] data = random(6 * MIB, 8);
        assertEquals(204, upload(id, "swift", HttpRequest.BodyPublishers.ofByteArray(data)).statusCode());
        assertEquals(4, swift.list("glance", id).size(), "manifest and three segments");
        swift.stopProxy();
        try {
            assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode(),
                    "the image is deleted even while its data cannot be removed");
            assertEquals(404, node.get("/v2/images/" + id).statusCode());
            assertFalse(node.get("/v2/images/" + id + "/history").body().contains("DataScrubbed"),
                    "nothing was removed while Swift is down");
        } finally {
            swift.startProxy();
        }
        List<String> left = Await.until("the scrubber to remove the data", Duration.ofSeconds(60),
                () -> swift.list("glance", id), List::isEmpty);
        assertEquals(List.of(), left, "manifest and segments are gone once Swift answers again");
        String history = node.get("/v2/images/" + id + "/history").body();
        assertTrue(history.contains("DataScrubbed"), history);
    }

    @Test
    void aCopyRemovedWhileSwiftIsDownGoesWithTheImage() throws Exception {
        String id = create();
        assertEquals(204, upload(id, "file", HttpRequest.BodyPublishers.ofByteArray(random(MIB, 9))).statusCode());
        HttpResponse<String> copy = node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"copy-image\"},\"stores\":[\"swift\"]}");
        assertEquals(202, copy.statusCode(), copy.body());
        Await.until("the copy into Swift", Duration.ofSeconds(30),
                () -> JSON.readTree(node.get("/v2/images/" + id).body()).get("stores").asText(),
                stores -> stores.contains("swift"));
        assertEquals(List.of(id), swift.list("glance", id));

        swift.stopProxy();
        try {
            assertEquals(204, node.send(node.request("/v2/stores/swift/" + id).DELETE().build()).statusCode());
            assertEquals("file", JSON.readTree(node.get("/v2/images/" + id).body()).get("stores").asText());
        } finally {
            swift.startProxy();
        }
        assertTrue(node.get("/v2/images/" + id + "/history").body().contains("DataLeftBehind"));
        assertEquals(List.of(id), swift.list("glance", id), "left while the image lives: an upload may write it again");

        assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode());
        List<String> left = Await.until("the scrubber to remove the copy", Duration.ofSeconds(60),
                () -> swift.list("glance", id), List::isEmpty);
        assertEquals(List.of(), left, "gone with the image");
    }

    /** A segmented image in Swift and a download of it that has started: the test stops the proxy next. */
    record Streaming(String id, byte[] data, InputStream in) {
    }

    static Streaming downloadStarted(long seed) throws Exception {
        byte[] data = random(48 * MIB, seed);
        String id = create();
        assertEquals(204, upload(id, "swift", HttpRequest.BodyPublishers.ofByteArray(data)).statusCode());
        HttpResponse<InputStream> r = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        return new Streaming(id, data, r.body());
    }

    @Test
    void aProxyRestartedMidDownloadResumesTheRead() throws Exception {
        Streaming download = downloadStarted(6);
        byte[] data = download.data();
        byte[] got;
        try (InputStream in = download.in()) {
            byte[] head = in.readNBytes(MIB);
            swift.stopProxy();
            swift.startProxy();
            byte[] rest = in.readAllBytes();
            got = new byte[head.length + rest.length];
            System.arraycopy(head, 0, got, 0, head.length);
            System.arraycopy(rest, 0, got, head.length, rest.length);
        }
        assertEquals(md5(data), md5(got), "the read resumed where it broke off");
    }

    @Test
    void aProxyStoppedMidDownloadEndsTheDownloadWithAnErrorNotAShortImage() throws Exception {
        Streaming download = downloadStarted(7);
        try (InputStream in = download.in()) {
            in.readNBytes(MIB);
            swift.stopProxy();
            IOException broken = assertThrows(IOException.class, in::readAllBytes,
                    "a download that Swift cannot finish is not a complete-looking 200");
            assertTrue(broken.getMessage() != null, broken.toString());
        } finally {
            swift.startProxy();
        }
        assertArrayEquals(download.data(), download(download.id(), null), "readable again once Swift is back");
    }
}
