package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperable import against a node whose import filter lets loopback ports through (Glance's
 * default allows only 80 and 443), with a small HTTP server of the test's own as the web source.
 */
class ImportTest {
    @TempDir
    static Path dir;
    static Node node;
    static HttpServer web;
    static String webBase;
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PAYLOAD = new byte[3 * 1024 * 1024 + 17];

    @BeforeAll
    static void start() throws Exception {
        new Random(42).nextBytes(PAYLOAD);
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/ok", ex -> {
            ex.sendResponseHeaders(200, PAYLOAD.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(PAYLOAD);
            }
        });
        web.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        web.createContext("/broken", ex -> {
            ex.sendResponseHeaders(200, PAYLOAD.length);
            OutputStream out = ex.getResponseBody();
            out.write(PAYLOAD, 0, PAYLOAD.length / 3);
            out.flush();
            ex.close();
        });
        web.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "/ok");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        web.createContext("/redirect-out", ex -> {
            ex.getResponseHeaders().add("Location", "http://localhost:" + web.getAddress().getPort() + "/ok");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        web.start();
        webBase = "http://127.0.0.1:" + web.getAddress().getPort();

        Path etc = Node.configDir(dir.resolve("etc"), java.util.Map.of());
        Path core = etc.resolve("com.xloud.image.core.cfg");
        Files.writeString(core, Files.readString(core)
                .replace("import.allowed.ports = 80,443", "import.allowed.ports =")
                .replace("import.disallowed.hosts =", "import.disallowed.hosts = localhost"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        web.stop(0);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String create(String name) throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images",
                "{\"name\":\"" + name + "\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode());
        assertEquals("glance-direct,web-download,copy-image", r.headers().firstValue("OpenStack-image-import-methods").orElse(""));
        return json(r).get("id").asText();
    }

    static HttpResponse<String> importCall(String id, String method, String uri) throws Exception {
        String body = uri == null ? "{\"method\":{\"name\":\"" + method + "\"}}"
                : "{\"method\":{\"name\":\"" + method + "\",\"uri\":\"" + uri + "\"}}";
        return node.postJson("/v2/images/" + id + "/import", body);
    }

    static JsonNode awaitStatus(String id, String... statuses) throws Exception {
        return Await.until("image " + id + " reaching " + List.of(statuses), java.time.Duration.ofSeconds(60),
                () -> json(node.get("/v2/images/" + id)), i -> List.of(statuses).contains(i.get("status").asText()));
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static List<String> staged() throws Exception {
        Path staging = node.dataDir.resolve("staging");
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(staging)) {
            try (var files = Files.list(staging)) {
                files.forEach(f -> names.add(f.getFileName().toString()));
            }
        }
        return names;
    }

    static JsonNode lastTask(String id) throws Exception {
        JsonNode tasks = json(node.get("/v2/images/" + id + "/tasks")).get("tasks");
        assertTrue(tasks.size() > 0, "the image has a task");
        return tasks.get(0);
    }

    @Test
    void importInfo() throws Exception {
        JsonNode info = json(node.get("/v2/info/import"));
        assertEquals("[\"glance-direct\",\"web-download\",\"copy-image\"]", info.get("import-methods").get("value").toString());
    }

    @Test
    void glanceDirectStagesThenImports() throws Exception {
        String id = create("direct");
        assertEquals(409, importCall(id, "glance-direct", null).statusCode(), "nothing staged yet");
        HttpResponse<String> stage = node.send(node.request("/v2/images/" + id + "/stage")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(PAYLOAD)).build());
        assertEquals(204, stage.statusCode(), stage.body());
        JsonNode staging = json(node.get("/v2/images/" + id));
        assertEquals("uploading", staging.get("status").asText());
        assertEquals(PAYLOAD.length, staging.get("size").asLong(), "a staged image shows the staged size, as Glance's");
        assertEquals(staging, json(node.get("/v2/images/" + id + "?as_of=" + java.time.Instant.now())), "and so does as_of");
        assertTrue(staged().contains(id));
        // small bodies: a refusal answered before a large body is sent may reach this client as a reset
        assertEquals(409, node.send(node.request("/v2/images/" + id + "/stage")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[16])).build()).statusCode());
        assertEquals(409, node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[16])).build()).statusCode());
        HttpResponse<String> started = importCall(id, "glance-direct", null);
        assertEquals(202, started.statusCode(), started.body());
        JsonNode image = awaitStatus(id, "active", "queued");
        assertEquals("active", image.get("status").asText());
        assertEquals(md5(PAYLOAD), image.get("checksum").asText());
        assertEquals("", image.get("os_glance_importing_to_stores").asText());
        assertEquals("", image.get("os_glance_failed_import").asText());
        assertTrue(!staged().contains(id), "nothing of the image is left in staging: " + staged());
        JsonNode task = lastTask(id);
        assertEquals("success", task.get("status").asText());
        assertTrue(!image.has("os_glance_import_task"), "the task's lock goes when it ends, as in Glance: " + image);
        assertEquals(id, task.get("result").get("image_id").asText());
        String taskId = task.get("id").asText();
        // the image's tasks are Glance's database rows: Python times, the soft-delete columns, no links
        assertTrue(task.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?"),
                task.toString());
        assertEquals(false, task.get("deleted").asBoolean(true));
        assertTrue(task.has("deleted_at") && task.get("deleted_at").isNull() && !task.has("self"), task.toString());
        // the tasks API writes them as Glance's tasks API does: ISO seconds with Z, links
        JsonNode shown = json(node.get("/v2/tasks/" + taskId));
        assertTrue(shown.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), shown.toString());
        assertEquals("/v2/tasks/" + taskId, shown.get("self").asText());
        assertEquals(id, shown.get("image_id").asText());
        JsonNode stub = json(node.get("/v2/tasks")).get("tasks").get(0);
        assertTrue(!stub.has("input") && !stub.has("image_id") && stub.has("self"), stub.toString());
        assertEquals(200, node.get("/v2/tasks/" + taskId).statusCode());
        assertEquals(403, node.send(node.request("/v2/tasks/" + taskId).header("X-Project-Id", "p")
                .header("X-Roles", "member").build()).statusCode());
        HttpResponse<String> delete = node.send(node.request("/v2/tasks/" + taskId).DELETE().build());
        assertEquals(405, delete.statusCode());
        assertTrue(json(node.get("/v2/tasks")).get("tasks").toString().contains(taskId));
        HttpResponse<byte[]> data = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(md5(PAYLOAD), md5(data.body()));
    }

    @Test
    void webDownloadImportsAndFollowsAllowedRedirects() throws Exception {
        for (String path : List.of("/ok", "/redirect")) {
            String id = create("web" + path.replace('/', '-'));
            assertEquals(202, importCall(id, "web-download", webBase + path).statusCode());
            JsonNode image = awaitStatus(id, "active", "queued");
            assertEquals("active", image.get("status").asText(), image.toString());
            assertEquals(md5(PAYLOAD), image.get("checksum").asText());
            JsonNode input = lastTask(id).get("input");
            assertEquals("web-download", input.get("import_req").get("method").get("name").asText());
            assertEquals(id, input.get("image_id").asText());
            assertTrue(input.get("backend").isArray(), input.toString());
            assertTrue(!staged().contains(id), "nothing of the image is left in staging: " + staged());
        }
    }

    @Test
    void failedWebDownloadsLeaveTheImageQueuedAndNothingStaged() throws Exception {
        for (String path : List.of("/missing", "/broken", "/redirect-out")) {
            String id = create("fail" + path.replace('/', '-'));
            assertEquals(202, importCall(id, "web-download", webBase + path).statusCode());
            JsonNode image = awaitStatus(id, "queued", "active");
            assertEquals("queued", image.get("status").asText(), path + ": " + image);
            assertEquals("file", image.get("os_glance_failed_import").asText(), path);
            assertTrue(image.get("checksum").isNull());
            JsonNode task = lastTask(id);
            assertEquals("failure", task.get("status").asText(), path);
            assertTrue(!task.get("message").asText().isEmpty(), path);
            assertTrue(!staged().contains(id), path + ": nothing of the image is left in staging: " + staged());
        }
    }

    @Test
    void refusedRequestsAnswerAtOnce() throws Exception {
        String id = create("refused");
        assertEquals(400, importCall(id, "web-download", "ftp://127.0.0.1/x").statusCode());
        assertEquals(400, importCall(id, "web-download", "http://localhost:" + web.getAddress().getPort() + "/ok").statusCode());
        assertEquals(400, importCall(id, "web-download", null).statusCode());
        assertEquals(400, importCall(id, "copy-everything", null).statusCode());
        // known, but not offered by this node's configuration (as Glance's default)
        HttpResponse<String> off = importCall(id, "glance-download", null);
        assertEquals(400, off.statusCode());
        assertTrue(off.body().contains("Unknown import method name 'glance-download'."), off.body());
        assertEquals(400, node.postJson("/v2/images/" + id + "/import", "{\"nomethod\":1}").statusCode());
        assertEquals("queued", json(node.get("/v2/images/" + id)).get("status").asText());
        assertTrue(lastTaskCount(id) == 0);
    }

    static int lastTaskCount(String id) throws Exception {
        return json(node.get("/v2/images/" + id + "/tasks")).get("tasks").size();
    }

    @Test
    void taskApiImportCreatesAndImportsAnImage() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/tasks", "{\"type\":\"import\",\"input\":{\"import_from\":\""
                + webBase + "/ok\",\"import_from_format\":\"raw\",\"image_properties\":{\"name\":\"via-task\"}}}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode task = json(r);
        String imageId = task.get("image_id").asText();
        JsonNode image = awaitStatus(imageId, "active", "queued");
        assertEquals("active", image.get("status").asText());
        assertEquals("via-task", image.get("name").asText());
        assertEquals("success", json(node.get("/v2/tasks/" + task.get("id").asText())).get("status").asText());
        assertEquals(400, node.postJson("/v2/tasks", "{\"type\":\"export\",\"input\":{}}").statusCode());
    }

    @Test
    void theGlanceClientImports() throws Exception {
        Path src = dir.resolve("client.raw");
        Files.write(src, PAYLOAD);
        Path home = dir.resolve("home");
        String info = node.glance(home, "import-info");
        assertTrue(info.replaceAll("[\\s|]", "").contains("[\"glance-direct\",\"web-download\",\"copy-image\"]"), info);
        String direct = node.glance(home, "image-create-via-import", "--name", "cli-direct", "--disk-format", "raw",
                "--container-format", "bare", "--import-method", "glance-direct", "--file", src.toString());
        String directId = direct.lines().filter(l -> l.matches("\\|\\s*id\\s*\\|.*")).findFirst().orElseThrow()
                .split("\\|")[2].trim();
        assertEquals(md5(PAYLOAD), awaitStatus(directId, "active", "queued").get("checksum").asText());
        String viaWeb = node.glance(home, "image-create-via-import", "--name", "cli-web", "--disk-format", "raw",
                "--container-format", "bare", "--import-method", "web-download", "--uri", webBase + "/ok");
        String webId = viaWeb.lines().filter(l -> l.matches("\\|\\s*id\\s*\\|.*")).findFirst().orElseThrow()
                .split("\\|")[2].trim();
        assertEquals(md5(PAYLOAD), awaitStatus(webId, "active", "queued").get("checksum").asText());
    }
}
