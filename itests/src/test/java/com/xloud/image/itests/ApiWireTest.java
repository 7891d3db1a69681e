package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glance's wire behaviour, call by call, against a node started as ./xloud run starts it. */
class ApiWireTest {
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

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String createImage(String body) throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", body);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("id").asText();
    }

    static HttpResponse<String> upload(String id, byte[] data) throws Exception {
        return node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
    }

    static void assertError(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode body = json(r);
        assertFalse(body.get("message").asText().isBlank());
        assertTrue(body.get("code").asText().startsWith(Integer.toString(status)));
        assertNotNull(body.get("title"));
        assertFalse(r.body().contains("Exception"), "no stack trace in " + r.body());
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void versionsAndHealth() throws Exception {
        HttpResponse<String> root = node.get("/");
        assertEquals(300, root.statusCode());
        JsonNode versions = json(root).get("versions");
        assertEquals("CURRENT", versions.get(0).get("status").asText());
        assertEquals(node.url() + "/v2/", versions.get(0).get("links").get(0).get("href").asText());
        assertEquals(200, node.get("/versions").statusCode());
        // without a cache on the node: 2.17 is current and the cache API is not there
        assertEquals("v2.17", versions.get(0).get("id").asText());
        assertEquals(404, node.get("/v2/cache").statusCode());
        assertEquals(404, node.send(node.request("/v2/cache/" + java.util.UUID.randomUUID())
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        HttpResponse<String> health = node.send(HttpRequest.newBuilder(java.net.URI.create(node.url() + "/healthcheck"))
                .build());
        assertEquals(200, health.statusCode());
        assertEquals("OK", health.body());
        assertTrue(health.headers().firstValue("X-Openstack-Request-Id").orElse("").startsWith("req-"));
    }

    @Test
    void everyLogLineOfARequestCarriesItsRequestId() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"logged\"}");
        String requestId = r.headers().firstValue("X-Openstack-Request-Id").orElseThrow();
        Path log = node.dataDir.resolve("logs/xloud.log");
        String line = Await.until("the access line of " + requestId + " in " + log, java.time.Duration.ofSeconds(5),
                () -> Files.readAllLines(log).stream().filter(l -> l.contains("POST /v2/images -> 201"))
                        .filter(l -> l.contains("[" + requestId + "]")).findFirst().orElse(null), l -> l != null);
        assertNotNull(line, "the access line of " + requestId + " in " + log);
        assertTrue(node.output().contains("[" + requestId + "]"), "and on stdout");
    }

    @Test
    void healthcheckAnswers503WhileTheDisableFileExists() throws Exception {
        Path disable = node.dataDir.resolve("healthcheck_disable");
        Files.writeString(disable, "maintenance");
        try {
            assertEquals(503, node.get("/healthcheck").statusCode());
        } finally {
            Files.delete(disable);
        }
        assertEquals(200, node.get("/healthcheck").statusCode());
    }

    @Test
    void createShowListAndVersionedPrefix() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images",
                "{\"name\":\"wire\",\"disk_format\":\"raw\",\"container_format\":\"bare\",\"custom\":\"x\",\"tags\":[\"a\"]}");
        assertEquals(201, r.statusCode());
        JsonNode image = json(r);
        String id = image.get("id").asText();
        assertEquals(node.url() + "/v2/images/" + id, r.headers().firstValue("Location").orElseThrow());
        assertEquals("queued", image.get("status").asText());
        assertEquals("shared", image.get("visibility").asText());
        assertTrue(image.get("size").isNull());
        assertEquals("x", image.get("custom").asText());
        assertEquals("/v2/images/" + id + "/file", image.get("file").asText());
        assertTrue(image.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        List<String> keys = JSON.convertValue(image, java.util.LinkedHashMap.class).keySet().stream().map(String::valueOf).toList();
        assertEquals("custom", keys.get(0));
        assertEquals(List.of("self", "file", "schema"), keys.subList(keys.size() - 3, keys.size()));
        assertEquals(200, node.get("/v2/images/" + id).statusCode());
        assertEquals(200, node.get("/v2.9/images/" + id).statusCode());
        JsonNode list = json(node.get("/v2/images?name=wire"));
        assertEquals(id, list.get("images").get(0).get("id").asText());
        assertEquals("/v2/schemas/images", list.get("schema").asText());
        assertEquals("/v2/images?name=wire", list.get("first").asText());
        assertNull(list.get("next"));
    }

    @Test
    void paginationLinks() throws Exception {
        for (int i = 0; i < 3; i++) {
            createImage("{\"name\":\"pg-" + i + "\",\"tags\":[\"pages\"]}");
        }
        JsonNode page1 = json(node.get("/v2/images?tag=pages&limit=2&sort=name:asc"));
        assertEquals(2, page1.get("images").size());
        String next = page1.get("next").asText();
        assertTrue(next.startsWith("/v2/images?tag=pages&limit=2&sort=name:asc&marker="), next);
        JsonNode page2 = json(node.get(next));
        assertEquals(1, page2.get("images").size());
        assertEquals("pg-2", page2.get("images").get(0).get("name").asText());
        assertNull(page2.get("next"));
        JsonNode desc = json(node.get("/v2/images?tag=pages&sort_key=name&sort_dir=desc"));
        assertEquals("pg-2", desc.get("images").get(0).get("name").asText());
    }

    @Test
    void badInputGetsGlancesStatusAndAJsonMessage() throws Exception {
        assertError(node.postJson("/v2/images", "{\"disk_format\":\"nope\"}"), 400);
        assertError(node.postJson("/v2/images", "{\"container_format\":\"box\"}"), 400);
        assertError(node.postJson("/v2/images", "{\"name\":\"" + "n".repeat(256) + "\"}"), 400);
        assertError(node.postJson("/v2/images", "{\"min_ram\":\"lots\"}"), 400);
        assertError(node.postJson("/v2/images", "{\"name\": 5}"), 400);
        assertError(node.postJson("/v2/images", "{bad json"), 400);
        assertError(node.postJson("/v2/images", "[1,2]"), 400);
        assertError(node.postJson("/v2/images", "{\"id\":\"not-a-uuid\"}"), 400);
        assertError(node.postJson("/v2/images", "{\"size\":5}"), 403);
        assertError(node.postJson("/v2/images", "{\"os_glance_x\":\"y\"}"), 403);
        HttpResponse<String> publicByMember = node.send(node.request("/v2/images")
                .header("X-Project-Id", "p1").header("X-Roles", "member").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"visibility\":\"public\"}")).build());
        assertError(publicByMember, 403);
        assertTrue(json(publicByMember).get("message").asText().contains("publicize_image"));
        String id = createImage("{\"name\":\"dup\"}");
        assertError(node.postJson("/v2/images", "{\"id\":\"" + id + "\"}"), 409);
        assertError(node.get("/v2/images/not-a-uuid"), 404);
        assertError(node.get("/v2/images/00000000-0000-0000-0000-000000000000"), 404);
        assertError(node.get("/v2/images?limit=-1"), 400);
        assertError(node.get("/v2/images?limit=abc"), 400);
        assertError(node.get("/v2/images?marker=00000000-0000-0000-0000-000000000000"), 400);
        assertError(node.get("/v2/images?sort_key=bogus"), 400);
        assertError(node.get("/v2/images?sort_dir=sideways"), 400);
        assertError(node.get("/v2/images?sort=name:asc&sort_key=name"), 400);
        assertError(node.get("/v2/images?status=sleeping"), 400);
        assertError(node.get("/v2/images?size_min=big"), 400);
        assertError(node.get("/v2/images?size=big"), 400);
        assertError(node.get("/v2/nothing-here"), 404);
        assertError(node.get("/v2/images?created_at=gt:yesterday"), 400);
        assertError(node.get("/v2/images?name=in:%22open"), 400);
        assertError(node.get("/v2/images?status=in:active,sleeping"), 400);
        assertError(node.get("/v2/images?member_status=maybe"), 400);
        assertError(node.get("/v2/images?visibility=everyone"), 400);
        assertError(node.get("/v2/images?protected=perhaps"), 400);
        assertEquals(200, node.get("/v2/images?created_at=lt:2999-01-01T00:00:00Z&status=in:queued,active").statusCode());
    }

    /**
     * Errors in the representation the request accepts, byte for byte as Glance's webob writes
     * them: HTML for any type and text/html (glanceclient, Horizon), JSON for application/json
     * (openstacksdk), plain text without Accept or for other types; a tie goes to HTML.
     */
    @Test
    void errorsAreWrittenAsTheRequestAccepts() throws Exception {
        String missing = "00000000-0000-0000-0000-000000000000";
        String message = "No image found with ID " + missing;
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("", "text/plain; charset=UTF-8");
        expected.put("text/plain", "text/plain; charset=UTF-8");
        expected.put("*/*", "text/html; charset=UTF-8");
        expected.put("text/html", "text/html; charset=UTF-8");
        expected.put("application/json, text/html", "text/html; charset=UTF-8");
        expected.put("application/json", "application/json");
        expected.put("*/*;q=0.5, application/json", "application/json");
        expected.put("text/html;q=0, */*", "application/json");
        for (var e : expected.entrySet()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(node.url() + "/v2/images/" + missing));
            if (!e.getKey().isEmpty()) {
                b.header("Accept", e.getKey());
            }
            HttpResponse<String> r = node.send(b.build());
            assertEquals(404, r.statusCode());
            assertEquals(e.getValue(), r.headers().firstValue("Content-Type").orElse(""), "Accept: " + e.getKey());
            String body = switch (e.getValue()) {
                case "text/html; charset=UTF-8" -> "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n"
                        + "  <h1>404 Not Found</h1>\n  " + message + "<br /><br />\n\n\n\n </body>\n</html>";
                case "application/json" -> "{\"message\":\"" + message + "\",\"code\":\"404 Not Found\",\"title\":\"Not Found\"}";
                default -> "404 Not Found\n\n" + message + "\n\n   ";
            };
            assertEquals(body, r.body(), "Accept: " + e.getKey());
        }
        // what a message quotes is escaped in HTML
        HttpResponse<String> html = node.send(HttpRequest.newBuilder(java.net.URI.create(node.url() + "/v2/images"))
                .header("Accept", "text/html").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"disk_format\":\"<b>'x'</b>\"}")).build());
        assertEquals(400, html.statusCode());
        assertTrue(html.body().contains("&lt;b&gt;&#x27;x&#x27;&lt;/b&gt;"), html.body());
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = node.send(node.request("/v2/schemas/image").DELETE().build());
        assertError(r, 405);
        assertTrue(r.headers().firstValue("Allow").orElse("").contains("GET"));
        String id = createImage("{\"name\":\"m\"}");
        HttpResponse<String> post = node.send(node.request("/v2/images/" + id)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(post, 405);
        String allow = post.headers().firstValue("Allow").orElse("");
        assertEquals("DELETE, GET, PATCH", allow, "the real methods only, as Glance lists them");
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    }

    /** Where Glance and JAX-RS part ways: paths ending in '/', os_hidden's case, the healthcheck's JSON. */
    @Test
    void glancesOwnEdges() throws Exception {
        assertError(node.get("/v2/images/"), 404);
        assertError(node.send(node.request("/v2/images/").DELETE().build()), 404);
        assertEquals(200, node.get("/v2/images?os_hidden=True").statusCode(), "openstacksdk's duplicate check");
        assertEquals(200, node.get("/v2/images?os_hidden=FALSE").statusCode());
        assertError(node.get("/v2/images?protected=True"), 400);
        HttpResponse<String> health = node.get("/healthcheck");
        assertEquals("{\"detailed\":false,\"reasons\":[\"OK\"]}", health.body().replace(" ", ""));
        assertEquals("application/json", health.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> plain = node.send(HttpRequest.newBuilder(java.net.URI.create(node.url() + "/healthcheck"))
                .header("Accept", "*/*").build());
        assertEquals("OK", plain.body());
    }

    static HttpResponse<String> patch(String id, String type, String body) throws Exception {
        return node.send(node.request("/v2/images/" + id).header("Content-Type", type)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void jsonPatchFollowsGlancesRules() throws Exception {
        String id = createImage("{\"name\":\"p\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        String v21 = "application/openstack-images-v2.1-json-patch";
        HttpResponse<String> ok = patch(id, v21, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"},"
                + "{\"op\":\"add\",\"path\":\"/os_distro\",\"value\":\"debian\"},"
                + "{\"op\":\"add\",\"path\":\"/min_ram\",\"value\":512}]");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("renamed", json(ok).get("name").asText());
        assertEquals("debian", json(ok).get("os_distro").asText());
        assertEquals(512, json(ok).get("min_ram").asInt());
        HttpResponse<String> draft = patch(id, "application/openstack-images-v2.0-json-patch",
                "[{\"replace\":\"/os_distro\",\"value\":\"ubuntu\"}]");
        assertEquals(200, draft.statusCode(), draft.body());
        assertEquals("ubuntu", json(draft).get("os_distro").asText());

        HttpResponse<String> type = patch(id, "application/json", "[]");
        assertError(type, 415);
        assertTrue(type.headers().firstValue("Accept-Patch").orElse("").contains(v21));
        assertError(patch(id, v21, "[{\"op\":\"replace\",\"path\":\"/size\",\"value\":1}]"), 403);
        assertError(patch(id, v21, "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"active\"}]"), 403);
        assertError(patch(id, v21, "[{\"op\":\"add\",\"path\":\"/tags/-\",\"value\":\"t\"}]"), 400);
        assertError(patch(id, v21, "[{\"op\":\"move\",\"path\":\"/name\",\"value\":\"t\"}]"), 400);
        assertError(patch(id, v21, "{\"op\":\"add\"}"), 400);
        assertError(patch(id, v21, "[{\"op\":\"remove\",\"path\":\"/name\"}]"), 403);
        assertError(patch(id, v21, "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":\"x\"}]"), 409);
        // atomic: the valid first operation is not applied when the second fails
        assertError(patch(id, v21, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"half\"},"
                + "{\"op\":\"remove\",\"path\":\"/missing\"}]"), 409);
        assertEquals("renamed", json(node.get("/v2/images/" + id)).get("name").asText());
    }

    @Test
    void tags() throws Exception {
        String id = createImage("{\"name\":\"tagged\"}");
        assertEquals(204, node.send(node.request("/v2/images/" + id + "/tags/blue").PUT(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertEquals(204, node.send(node.request("/v2/images/" + id + "/tags/blue").PUT(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertEquals("[\"blue\"]", json(node.get("/v2/images/" + id)).get("tags").toString());
        assertEquals(id, json(node.get("/v2/images?tag=blue")).get("images").get(0).get("id").asText());
        assertEquals(204, node.send(node.request("/v2/images/" + id + "/tags/blue").DELETE().build()).statusCode());
        assertError(node.send(node.request("/v2/images/" + id + "/tags/blue").DELETE().build()), 404);
    }

    @Test
    void uploadDownloadRangeAndReupload() throws Exception {
        String id = createImage("{\"name\":\"data\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        HttpResponse<String> none = node.get("/v2/images/" + id + "/file");
        assertEquals(204, none.statusCode());
        byte[] data = random(2_500_000);
        // Content-Length and Expect: 100-continue
        HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file").expectContinue(true)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        assertEquals(204, up.statusCode(), up.body());
        JsonNode image = json(node.get("/v2/images/" + id));
        assertEquals("active", image.get("status").asText());
        assertEquals(data.length, image.get("size").asLong());
        assertEquals(md5(data), image.get("checksum").asText());
        assertEquals("sha512", image.get("os_hash_algo").asText());
        HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, down.statusCode());
        assertArrayEquals(data, down.body());
        assertEquals(md5(data), down.headers().firstValue("Content-MD5").orElseThrow());
        assertEquals(Long.toString(data.length), down.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("application/octet-stream", down.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> range = node.http.send(node.request("/v2/images/" + id + "/file")
                .header("Range", "bytes=0-15").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 0, 16), range.body());
        assertEquals("bytes 0-15/" + data.length, range.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(md5(data), range.headers().firstValue("Content-MD5").orElseThrow());
        HttpResponse<byte[]> tail = node.http.send(node.request("/v2/images/" + id + "/file")
                .header("Range", "bytes=-10").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 10, data.length), tail.body());
        assertError(node.send(node.request("/v2/images/" + id + "/file").header("Range", "bytes=99999999-").build()), 416);
        // a small body: a refusal answered before a large body is sent may reach this client as a reset
        HttpResponse<String> again = upload(id, new byte[16]);
        assertError(again, 409);
        assertTrue(json(again).get("message").asText().contains("active to saving"));
    }

    @Test
    void chunkedUploadAsGlanceclientSendsIt() throws Exception {
        String id = createImage("{\"name\":\"chunked\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        byte[] data = random(1_234_567);
        HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build());
        assertEquals(204, up.statusCode(), up.body());
        JsonNode image = json(node.get("/v2/images/" + id));
        assertEquals(md5(data), image.get("checksum").asText());
        assertEquals(data.length, image.get("virtual_size").asLong(), "a raw image's virtual size is its size");
    }

    @Test
    void uploadNeedsOctetStreamAndFormats() throws Exception {
        String id = createImage("{\"name\":\"noformat\"}");
        assertError(node.send(node.request("/v2/images/" + id + "/file").header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build()), 415);
        assertError(upload(id, new byte[10]), 400);
        assertEquals("queued", json(node.get("/v2/images/" + id)).get("status").asText());
    }

    @Test
    void sizeMismatchLeavesNothingBehind() throws Exception {
        String id = createImage("{\"name\":\"mismatch\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        HttpResponse<String> r = node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream").header("x-openstack-image-size", "999")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[500]))).build());
        assertError(r, 400);
        assertEquals("queued", json(node.get("/v2/images/" + id)).get("status").asText());
        assertTrue(noDataFor(id));
    }

    static boolean noDataFor(String id) throws Exception {
        try (var files = Files.list(node.dataDir.resolve("images"))) {
            return files.noneMatch(p -> p.getFileName().toString().contains(id));
        }
    }

    @Test
    void clientDisconnectMidUploadRequeuesAndRemovesPartialData() throws Exception {
        String id = createImage("{\"name\":\"cut\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 50000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = random(1 << 20);
            for (int i = 0; i < 3; i++) {
                out.write(chunk);
            }
            out.flush();
            Await.until("the upload to start", java.time.Duration.ofSeconds(10), () -> node.status(id),
                    "saving"::equals);
        }
        String status = Await.until("the image back in queued", java.time.Duration.ofSeconds(30),
                () -> node.status(id), "queued"::equals);
        assertEquals("queued", status);
        assertTrue(noDataFor(id));
        try (var files = Files.list(node.dataDir.resolve("images"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".upload-")));
        }
        // and the image takes a complete upload afterwards
        assertEquals(204, upload(id, random(1000)).statusCode());
    }

    @Test
    void deleteAndProtected() throws Exception {
        String id = createImage("{\"name\":\"gone\",\"disk_format\":\"raw\",\"container_format\":\"bare\",\"protected\":true}");
        upload(id, random(5000));
        assertError(node.send(node.request("/v2/images/" + id).DELETE().build()), 403);
        patch(id, "application/openstack-images-v2.1-json-patch", "[{\"op\":\"replace\",\"path\":\"/protected\",\"value\":false}]");
        assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode());
        assertError(node.get("/v2/images/" + id), 404);
        assertError(node.send(node.request("/v2/images/" + id).DELETE().build()), 404);
        assertTrue(noDataFor(id));
    }

    @Test
    void identityHeadersDecideOwnershipAndVisibility() throws Exception {
        HttpResponse<String> r = node.send(node.request("/v2/images").header("X-User-Id", "u1")
                .header("X-Project-Id", "proj-a").header("X-Roles", "member").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mine\"}")).build());
        assertEquals(201, r.statusCode());
        JsonNode image = json(r);
        assertEquals("proj-a", image.get("owner").asText());
        String id = image.get("id").asText();
        HttpResponse<String> other = node.send(node.request("/v2/images/" + id).header("X-Project-Id", "proj-b")
                .header("X-Roles", "member").build());
        assertError(other, 404);
        HttpResponse<String> otherList = node.send(node.request("/v2/images").header("X-Project-Id", "proj-b")
                .header("X-Roles", "member").build());
        assertFalse(otherList.body().contains(id));
        assertEquals(200, node.get("/v2/images/" + id).statusCode(), "the anonymous admin sees everything");
    }

    @Test
    void usageReportsEveryQuotaOfTheCallersProject() throws Exception {
        HttpResponse<String> r = node.send(node.request("/v2/info/usage").header("X-Project-Id", "p-usage")
                .header("X-Roles", "member").build());
        assertEquals(200, r.statusCode());
        JsonNode usage = json(r).get("usage");
        for (String q : List.of("image_size_total", "image_stage_total", "image_count_total", "image_count_uploading")) {
            assertEquals(-1, usage.get(q).get("limit").asLong(), q);
            assertEquals(0, usage.get(q).get("usage").asLong(), q);
        }
    }

    @Test
    void schemas() throws Exception {
        JsonNode image = json(node.get("/v2/schemas/image"));
        assertEquals("image", image.get("name").asText());
        assertTrue(image.get("properties").has("disk_format"));
        JsonNode images = json(node.get("/v2/schemas/images"));
        assertEquals("images", images.get("name").asText());
        assertEquals("array", images.get("properties").get("images").get("type").asText());
        // the task documents are Glance's own (recorded from Glance 25.1)
        JsonNode task = json(node.get("/v2/schemas/task"));
        assertTrue(task.get("properties").get("self").get("readOnly").asBoolean(), task.toString());
        assertTrue(!task.has("links"), task.toString());
        JsonNode tasks = json(node.get("/v2/schemas/tasks"));
        assertEquals("[{\"href\":\"{schema}\",\"rel\":\"describedby\"}]", tasks.get("links").toString());
        assertTrue(!tasks.get("properties").get("tasks").get("items").get("properties").has("input"), tasks.toString());
    }
}
