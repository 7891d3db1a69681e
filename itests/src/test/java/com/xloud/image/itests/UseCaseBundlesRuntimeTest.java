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
 * Import and tasks (com.xloud.image.imports) and the changes to locations (com.xloud.image.locations)
 * are bundles of their own on the core's kernel. A node without them serves the rest of the API
 * (images made, data uploaded and read), offers no import method, and answers the staging,
 * import, task and location routes with 503 naming the bundle, changing nothing; a bundle dropped
 * into the running node brings its routes, taken away again they go.
 */
class UseCaseBundlesRuntimeTest {
    static final String BUNDLE = "com.xloud.image.imports";
    static final String LOCATIONS = "com.xloud.image.locations";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        Path features = Node.featuresWithout(dir.resolve("without-use-cases.features"), List.of(BUNDLE, LOCATIONS));
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

    static JsonNode methods() throws Exception {
        return JSON.readTree(node.get("/v2/info/import").body()).get("import-methods").get("value");
    }

    @Test
    void withoutItsBundleImportsAnswer503AndEverythingElseServes() throws Exception {
        byte[] data = new byte[5000];
        new java.util.Random(5).nextBytes(data);
        data[0] = 1;
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
        assertEquals(204, put(uploaded, "file", data).statusCode(), "uploads are the core's");
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
    void withoutItsBundleLocationChangesAnswer503AndNothingChanges() throws Exception {
        byte[] data = new byte[3000];
        new java.util.Random(6).nextBytes(data);
        data[0] = 1;
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
