package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * glance-download with a real Keystone: the node finds the source region's image service in the
 * caller's service catalog. RegionOne is the node itself (as Tempest runs it); RegionTwo is an
 * image service of the test's own that answers what a real one would not (a size that lies, an
 * image that is not active, properties of every kind), and records the token it is called with.
 */
class GlanceDownloadTest {
    @TempDir
    static Path dir;
    static String auth;
    static Node node;
    static HttpServer remote;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String alice;
    /** The remote's images by id: the metadata document, and the data its /file sends. */
    static final Map<String, ObjectNode> REMOTE_IMAGES = new ConcurrentHashMap<>();
    static final Map<String, byte[]> REMOTE_DATA = new ConcurrentHashMap<>();
    /** The X-Auth-Token of every request the remote got. */
    static final Set<String> REMOTE_TOKENS = ConcurrentHashMap.newKeySet();

    static final String RICH = "0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3a01";
    static final String LIAR = "0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3a02";
    static final String QUEUED = "0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3a03";
    static final String ODD_FORMAT = "0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3a04";

    @BeforeAll
    static void start() throws Exception {
        int nodePort = SwiftKeystoneTest.free();
        auth = SwiftKeystoneTest.script("keystone.sh", Map.of("KS_DIR", dir.resolve("keystone").toString(), "KS_PORT",
                Integer.toString(SwiftKeystoneTest.free()), "IMAGE_URL", "http://127.0.0.1:" + nodePort), "up");
        remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/v2/images/", ex -> {
            REMOTE_TOKENS.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Auth-Token")));
            String[] parts = ex.getRequestURI().getPath().split("/");
            String id = parts.length > 3 ? parts[3] : "";
            byte[] body = parts.length > 4 && parts[4].equals("file") ? REMOTE_DATA.get(id)
                    : REMOTE_IMAGES.containsKey(id) ? JSON.writeValueAsBytes(REMOTE_IMAGES.get(id)) : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        remote.start();
        String admin = token("admin", "admin");
        String imageService = JSON.readTree(keystone("GET", "/services?type=image", admin, null)).get("services").get(0)
                .get("id").asText();
        keystone("POST", "/regions", admin, "{\"region\":{\"id\":\"RegionTwo\"}}");
        keystone("POST", "/endpoints", admin, "{\"endpoint\":{\"service_id\":\"" + imageService + "\",\"interface\":"
                + "\"public\",\"region_id\":\"RegionTwo\",\"url\":\"http://127.0.0.1:" + remote.getAddress().getPort()
                + "/\"}}");
        alice = token("alice", "alpha");

        Path etc = Node.configDir(dir.resolve("etc"), Map.of());
        Node.keystoneMode(etc, auth, 300);
        Path core = etc.resolve("com.xloud.image.core.cfg");
        Files.writeString(core, Files.readString(core).replace("enabled.import.methods = glance-direct,web-download,"
                + "copy-image", "enabled.import.methods = glance-direct,web-download,copy-image,glance-download"));
        node = Node.startOn(nodePort, dir.resolve("node"), "--config-dir", etc.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
            if (remote != null) {
                remote.stop(0);
            }
        } finally {
            SwiftKeystoneTest.script("keystone.sh", Map.of("KS_DIR", dir.resolve("keystone").toString()), "down");
        }
    }

    static String token(String user, String project) throws Exception {
        return KeystoneTokens.token(auth, user, project);
    }

    static String keystone(String method, String path, String token, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(auth + path)).header("X-Auth-Token", token)
                .header("Content-Type", "application/json").method(method, json == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /** A call to the node as alice. */
    static HttpResponse<String> call(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = node.request(path).header("X-Auth-Token", alice);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return node.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode image(String id) throws Exception {
        HttpResponse<String> r = call("GET", "/v2/images/" + id, null, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static String create(String disk, String container, String properties) throws Exception {
        HttpResponse<String> r = call("POST", "/v2/images", "application/json", "{\"name\":\"gd\",\"disk_format\":\""
                + disk + "\",\"container_format\":\"" + container + "\"" + properties + "}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> glanceDownload(String id, String method) throws Exception {
        return call("POST", "/v2/images/" + id + "/import", "application/json",
                "{\"method\":{\"name\":\"glance-download\"" + method + "}}");
    }

    /** The image's one import task once it has ended. */
    static JsonNode endedTask(String id) throws Exception {
        return Await.until("the import task of " + id + " ending", Duration.ofSeconds(60), () -> {
            JsonNode tasks = JSON.readTree(call("GET", "/v2/images/" + id + "/tasks", null, null).body()).get("tasks");
            return tasks.size() == 1 ? tasks.get(0) : null;
        }, t -> t != null && List.of("success", "failure").contains(t.get("status").asText()));
    }

    static List<String> history(String id) throws Exception {
        HttpResponse<String> r = call("GET", "/v2/images/" + id + "/history", null, null);
        assertEquals(200, r.statusCode(), r.body());
        return AuditTest.types(JSON.readTree(r.body()).get("events"));
    }

    static ObjectNode remoteImage(String id, long size, String status) {
        ObjectNode image = JSON.createObjectNode().put("id", id).put("status", status).put("size", size)
                .put("disk_format", "raw").put("container_format", "bare").put("visibility", "private")
                .put("os_hidden", false).put("min_ram", 0);
        REMOTE_IMAGES.put(id, image);
        return image;
    }

    @Test
    void anImageOfTheCallersRegionComesOverWithItsFormatsAndChosenProperties() throws Exception {
        byte[] data = new byte[700_000];
        new Random(7).nextBytes(data);
        String src = create("raw", "bare", ",\"hw_cpu_cores\":\"5\",\"trait:STORAGE_DISK_SSD\":\"required\","
                + "\"os_distro\":\"rhel\",\"speed\":\"88mph\"");
        HttpResponse<String> up = node.send(node.request("/v2/images/" + src + "/file").header("X-Auth-Token", alice)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build());
        assertEquals(204, up.statusCode(), up.body());
        assertEquals("active", image(src).get("status").asText());

        String dst = create("iso", "ovf", ",\"hw_cpu_cores\":\"1\",\"os_distro\":\"windows\",\"mine\":\"kept\"");
        // the region as another case of it, the interface left to its default
        HttpResponse<String> r = glanceDownload(dst, ",\"glance_image_id\":\"" + src + "\",\"glance_region\":\"regionONE\"");
        assertEquals(202, r.statusCode(), r.body());
        JsonNode task = endedTask(dst);
        assertEquals("success", task.get("status").asText(), task.toString());
        JsonNode method = task.get("input").get("import_req").get("method");
        assertEquals("public", method.get("glance_service_interface").asText(), "recorded as Glance records it");
        assertEquals(src, method.get("glance_image_id").asText());

        JsonNode got = image(dst);
        assertEquals("active", got.get("status").asText());
        assertEquals("raw", got.get("disk_format").asText());
        assertEquals("bare", got.get("container_format").asText());
        assertEquals("5", got.get("hw_cpu_cores").asText());
        assertEquals("required", got.get("trait:STORAGE_DISK_SSD").asText());
        assertEquals("rhel", got.get("os_distro").asText());
        assertEquals("kept", got.get("mine").asText());
        assertFalse(got.has("speed"), "only the configured prefixes come along");
        assertEquals(image(src).get("checksum").asText(), got.get("checksum").asText());
        HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + dst + "/file")
                .header("X-Auth-Token", alice).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(data, down.body());
        // what came over is on record, in the step that activated the image
        List<String> events = history(dst);
        int updated = events.lastIndexOf("ImageUpdated");
        assertEquals(List.of("ImageUpdated", "ImageDataStored", "ImageActivated", "ImportSucceeded"),
                events.subList(updated, events.size()), events.toString());
    }

    @Test
    void anotherRegionIsAskedWithTheCallersTokenAndOnlyChosenPropertiesComeOver() throws Exception {
        byte[] data = new byte[5000];
        new Random(8).nextBytes(data);
        ObjectNode rich = remoteImage(RICH, data.length, "active");
        rich.put("hw_machine_type", "q35").put("hw_numa_nodes", 2).put("os_glance_import_task", "theirs")
                .put("os_glance_stage_host", "http://elsewhere").put("os_type", "linux").put("os_type_version", "x")
                .put("trait:CUSTOM_GOLD", "required").put("hw_" + "\u00e9\ud83d\ude00", "\u0301astral \ud83d\ude00")
                .put("speed", "fast");
        REMOTE_DATA.put(RICH, data);
        REMOTE_TOKENS.clear();
        String dst = create("qcow2", "bare", "");
        assertEquals(202, glanceDownload(dst, ",\"glance_image_id\":\"" + RICH + "\",\"glance_region\":\"RegionTwo\","
                + "\"glance_service_interface\":\"public\"").statusCode());
        assertEquals("success", endedTask(dst).get("status").asText());
        assertEquals(Set.of(alice), REMOTE_TOKENS, "the source is asked with the caller's token, and only that");
        JsonNode got = image(dst);
        assertEquals("raw", got.get("disk_format").asText());
        assertEquals("q35", got.get("hw_machine_type").asText());
        assertEquals("linux", got.get("os_type").asText());
        assertEquals("x", got.get("os_type_version").asText(), "a prefix, as Glance matches it");
        assertEquals("required", got.get("trait:CUSTOM_GOLD").asText());
        assertEquals("\u0301astral \ud83d\ude00", got.get("hw_\u00e9\ud83d\ude00").asText());
        assertFalse(got.has("hw_numa_nodes"), "extra properties are strings: a number is not taken over");
        assertFalse(got.has("os_glance_stage_host") && "http://elsewhere".equals(got.get("os_glance_stage_host").asText()),
                "os_glance properties are never taken over");
        assertFalse(got.has("os_glance_import_task"), "the import lock is gone and never the source's");
        assertFalse(got.has("speed"));
        assertEquals(data.length, got.get("size").asLong());
    }

    @Test
    void whateverFailsTheImageIsQueuedAgainAsItWas() throws Exception {
        // the data is shorter than the source says; the source is not active; its format is unknown here;
        // no such image; no such region; no such interface
        remoteImage(LIAR, 5000, "active").put("hw_liar", "yes");
        REMOTE_DATA.put(LIAR, new byte[3000]);
        remoteImage(QUEUED, 0, "queued");
        remoteImage(ODD_FORMAT, 10, "active").put("disk_format", "floppy");
        REMOTE_DATA.put(ODD_FORMAT, new byte[10]);
        String missing = "0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3aff";
        for (String params : List.of(
                ",\"glance_image_id\":\"" + LIAR + "\",\"glance_region\":\"RegionTwo\"",
                ",\"glance_image_id\":\"" + QUEUED + "\",\"glance_region\":\"RegionTwo\"",
                ",\"glance_image_id\":\"" + ODD_FORMAT + "\",\"glance_region\":\"RegionTwo\"",
                ",\"glance_image_id\":\"" + missing + "\",\"glance_region\":\"RegionTwo\"",
                ",\"glance_image_id\":\"" + missing + "\",\"glance_region\":\"not a region\"",
                ",\"glance_image_id\":\"" + LIAR + "\",\"glance_region\":\"RegionTwo\",\"glance_service_interface\":"
                        + "\"internal\"")) {
            String dst = create("iso", "ovf", ",\"hw_cpu_cores\":\"1\",\"os_distro\":\"windows\"");
            HttpResponse<String> r = glanceDownload(dst, params);
            assertEquals(202, r.statusCode(), params + ": " + r.body());
            JsonNode task = endedTask(dst);
            assertEquals("failure", task.get("status").asText(), params);
            assertFalse(task.get("message").asText().isBlank(), params);
            JsonNode got = image(dst);
            assertEquals("queued", got.get("status").asText(), params);
            assertEquals("iso", got.get("disk_format").asText(), params);
            assertEquals("ovf", got.get("container_format").asText(), params);
            assertEquals("1", got.get("hw_cpu_cores").asText(), params);
            assertEquals("windows", got.get("os_distro").asText(), params);
            assertFalse(got.has("hw_liar"), params);
            assertFalse(history(dst).contains("ImageUpdated"), params + ": nothing of the source was taken over");
            assertFalse(Files.exists(dir.resolve("node/staging/" + dst)), params + ": nothing stays staged");
        }
    }

    @Test
    void badRequestsAnswerAtOnceInGlancesWords() throws Exception {
        String dst = create("raw", "bare", "");
        Map<String, String> refusals = Map.of(
                ",\"glance_image_id\":\"" + RICH + "\"", "'glance_region' needs to be set for glance-download import method",
                ",\"glance_region\":\"RegionTwo\"", "'glance_image_id' needs to be set for glance-download import method",
                ",\"glance_image_id\":\"foo\",\"glance_region\":\"RegionTwo\"", "Remote image id does not look like a UUID: foo");
        for (var refusal : refusals.entrySet()) {
            HttpResponse<String> r = glanceDownload(dst, refusal.getKey());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains(refusal.getValue()), r.body());
        }
        // not queued: staged, then active
        String staged = create("raw", "bare", "");
        assertEquals(204, node.send(node.request("/v2/images/" + staged + "/stage").header("X-Auth-Token", alice)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build()).statusCode());
        HttpResponse<String> r = glanceDownload(staged, ",\"glance_image_id\":\"" + RICH + "\",\"glance_region\":\"RegionTwo\"");
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(r.body().contains("Image needs to be in 'queued' state to use 'glance-download' method"), r.body());
        assertEquals(202, call("POST", "/v2/images/" + staged + "/import", "application/json",
                "{\"method\":{\"name\":\"glance-direct\"}}").statusCode());
        assertEquals("success", endedTask(staged).get("status").asText());
        r = glanceDownload(staged, ",\"glance_image_id\":\"" + RICH + "\",\"glance_region\":\"RegionTwo\"");
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(r.body().contains("Image with status active cannot be target for import"), r.body());
        assertEquals(List.of(), JSON.readTree(call("GET", "/v2/images/" + dst + "/tasks", null, null).body())
                .findValuesAsText("id"), "no refused request became a task");
        assertTrue(JSON.readTree(call("GET", "/v2/info/import", null, null).body()).get("import-methods").get("value")
                .toString().contains("glance-download"));
    }
}
