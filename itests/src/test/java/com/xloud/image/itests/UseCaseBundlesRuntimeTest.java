package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image data (com.xloud.image.data), import and tasks (com.xloud.image.imports) and the changes to
 * locations (com.xloud.image.locations) are bundles of their own on the core's kernel. A node
 * without them serves the rest of the API, offers no import method, and answers the data, staging,
 * import, task and location routes with 503 naming the bundle, changing nothing; a bundle dropped
 * into the running node brings its routes, taken away again they go. The data bundle comes first
 * and stays: the other tests upload.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class UseCaseBundlesRuntimeTest {
    static final String BUNDLE = "com.xloud.image.imports";
    static final String LOCATIONS = "com.xloud.image.locations";
    static final String DATA = "com.xloud.image.data";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        Path features = Node.featuresWithout(dir.resolve("without-use-cases.features"), List.of(BUNDLE, LOCATIONS, DATA));
        Path etc = Node.configDir(dir.resolve("etc"), java.util.Map.of());
        Path core = etc.resolve("com.xloud.image.core.cfg");
        java.nio.file.Files.writeString(core, java.nio.file.Files.readString(core).replace(
                "show.multiple.locations = false", "show.multiple.locations = true"));
        node = Node.start(dir.resolve("node"), "--features", features.toString(), "--config-dir", etc.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static String create() throws Exception {
        return node.createRaw("imported", "");
    }

    static HttpResponse<String> put(String id, String what, byte[] data) throws Exception {
        return node.putData(id, what, data);
    }

    /** {@code size} random bytes that start with no known disk-format header (the inspection takes them as raw). */
    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        data[0] = 1;
        return data;
    }

    static JsonNode methods() throws Exception {
        return JSON.readTree(node.get("/v2/info/import").body()).get("import-methods").get("value");
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void withoutItsBundleImageDataAnswers503AndTheMetadataServes() throws Exception {
        byte[] data = bytes(4000, 7);
        String id = create();
        HttpResponse<String> refused = put(id, "file", data);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains(DATA), refused.body());
        assertEquals("queued", node.status(id), "nothing stored");
        assertEquals(503, node.get("/v2/info/stores").statusCode());
        assertEquals("absent", node.concern("data").get("state").asText(), "the health report says so");
        assertEquals(200, patch(id, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"}]")
                .statusCode(), "the metadata is the core's");

        node.deploy(Node.bundleJar(DATA));
        Await.until("the data served", Duration.ofSeconds(60), () -> node.get("/v2/info/stores").statusCode(),
                s -> s == 200);
        assertEquals(204, put(id, "file", data).statusCode());
        HttpResponse<byte[]> read = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, read.statusCode());
        assertTrue(java.util.Arrays.equals(data, read.body()), "the data read back");
        assertEquals("running", node.concern("data").get("state").asText());
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void withoutItsBundleImportsAnswer503AndEverythingElseServes() throws Exception {
        byte[] data = bytes(5000, 5);
        assertEquals(0, methods().size(), "no import method is offered");
        assertEquals("absent", node.concern("import").get("state").asText(), "the health report says so");
        String staged = create();
        HttpResponse<String> stage = put(staged, "stage", data);
        assertEquals(503, stage.statusCode(), stage.body());
        assertTrue(stage.body().contains(BUNDLE), stage.body());
        assertEquals("queued", node.status(staged), "nothing staged");
        HttpResponse<String> importing = node.postJson("/v2/images/" + staged + "/import",
                "{\"method\":{\"name\":\"glance-direct\"}}");
        assertEquals(503, importing.statusCode(), importing.body());
        assertEquals(503, node.get("/v2/tasks").statusCode());
        String uploaded = create();
        assertEquals(204, put(uploaded, "file", data).statusCode(), "uploads are the data bundle's");
        assertEquals("active", node.status(uploaded));

        Path jar = Node.bundleJar(BUNDLE);
        node.deploy(jar);
        Await.until("the import methods", Duration.ofSeconds(60), () -> methods().size(), n -> n > 0);
        assertEquals("running", node.concern("import").get("state").asText());
        assertEquals(204, put(staged, "stage", data).statusCode());
        assertEquals(202, node.postJson("/v2/images/" + staged + "/import", "{\"method\":{\"name\":\"glance-direct\"}}")
                .statusCode());
        Await.until("the import", Duration.ofSeconds(60), () -> node.status(staged), s -> s.equals("active"));
        assertEquals(200, node.get("/v2/tasks").statusCode());

        node.undeploy(jar);
        Await.until("the import methods gone", Duration.ofSeconds(60), () -> methods().size(), n -> n == 0);
        assertEquals(503, put(create(), "stage", data).statusCode());
        assertFalse(node.output().contains("-> 500"), "no request failed on the way");
    }

    static HttpResponse<String> patch(String id, String ops) throws Exception {
        return node.send(node.request("/v2/images/" + id).header("Content-Type",
                "application/openstack-images-v2.1-json-patch").method("PATCH", HttpRequest.BodyPublishers.ofString(ops))
                .build());
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void withoutItsBundleLocationChangesAnswer503AndNothingChanges() throws Exception {
        byte[] data = bytes(3000, 6);
        String active = create();
        assertEquals(204, put(active, "file", data).statusCode());
        String url = JSON.readTree(node.get("/v2/images/" + active).body()).get("locations").get(0).get("url").asText();
        HttpResponse<String> list = node.get("/v2/images/" + active + "/locations");
        assertEquals(503, list.statusCode(), list.body());
        assertTrue(list.body().contains(LOCATIONS), list.body());
        assertEquals("absent", node.concern("locations").get("state").asText(), "the health report says so");
        String queued = create();
        String add = "[{\"op\":\"add\",\"path\":\"/locations/-\",\"value\":{\"url\":\"" + url
                + "\",\"metadata\":{}}}]";
        HttpResponse<String> refused = patch(queued, add);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("queued", node.status(queued), "nothing changed");
        assertEquals(200, patch(queued, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"}]")
                .statusCode(), "the other changes are the core's");

        Path jar = Node.bundleJar(LOCATIONS);
        node.deploy(jar);
        Await.until("the locations served", Duration.ofSeconds(60),
                () -> node.get("/v2/images/" + active + "/locations").statusCode(), s -> s == 200);
        assertEquals(LOCATIONS, node.concern("locations").get("bundle").asText());
        HttpResponse<String> added = patch(queued, add);
        assertEquals(200, added.statusCode(), added.body());
        assertEquals("active", node.status(queued));

        node.undeploy(jar);
        Await.until("the locations gone", Duration.ofSeconds(60),
                () -> node.get("/v2/images/" + active + "/locations").statusCode(), s -> s == 503);
        assertFalse(node.output().contains("-> 500"), "no request failed on the way");
    }
}
