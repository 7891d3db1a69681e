package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Horizon (Debian's openstack-dashboard) in a headless Chromium against a node in keystone mode,
 * with Glance's catalog of metadata definitions loaded: the Angular images panel and the older
 * Django one, as a member and as an admin, through itests/scripts/horizon_ui.py. Each scenario
 * fails on any error message a page shows; what it did is then checked through the image API.
 */
class HorizonTest {
    @TempDir
    static Path dir;
    static String auth;
    static Node node;
    static String angular;
    static String django;
    static Path image;
    static String md5;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SUFFIX = Long.toString(System.nanoTime() % 1_000_000, 36);

    @BeforeAll
    static void start() throws Exception {
        int nodePort = SwiftKeystoneTest.free();
        auth = SwiftKeystoneTest.script("keystone.sh", Map.of("KS_DIR", dir.resolve("keystone").toString(), "KS_PORT",
                Integer.toString(SwiftKeystoneTest.free()), "IMAGE_URL", "http://127.0.0.1:" + nodePort), "up");
        Path etc = Node.configDir(dir.resolve("etc"), Map.of());
        Node.keystoneMode(etc, auth, 300);
        node = Node.startOn(nodePort, dir.resolve("node"), "--config-dir", etc.toString());
        // Glance's catalog, loaded by the admin as glance-manage db_load_metadefs loads it
        Node.Run load = Node.run(Node.HOME, List.of("/usr/bin/python3", Node.HOME.resolve("distribution/tools/metadefs.py").toString(), "load",
                "/usr/share/glance-common/metadefs", "--url", node.url(), "--token",
                KeystoneTokens.token(auth, "admin", "admin")));
        assertEquals(0, load.exit(), load.out());
        angular = horizon("angular", true);
        django = horizon("django", false);
        byte[] data = new byte[1024 * 1024 + 5];
        new Random(11).nextBytes(data);
        image = Files.write(dir.resolve("upload.raw"), data);
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    static String horizon(String name, boolean angularImages) throws Exception {
        return SwiftKeystoneTest.script("horizon.sh", Map.of("HZ_DIR", dir.resolve("horizon-" + name).toString(),
                "HZ_PORT", Integer.toString(SwiftKeystoneTest.free()), "KS_URL", auth, "HZ_ANGULAR_IMAGES",
                Boolean.toString(angularImages)), "up");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (String name : List.of("angular", "django")) {
                Path log = dir.resolve("horizon-" + name).resolve("horizon.log");
                if (Files.exists(log)) {
                    String text = Files.readString(log);
                    assertFalse(text.contains("\" 500 "), "Horizon answered 500 somewhere:\n" + text);
                }
                SwiftKeystoneTest.script("horizon.sh", Map.of("HZ_DIR", dir.resolve("horizon-" + name).toString()),
                        "down");
            }
            if (node != null) {
                assertFalse(node.output().contains("-> 500"), "the node failed a request Horizon made");
                node.close();
            }
        } finally {
            SwiftKeystoneTest.script("keystone.sh", Map.of("KS_DIR", dir.resolve("keystone").toString()), "down");
        }
    }

    /** Runs one scenario of horizon_ui.py; returns what it reports it made. */
    static JsonNode ui(String scenario, String horizon) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", Node.HOME.resolve("itests/scripts/horizon_ui.py")
                .toString(), scenario, "--horizon", horizon, "--file", image.toString(), "--suffix", SUFFIX)
                .redirectError(ProcessBuilder.Redirect.to(dir.resolve(scenario + ".err").toFile()));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(15, TimeUnit.MINUTES);
        String err = Files.readString(dir.resolve(scenario + ".err"));
        assertTrue(ended && p.exitValue() == 0, scenario + " in Horizon failed (" + (ended ? "exit " + p.exitValue()
                : "still running") + "):\n" + err + out);
        return JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    }

    static JsonNode byName(String token, String name) throws Exception {
        HttpResponse<String> r = node.send(node.request("/v2/images?name=" + URLEncoder.encode(name,
                StandardCharsets.UTF_8)).header("X-Auth-Token", token).GET().build());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("images");
    }

    static JsonNode uploaded(String token, String name) throws Exception {
        JsonNode images = byName(token, name);
        assertEquals(1, images.size(), name + ": " + images);
        JsonNode i = images.get(0);
        assertEquals("active", i.get("status").asText(), i.toString());
        assertEquals(Files.size(image), i.get("size").asLong(), "the whole upload went through Horizon");
        assertEquals(md5, i.get("checksum").asText());
        assertEquals("raw", i.get("disk_format").asText());
        return i;
    }

    @Test
    void aMemberCreatesEditsAndDeletesInTheAngularPanel() throws Exception {
        JsonNode did = ui("member-angular", angular);
        String alice = KeystoneTokens.token(auth, "alice", "alpha");
        JsonNode kept = uploaded(alice, did.get("kept").asText());
        assertEquals(did.get("hz_note").asText(), kept.get("hz_note").asText(), "a custom property, astral and all");
        assertEquals("30", kept.get("os_shutdown_timeout").asText(), "a property from the catalog's namespace");
        assertEquals(0, byName(alice, did.get("deleted").asText()).size());
    }

    @Test
    void aMemberCreatesEditsAndDeletesInTheDjangoPanel() throws Exception {
        JsonNode did = ui("member-legacy", django);
        String alice = KeystoneTokens.token(auth, "alice", "alpha");
        JsonNode kept = uploaded(alice, did.get("kept").asText());
        assertEquals(did.get("description").asText(), kept.get("description").asText());
        assertEquals(0, byName(alice, did.get("deleted").asText()).size());
    }

    @Test
    void anAdminUpdatesMetadataFromTheCatalogAndMakesAnImagePublic() throws Exception {
        JsonNode did = ui("admin-angular", angular);
        JsonNode made = uploaded(KeystoneTokens.token(auth, "admin", "admin"), did.get("public").asText());
        assertEquals("public", made.get("visibility").asText());
        assertEquals("45", made.get("os_shutdown_timeout").asText());
        // and every member sees it now
        assertEquals(1, byName(KeystoneTokens.token(auth, "bob", "beta"), did.get("public").asText()).size());
    }

    @Test
    void anAdminImportsANamespaceInMetadataDefinitions() throws Exception {
        JsonNode did = ui("admin-metadefs", angular);
        String ns = did.get("namespace").asText();
        HttpResponse<String> r = node.send(node.request("/v2/metadefs/namespaces/" + ns)
                .header("X-Auth-Token", KeystoneTokens.token(auth, "alice", "alpha")).GET().build());
        assertEquals(200, r.statusCode(), "public, so a member reads it: " + r.body());
        JsonNode shown = JSON.readTree(r.body());
        assertEquals("fast", shown.get("properties").get("xloud_hz_speed").get("enum").get(1).asText());
        assertEquals("OS::Glance::Image", shown.get("resource_type_associations").get(0).get("name").asText());
    }
}
