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
 * Import and tasks are a bundle of their own (com.xloud.image.imports) on the core's kernel. A node
 * without it serves the rest of the API (images made, data uploaded and read), offers no import
 * method, and answers the staging, import and task routes with 503 naming the bundle, storing
 * nothing; the bundle dropped into the running node brings them, taken away again they go.
 */
class ImportBundleRuntimeTest {
    static final String BUNDLE = "com.xloud.image.imports";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        Path features = Node.featuresWithout(dir.resolve("without-imports.features"), List.of(BUNDLE));
        node = Node.start(dir.resolve("node"), "--features", features.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static String create() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"imported\",\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> put(String id, String what, byte[] data) throws Exception {
        return node.send(node.request("/v2/images/" + id + "/" + what).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
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
}
