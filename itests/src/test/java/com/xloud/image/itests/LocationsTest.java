package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Glance's multiple locations written with JSON-patch (show.multiple.locations on), as Nova, Cinder
 * and glanceclient's location-add, location-update and location-delete use them: http locations
 * (several in one store, with their metadata and order), validation data, Glance's refusals, data
 * of a removed location in a writable store removed, and the list kept by the registry rebuild.
 */
class LocationsTest {
    @TempDir
    static Path dir;
    static Node node;
    static HttpServer server;
    static String base;
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] DATA = new byte[300_000];

    @BeforeAll
    static void start() throws Exception {
        new Random(11).nextBytes(DATA);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", LocationsTest::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        Path etc = Node.configDir(dir.resolve("etc"), Map.of("com.xloud.image.store.http-web.cfg",
                "store.id = web\nstore.description = Images on web servers\n"));
        Path core = etc.resolve("com.xloud.image.core.cfg");
        Files.writeString(core, Files.readString(core).replace("show.multiple.locations = false",
                "show.multiple.locations = true").replace("show.image.direct.url = false", "show.image.direct.url = true"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString(), "--features", "http-node");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    /** {@code /image.raw} is the data (HEAD and GET); anything else is not there. */
    static void serve(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestURI().getPath().equals("/image.raw")) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            x.getResponseHeaders().add("Content-Length", String.valueOf(DATA.length));
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(200, -1);
                return;
            }
            x.sendResponseHeaders(200, DATA.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(DATA);
            }
        }
    }

    static HttpRequest.Builder as(String path) {
        return node.request(path).header("X-User-Id", "u-loc").header("X-Project-Id", "p-loc")
                .header("X-Roles", "member");
    }

    static String create() throws Exception {
        HttpResponse<String> r = node.send(as("/v2/images").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"container_format\":\"bare\",\"disk_format\":\"raw\"}"))
                .build());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> patch(String id, String ops) throws Exception {
        return node.send(as("/v2/images/" + id).header("Content-Type", "application/openstack-images-v2.0-json-patch")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(ops)).build());
    }

    static JsonNode image(String id) throws Exception {
        return JSON.readTree(node.send(as("/v2/images/" + id).GET().build()).body());
    }

    static String add(String url, String metadata) {
        return "[{\"add\": \"/locations/-\", \"value\": {\"url\": \"" + url + "\", \"metadata\": " + metadata + "}}]";
    }

    static String message(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("message").asText();
    }

    @Test
    void addReplaceAndRemoveAsGlanceDoes() throws Exception {
        String id = create();
        String url = base + "/image.raw";
        assertEquals(200, patch(id, add(url, "{\"foo\": \"bar\"}")).statusCode());
        JsonNode one = image(id);
        assertEquals("active", one.get("status").asText());
        assertEquals(DATA.length, one.get("size").asLong(), "the size the location's server tells");
        assertEquals("bar", one.get("locations").get(0).get("metadata").get("foo").asText());
        assertEquals(url, one.get("direct_url").asText());
        // a second location of the same data in the same store, kept in order with its metadata
        assertEquals(200, patch(id, add(url + "#new", "{\"speed\": \"88mph\"}")).statusCode());
        JsonNode two = image(id);
        assertEquals(2, two.get("locations").size());
        assertEquals(url + "#new", two.get("locations").get(1).get("url").asText());
        // the location API (2.17) lists them all too, in the same order, to admins
        JsonNode listed = JSON.readTree(node.get("/v2/images/" + id + "/locations").body());
        assertEquals(2, listed.size(), listed.toString());
        assertEquals(url + "#new", listed.get(1).get("url").asText());
        assertEquals("88mph", listed.get(1).get("metadata").get("speed").asText());
        // a replace with the same URLs may change metadata and order; with other URLs it is refused
        JsonNode original = two.get("locations");
        ((com.fasterxml.jackson.databind.node.ObjectNode) original.get(0).get("metadata")).put("date", "2015-10-15");
        assertEquals(200, patch(id, "[{\"replace\": \"/locations\", \"value\": " + original + "}]").statusCode());
        assertEquals(original, image(id).get("locations"), "exactly {url, metadata} as given");
        HttpResponse<String> fewer = patch(id, "[{\"replace\": \"/locations\", \"value\": [" + original.get(0) + "]}]");
        assertEquals(400, fewer.statusCode());
        assertTrue(message(fewer).startsWith("Original locations is not empty"), fewer.body());
        assertEquals(403, patch(id, "[{\"replace\": \"/locations\", \"value\": []}]").statusCode());
        assertEquals(400, patch(id, add("gopher://info.cern.ch", "{}")).statusCode());
        assertEquals(400, patch(id, add(base + "/missing.raw", "{}")).statusCode());
        assertEquals(400, patch(id, "[{\"add\": \"/locations/abc\", \"value\": {\"url\": \"" + url
                + "#x\", \"metadata\": {}}}]").statusCode());
        // remove: never the last
        assertEquals(200, patch(id, "[{\"remove\": \"/locations/0\"}]").statusCode());
        assertEquals(url + "#new", image(id).get("locations").get(0).get("url").asText());
        HttpResponse<String> last = patch(id, "[{\"remove\": \"/locations/0\"}]");
        assertEquals(403, last.statusCode());
        assertTrue(message(last).startsWith("Cannot remove last location in the image."), last.body());
        // the list survives the registry rebuild exactly
        Node.Run rebuild = Node.run(dir.resolve("home"), List.of(Node.HOME.resolve("xloud").toString(),
                "rebuild-registry", "--port", Integer.toString(node.port)));
        assertEquals(0, rebuild.exit(), rebuild.out());
        JsonNode done = JSON.readTree(rebuild.out().substring(rebuild.out().indexOf('{')));
        assertEquals("unchanged", done.get("tables").get("image_locations").asText(), done.toString());
        assertEquals("unchanged", done.get("tables").get("images").asText(), done.toString());
        assertEquals(1, image(id).get("locations").size());
    }

    @Test
    void validationDataGivesAQueuedImageItsDigestsAndMustAgreeAfterwards() throws Exception {
        String id = create();
        String url = base + "/image.raw";
        String sha = "deadbeef".repeat(16);
        String ok = "[{\"add\": \"/locations/-\", \"value\": {\"url\": \"" + url + "\", \"metadata\": {},"
                + " \"validation_data\": {\"checksum\": \"" + "1".repeat(32) + "\", \"os_hash_algo\": \"sha512\","
                + " \"os_hash_value\": \"" + sha + "\"}}}]";
        assertEquals(200, patch(id, ok).statusCode());
        JsonNode image = image(id);
        assertEquals("1".repeat(32), image.get("checksum").asText());
        assertEquals(sha, image.get("os_hash_value").asText());
        assertFalse(image.get("locations").get(0).has("validation_data"));
        // the same values again: fine; another value: 409 before the URL is looked at
        assertEquals(200, patch(id, ok.replace(url, url + "#new")).statusCode());
        HttpResponse<String> other = patch(id, ok.replace(url, url + "#new3").replace("1".repeat(32), "2".repeat(32)));
        assertEquals(409, other.statusCode());
        assertTrue(message(other).startsWith("checksum is already set with a different value"), other.body());
        assertEquals(2, image(id).get("locations").size());
        // and on a queued image the digests must be well formed
        String queued = create();
        HttpResponse<String> algo = patch(queued, ok.replace("sha512", "sha256"));
        assertEquals(409, algo.statusCode());
        assertTrue(message(algo).startsWith("os_hash_algo must be sha512, not sha256"), algo.body());
        assertEquals("queued", image(queued).get("status").asText(), "a refused PATCH changes nothing");
        HttpResponse<String> removeQueued = patch(queued, "[{\"remove\": \"/locations/0\"}]");
        assertEquals(409, removeQueued.statusCode());
    }

    @Test
    void glanceClientLocationCommands() throws Exception {
        Path home = dir.resolve("glance-home");
        String id = create();
        String url = base + "/image.raw";
        node.glance(home, "location-add", "--url", url, "--metadata", "{\"a\": \"1\"}", id);
        node.glance(home, "location-add", "--url", url + "#copy", id);
        node.glance(home, "location-update", "--url", url, "--metadata", "{\"a\": \"2\"}", id);
        JsonNode locations = image(id).get("locations");
        assertEquals(2, locations.size());
        assertEquals("2", locations.get(0).get("metadata").get("a").asText());
        node.glance(home, "location-delete", "--url", url, id);
        JsonNode left = image(id).get("locations");
        assertEquals(1, left.size());
        assertEquals(url + "#copy", left.get(0).get("url").asText());
        Node.Run refused = Node.run(home, node.glanceCommand("location-delete", "--url", url + "#copy", id));
        assertFalse(refused.exit() == 0, refused.out());
        assertTrue(refused.out().contains("Cannot remove last location") && !refused.out().contains("AttributeError"),
                refused.out());
    }

    @Test
    void aRemovedLocationsDataInAWritableStoreIsRemoved() throws Exception {
        HttpResponse<String> created = node.postJson("/v2/images", "{\"container_format\":\"bare\",\"disk_format\":\"raw\"}");
        String id = JSON.readTree(created.body()).get("id").asText();
        assertEquals(204, node.send(node.request("/v2/images/" + id + "/file").header("Content-Type",
                "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(DATA)).build()).statusCode());
        Path file = node.dataDir.resolve("images").resolve(id);
        assertTrue(Files.exists(file));
        HttpResponse<String> added = node.send(node.request("/v2/images/" + id).header("Content-Type",
                "application/openstack-images-v2.0-json-patch").method("PATCH",
                HttpRequest.BodyPublishers.ofString(add(base + "/image.raw", "{}"))).build());
        assertEquals(200, added.statusCode(), added.body());
        HttpResponse<String> removed = node.send(node.request("/v2/images/" + id).header("Content-Type",
                "application/openstack-images-v2.0-json-patch").method("PATCH",
                HttpRequest.BodyPublishers.ofString("[{\"remove\": \"/locations/0\"}]")).build());
        assertEquals(200, removed.statusCode(), removed.body());
        assertFalse(Files.exists(file), "the file store's copy went with its location");
        JsonNode image = JSON.readTree(node.get("/v2/images/" + id).body());
        assertEquals(List.of(base + "/image.raw"), List.of(image.get("locations").get(0).get("url").asText()));
        HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, down.statusCode());
        assertTrue(java.util.Arrays.equals(DATA, down.body()), "read from the remaining location");
    }
}
