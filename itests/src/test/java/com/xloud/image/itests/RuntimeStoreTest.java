package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store bundle deployed into a running file-store node, used, removed, deployed again and
 * upgraded to a new version, without restarting the node, while requests on the file store go on.
 */
class RuntimeStoreTest {
    @TempDir
    static Path dir;
    static SwiftCluster swift;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path BUNDLES = Node.HOME.resolve("distribution/assembly/target/xloud/bundles");
    static final String STORE_JAR = "com.xloud.image.store.swift-0.1.0-SNAPSHOT.jar";

    @BeforeAll
    static void start() throws Exception {
        swift = SwiftCluster.start(dir.resolve("swift"));
        // the store's configuration is there from the start: the store appears with its bundle
        Path etc = Node.configDir(dir.resolve("etc"), Map.of("com.xloud.image.store.swift-main.cfg",
                "store.id = swift\nswift.store.auth.address = " + swift.authAddress + "\n"
                        + "swift.store.user = " + SwiftCluster.USER + "\nswift.store.key = " + SwiftCluster.KEY + "\n"
                        + "swift.store.create.container.on.put = true\n"));
        // a profile named, not a file: the launcher finds features/file-node.features
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString(), "--features", "file-node");
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

    static Path deploy() {
        return node.dataDir.resolve("deploy");
    }

    static String create() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"rt\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static int upload(String id, String store, byte[] data) throws Exception {
        return node.send(node.request("/v2/images/" + id + "/file").header("Content-Type", "application/octet-stream")
                .header("X-Image-Meta-Store", store).PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build())
                .statusCode();
    }

    static HttpResponse<byte[]> download(String id) throws Exception {
        return node.http.send(node.request("/v2/images/" + id + "/file").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The swift store as admins see it in /v2/info/stores/detail, or null while it is not live. */
    static JsonNode swiftStore() throws Exception {
        for (JsonNode s : JSON.readTree(node.get("/v2/info/stores/detail").body()).get("stores")) {
            if (s.get("id").asText().equals("swift")) {
                return s;
            }
        }
        return null;
    }

    /** Copies into deploy/ through a temporary name, so that FileInstall never sees half a jar. */
    static void drop(Path jar, String name) throws IOException {
        Path tmp = dir.resolve(name + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, deploy().resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Path bundle(String prefix) throws IOException {
        try (var files = Files.list(BUNDLES)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    /** The store jar with another Bundle-Version: what a vendor ships as an update. */
    static Path withVersion(Path jar, String version) throws IOException {
        return Node.upgraded(jar, dir.resolve("upgraded.jar"), version, java.util.Map.of());
    }

    @Test
    void aStoreBundleComesGoesComesBackAndIsUpgradedWhileTheNodeRuns() throws Exception {
        assertEquals(null, swiftStore(), "no Swift store before its bundle is deployed");
        byte[] fileData = new byte[300_000];
        new Random(1).nextBytes(fileData);
        String onFile = create();
        assertEquals(204, upload(onFile, "file", fileData));

        // requests on the file store go on during everything that follows
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread load = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<byte[]> r = download(onFile);
                    if (r.statusCode() != 200 || r.body().length != fileData.length) {
                        failures.add("GET file " + r.statusCode());
                    }
                    int meta = node.get("/v2/images/" + onFile).statusCode();
                    if (meta != 200) {
                        failures.add("GET image " + meta);
                    }
                    served.incrementAndGet();
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "file-store-load");
        load.start();
        try {
            // deploy: the HTTP client bundles it needs, then the store itself
            for (String dep : List.of("jetty-alpn-client-", "jetty-compression-common-", "jetty-client-")) {
                Path jar = bundle(dep);
                drop(jar, jar.getFileName().toString());
            }
            drop(BUNDLES.resolve(STORE_JAR), STORE_JAR);
            JsonNode live = Await.until("the store to appear", Duration.ofSeconds(5), RuntimeStoreTest::swiftStore,
                    s -> s != null);
            assertTrue(live != null, "the Swift store is live within 5 seconds of its bundle being dropped");
            assertTrue(live.get("health").get("available").asBoolean(), live.toString());

            // what runs, as admins see it: the bundle, and the store service it provides
            JsonNode inNode = JSON.readTree(node.get("/v2/x-admin/bundles").body());
            boolean active = false;
            for (JsonNode b : inNode.get("bundles")) {
                active |= b.get("symbolic_name").asText().equals("com.xloud.image.store.swift")
                        && b.get("state").asText().equals("ACTIVE");
            }
            assertTrue(active, "the store bundle is listed as active: " + inNode.get("bundles"));
            List<String> storeIds = new ArrayList<>();
            for (JsonNode svc : inNode.get("services").get("ImageStore")) {
                storeIds.add(svc.get("store.id").asText());
                assertTrue(!svc.toString().contains("s3cret"), "no key in the service list: " + svc);
            }
            assertTrue(storeIds.containsAll(List.of("file", "swift")), storeIds.toString());
            assertEquals(403, node.send(node.request("/v2/x-admin/bundles").header("X-Project-Id", "p1")
                    .header("X-User-Id", "u1").header("X-Roles", "member").GET().build()).statusCode());

            byte[] data = new byte[6 * 1024 * 1024];
            new Random(2).nextBytes(data);
            String onSwift = create();
            assertEquals(204, upload(onSwift, "swift", data));
            assertArrayEquals(data, download(onSwift).body());

            // a download streaming from the store when it goes: it finishes, or it ends with an error
            HttpResponse<InputStream> streaming = node.http.send(node.request("/v2/images/" + onSwift + "/file").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = streaming.body();
            byte[] head = in.readNBytes(1024);

            // remove: its images answer 503, uploads naming it 400 as an unknown store, the file store is untouched
            Files.delete(deploy().resolve(STORE_JAR));
            Await.until("the store to go", Duration.ofSeconds(10), RuntimeStoreTest::swiftStore, s -> s == null);
            try (in) {
                byte[] rest = in.readAllBytes();
                byte[] whole = new byte[head.length + rest.length];
                System.arraycopy(head, 0, whole, 0, head.length);
                System.arraycopy(rest, 0, whole, head.length, rest.length);
                assertArrayEquals(data, whole, "a download that ends without an error is complete");
            } catch (IOException cleanError) {
                // the other allowed outcome: the client learns that the download broke off
            }
            HttpResponse<byte[]> gone = download(onSwift);
            assertEquals(503, gone.statusCode());
            String message = new String(gone.body(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(message.contains("Store unavailable") && message.contains("swift"), message);
            String another = create();
            assertEquals(400, upload(another, "swift", new byte[10]), "an upload naming a store that is not there");
            assertEquals(204, upload(another, "file", new byte[10]));

            // back: access is restored
            drop(BUNDLES.resolve(STORE_JAR), STORE_JAR);
            Await.until("the store to come back", Duration.ofSeconds(5), RuntimeStoreTest::swiftStore, s -> s != null);
            assertArrayEquals(data, download(onSwift).body());

            // upgrade: a new version of the jar under the same name replaces the running one
            String before = swiftStore().get("bundle").asText();
            assertTrue(before.startsWith("com.xloud.image.store.swift 0.1.0"), before);
            drop(withVersion(BUNDLES.resolve(STORE_JAR), "0.1.1.upgrade"), STORE_JAR);
            JsonNode upgraded = Await.until("the new version to run", Duration.ofSeconds(10),
                    RuntimeStoreTest::swiftStore, s -> s != null && s.get("bundle").asText().endsWith("0.1.1.upgrade"));
            assertEquals("com.xloud.image.store.swift 0.1.1.upgrade", upgraded.get("bundle").asText());
            assertArrayEquals(data, download(onSwift).body());
            String afterUpgrade = create();
            assertEquals(204, upload(afterUpgrade, "swift", data));
        } finally {
            running.set(false);
            load.join();
        }
        assertEquals(List.of(), failures, "no request on the file store failed");
        assertTrue(served.get() > 10, "the file store was used throughout: " + served.get());
    }
}
