package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail read from the event store: an image's history and the admin audit API. */
class AuditTest {
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

    static HttpResponse<String> as(String project, String roles, HttpRequest.Builder b) throws Exception {
        return node.send(b.header("X-User-Id", "u-" + project).header("X-Project-Id", project).header("X-Roles", roles)
                .build());
    }

    static List<String> types(JsonNode events) {
        List<String> t = new ArrayList<>();
        events.forEach(e -> t.add(e.get("type").asText()));
        return t;
    }

    @Test
    void historyTellsWhoDidWhatAndSurvivesDeletionForAdmins() throws Exception {
        HttpResponse<String> created = as("p-audit", "member", node.request("/v2/images")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"audited\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}")));
        String id = JSON.readTree(created.body()).get("id").asText();
        String createRequest = created.headers().firstValue("X-Openstack-Request-Id").orElseThrow();
        as("p-audit", "member", node.request("/v2/images/" + id).header("Content-Type",
                "application/openstack-images-v2.1-json-patch").method("PATCH",
                HttpRequest.BodyPublishers.ofString("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"}]")));
        as("p-audit", "member", node.request("/v2/images/" + id + "/file").header("Content-Type",
                "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofString("data")));

        HttpResponse<String> history = as("p-audit", "member", node.request("/v2/images/" + id + "/history").GET());
        assertEquals(200, history.statusCode(), history.body());
        JsonNode events = JSON.readTree(history.body()).get("events");
        assertEquals(List.of("ImageCreated", "ImageUpdated", "UploadStarted", "ImageDataStored", "ImageActivated"),
                types(events));
        JsonNode first = events.get(0);
        assertEquals("u-p-audit", first.get("user_id").asText());
        assertEquals("p-audit", first.get("project_id").asText());
        assertEquals("member", first.get("roles").get(0).asText());
        assertEquals(createRequest, first.get("request_id").asText());
        assertTrue(first.get("node_id").asText().startsWith("node-"));
        assertEquals("renamed", events.get(1).get("changes").get("attributes").get("name").asText());
        assertEquals(404, as("p-other", "member", node.request("/v2/images/" + id + "/history").GET()).statusCode(),
                "another project cannot see the image at all");

        String pub = JSON.readTree(as("p-admin", "admin", node.request("/v2/images")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"pub\",\"visibility\":\"public\"}"))).body())
                .get("id").asText();
        assertEquals(403, as("p-other", "member", node.request("/v2/images/" + pub + "/history").GET()).statusCode(),
                "a visible image's history is its owner's and the admins'");

        assertEquals(204, as("p-audit", "member", node.request("/v2/images/" + id).DELETE()).statusCode());
        assertEquals(404, as("p-audit", "member", node.request("/v2/images/" + id + "/history").GET()).statusCode());
        JsonNode afterDelete = JSON.readTree(node.get("/v2/images/" + id + "/history").body()).get("events");
        assertEquals(List.of("ImageCreated", "ImageUpdated", "UploadStarted", "ImageDataStored", "ImageActivated",
                "ImageDeleted", "DataScrubbed"), types(afterDelete));
    }

    @Test
    void theAuditApiFiltersPagesAndExports() throws Exception {
        for (int i = 0; i < 3; i++) {
            as("p-trail", "member", node.request("/v2/images").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t" + i + "\"}")));
        }
        assertEquals(403, as("p-trail", "member", node.request("/v2/audit").GET()).statusCode());
        JsonNode page = JSON.readTree(node.get("/v2/audit?project=p-trail&limit=2").body());
        assertEquals(2, page.get("events").size());
        assertTrue(page.get("events").get(0).get("index").asLong() > page.get("events").get(1).get("index").asLong(),
                "newest first");
        JsonNode rest = JSON.readTree(node.get(page.get("next").asText()).body());
        assertEquals(1, rest.get("events").size());
        assertEquals("t0", rest.get("events").get(0).get("changes").get("name").asText());
        JsonNode oldest = JSON.readTree(node.get("/v2/audit?project=p-trail&order=asc&type=ImageCreated").body());
        assertEquals("t0", oldest.get("events").get(0).get("changes").get("name").asText());
        HttpResponse<String> lines = node.get("/v2/audit?user=u-p-trail&format=jsonl");
        assertEquals("application/x-ndjson", lines.headers().firstValue("Content-Type").orElse(""));
        assertEquals(3, lines.body().strip().split("\n").length);
        assertEquals(400, node.get("/v2/audit?since=yesterday").statusCode());
        assertEquals(400, node.get("/v2/audit?order=sideways").statusCode());
    }

    @Test
    void theRegistryRebuildsFromTheEventsThroughTheCli() throws Exception {
        node.postJson("/v2/images", "{\"name\":\"before-rebuild\"}");
        assertEquals(403, as("p-trail", "member", node.request("/v2/x-admin/registry/rebuild")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        ProcessBuilder pb = new ProcessBuilder(Node.HOME.resolve("xloud").toString(), "rebuild-registry", "--port",
                Integer.toString(node.port));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT); // the progress line
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        JsonNode result = JSON.readTree(out);
        assertTrue(result.get("events").asLong() > 0, out);
        assertTrue(result.get("unchanged").asBoolean(), "the projection was exact: " + out);
        assertEquals("done", result.get("state").asText(), out);
        assertEquals("unchanged", result.get("tables").get("images").asText(), out);
        // the last rebuild stays readable, for admins only
        JsonNode last = JSON.readTree(node.get("/v2/x-admin/registry/rebuild").body());
        assertEquals(result.get("id").asText(), last.get("id").asText());
        assertEquals(403, as("p-trail", "member", node.request("/v2/x-admin/registry/rebuild").GET()).statusCode());
        assertTrue(node.get("/v2/images").statusCode() == 200, "the node serves on after the swap");
    }

    @Test
    void anImageAsItWasAtAMoment() throws Exception {
        java.time.Instant before = java.time.Instant.now();
        Await.clockPast(before);
        HttpResponse<String> created = as("p-past", "member", node.request("/v2/images")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"first\",\"disk_format\":\"raw\",\"container_format\":\"bare\",\"tags\":[\"a\"]}")));
        String id = JSON.readTree(created.body()).get("id").asText();
        java.time.Instant createdAt = java.time.Instant.parse(JSON.readTree(created.body()).get("created_at").asText());
        // created_at is whole seconds: one second later is surely after the creation
        java.time.Instant queued = createdAt.plusSeconds(1);
        Await.clockPast(queued);
        as("p-past", "member", node.request("/v2/images/" + id).header("Content-Type",
                "application/openstack-images-v2.1-json-patch").method("PATCH", HttpRequest.BodyPublishers.ofString(
                "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"second\"},"
                        + "{\"op\":\"add\",\"path\":\"/os_distro\",\"value\":\"debian\"}]")));
        as("p-past", "member", node.request("/v2/images/" + id + "/file").header("Content-Type",
                "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofString("payload")));

        JsonNode then = JSON.readTree(as("p-past", "member",
                node.request("/v2/images/" + id + "?as_of=" + queued).GET()).body());
        assertEquals("first", then.get("name").asText());
        assertEquals("queued", then.get("status").asText());
        assertTrue(then.get("size").isNull());
        assertTrue(!then.has("os_distro"));
        JsonNode now = JSON.readTree(as("p-past", "member", node.request("/v2/images/" + id).GET()).body());
        JsonNode rebuilt = JSON.readTree(as("p-past", "member",
                node.request("/v2/images/" + id + "?as_of=" + java.time.Instant.now()).GET()).body());
        for (String field : List.of("name", "status", "size", "checksum", "os_hash_value", "tags", "os_distro",
                "visibility", "owner", "stores")) {
            assertEquals(now.get(field), rebuilt.get(field), field + " rebuilt from the events equals the registry's");
        }
        assertEquals(404, as("p-past", "member", node.request("/v2/images/" + id + "?as_of=" + before).GET()).statusCode());
        assertEquals(400, as("p-past", "member", node.request("/v2/images/" + id + "?as_of=noon").GET()).statusCode());
    }
}
