package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Swift store with Keystone v3 auth (swift.store.auth.version = 3): a real Keystone and a
 * Swift whose proxy authenticates with it (authtoken + keystoneauth). The store gets a token for
 * project:user, finds its object-store endpoint in the catalog, and keeps images in that
 * project's account; the key appears nowhere.
 */
class SwiftKeystoneTest {
    @TempDir
    static Path dir;
    static String auth;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();

    static String script(String name, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Node.HOME.resolve("itests/scripts/" + name).toString(), args[0])
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(240, TimeUnit.SECONDS) && p.exitValue() == 0, name + " " + args[0] + " failed:\n" + out);
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }

    static int free() throws Exception {
        return com.xloud.image.launcher.EmbeddedMariaDb.freePort();
    }

    @BeforeAll
    static void start() throws Exception {
        auth = script("keystone.sh", Map.of("KS_DIR", dir.resolve("keystone").toString(), "KS_PORT",
                Integer.toString(free())), "up");
        script("swift.sh", Map.of("SWIFT_DIR", dir.resolve("swift").toString(), "SWIFT_PROXY_PORT",
                Integer.toString(free()), "SWIFT_ACCOUNT_PORT", Integer.toString(free()), "SWIFT_CONTAINER_PORT",
                Integer.toString(free()), "SWIFT_OBJECT_PORT", Integer.toString(free()), "SWIFT_MEMCACHED_PORT",
                Integer.toString(free()), "SWIFT_KEYSTONE_URL", auth), "up");
        Path etc = Node.configDir(dir.resolve("etc"), Map.of("com.xloud.image.store.swift-ks.cfg",
                "store.id = swift-ks\nswift.store.auth.address = " + auth + "\nswift.store.auth.version = 3\n"
                        + "swift.store.user = alpha:alice\nswift.store.key = alicepw\n"
                        + "swift.store.create.container.on.put = true\nswift.store.region = RegionOne\n"
                        + "swift.store.large.object.size = 1\nswift.store.large.object.chunk.size = 1\n"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString(), "--features", "swift-node");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            script("swift.sh", Map.of("SWIFT_DIR", dir.resolve("swift").toString()), "down");
            script("keystone.sh", Map.of("KS_DIR", dir.resolve("keystone").toString()), "down");
        }
    }

    @Test
    void imagesGoIntoTheProjectsAccountThroughKeystone() throws Exception {
        assertTrue(JSON.readTree(node.get("/v2/info/stores/detail").body()).toString().contains("\"available\":true"),
                "the store authenticates with Keystone and reaches its container");
        byte[] small = new byte[300_000];
        byte[] large = new byte[2_500_000]; // above the 1 MiB large-object size: segments and a manifest
        new Random(5).nextBytes(small);
        new Random(6).nextBytes(large);
        for (byte[] data : List.of(small, large)) {
            String id = JSON.readTree(node.postJson("/v2/images", "{\"name\":\"ks\",\"disk_format\":\"raw\","
                    + "\"container_format\":\"bare\"}").body()).get("id").asText();
            HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file")
                    .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "swift-ks")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
            assertEquals(204, up.statusCode(), up.body());
            HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(data, down.body());
            // the object is in alpha's account, where alice's own token sees it
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(auth + "/auth/tokens"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":"
                                    + "\"alice\",\"domain\":{\"id\":\"default\"},\"password\":\"alicepw\"}}},"
                                    + "\"scope\":{\"project\":{\"name\":\"alpha\",\"domain\":{\"id\":\"default\"}}}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            var body = JSON.readTree(token.body()).get("token");
            String storage = null;
            for (var service : body.get("catalog")) {
                if (service.get("type").asText().equals("object-store")) {
                    for (var e : service.get("endpoints")) {
                        if (e.get("interface").asText().equals("public")) {
                            storage = e.get("url").asText();
                        }
                    }
                }
            }
            assertTrue(storage != null && storage.endsWith("AUTH_" + body.get("project").get("id").asText()), storage);
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(storage + "/glance/" + id))
                    .header("X-Auth-Token", token.headers().firstValue("X-Subject-Token").orElseThrow())
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode(), "the image object is in alpha's account");
        }
        assertTrue(!node.output().contains("alicepw"), "the key is in no log line");
    }
}
