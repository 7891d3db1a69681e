package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two file stores configured side by side (factory configurations): choosing, listing, importing into one. */
class MultiStoreTest {
    @TempDir
    static Path dir;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path etc = Node.configDir(dir.resolve("etc"), java.util.Map.of());
        Files.writeString(etc.resolve("com.xloud.image.store.file-fast.cfg"), """
                store.id = fast
                store.description = Fast disks
                store.weight = 100
                store.default = false
                filesystem.store.datadir = ${xloud.data.dir}/fast
                chunk.size = 1048576
                """);
        Path core = etc.resolve("com.xloud.image.core.cfg");
        Files.writeString(core, Files.readString(core).replace("show.multiple.locations = false",
                "show.multiple.locations = true").replace("show.image.direct.url = false", "show.image.direct.url = true"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString());
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

    static String create() throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"ms\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode());
        return json(r).get("id").asText();
    }

    static HttpResponse<String> upload(String id, byte[] data, String store) throws Exception {
        HttpRequest.Builder b = node.request("/v2/images/" + id + "/file").header("Content-Type", "application/octet-stream");
        if (store != null) {
            b.header("X-Image-Meta-Store", store);
        }
        return node.send(b.PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
    }

    @Test
    void storesAreListedAndDetailedForAdmins() throws Exception {
        JsonNode stores = json(node.get("/v2/info/stores")).get("stores");
        assertEquals(2, stores.size());
        assertEquals("fast", stores.get(0).get("id").asText(), "heaviest first");
        assertEquals("Fast disks", stores.get(0).get("description").asText());
        assertFalse(stores.get(0).has("default"));
        assertEquals("file", stores.get(1).get("id").asText());
        assertEquals("true", stores.get(1).get("default").asText());
        JsonNode detail = json(node.get("/v2/info/stores/detail")).get("stores");
        assertEquals("file", detail.get(0).get("type").asText());
        assertEquals(100, detail.get(0).get("weight").asInt());
        assertTrue(detail.get(0).get("properties").get("data_dir").asText().endsWith("fast"));
        assertEquals(403, node.send(node.request("/v2/info/stores/detail").header("X-Project-Id", "p")
                .header("X-Roles", "member").build()).statusCode());
        HttpResponse<String> created = node.postJson("/v2/images", "{\"name\":\"h\"}");
        assertEquals("fast,file", created.headers().firstValue("OpenStack-image-store-ids").orElse(""));
    }

    @Test
    void uploadsGoWhereTheClientSays() throws Exception {
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        String fast = create();
        assertEquals(204, upload(fast, data, "fast").statusCode());
        assertEquals("fast", json(node.get("/v2/images/" + fast)).get("stores").asText());
        assertTrue(Files.exists(node.dataDir.resolve("fast").resolve(fast)));
        HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + fast + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(data, down.body());

        String plain = create();
        assertEquals(204, upload(plain, data, null).statusCode());
        assertEquals("file", json(node.get("/v2/images/" + plain)).get("stores").asText());
        assertTrue(Files.exists(node.dataDir.resolve("images").resolve(plain)));

        String unknown = create();
        HttpResponse<String> refused = upload(unknown, new byte[8], "nowhere");
        assertEquals(400, refused.statusCode(), refused.body());
        JsonNode image = json(node.get("/v2/images/" + unknown));
        assertEquals("queued", image.get("status").asText());
        assertFalse(image.has("stores"));
    }

    @Test
    void importsGoIntoTheNamedStore() throws Exception {
        String id = create();
        HttpResponse<String> staged = node.send(node.request("/v2/images/" + id + "/stage")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build());
        assertEquals(204, staged.statusCode());
        assertEquals(409, node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"glance-direct\"},\"stores\":[\"nowhere\"]}").statusCode());
        assertEquals(202, node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"glance-direct\"},\"stores\":[\"fast\",\"file\"]}").statusCode());
        JsonNode image = Await.until("the import", java.time.Duration.ofSeconds(20), () -> json(node.get("/v2/images/" + id)),
                i -> i.get("status").asText().equals("active"));
        assertEquals("active", image.get("status").asText(), image.toString());
        assertEquals("fast,file", image.get("stores").asText());
        assertEquals("", image.get("os_glance_failed_import").asText());
        assertTrue(Files.exists(node.dataDir.resolve("fast").resolve(id)));
        assertTrue(Files.exists(node.dataDir.resolve("images").resolve(id)));
    }

    static JsonNode awaitTask(String id) throws Exception {
        return Await.until("the task of image " + id + " to end", java.time.Duration.ofSeconds(20),
                () -> json(node.get("/v2/images/" + id + "/tasks")).get("tasks").get(0),
                t -> !t.get("status").asText().equals("processing"));
    }

    @Test
    void copyImageThenTakeTheDataOutOfOneStore() throws Exception {
        byte[] data = new byte[200_000];
        new Random(9).nextBytes(data);
        String id = create();
        assertEquals(409, node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"copy-image\"},\"stores\":[\"fast\"]}").statusCode(), "not active yet");
        assertEquals(204, upload(id, data, "file").statusCode());
        assertEquals(400, node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"copy-image\"},\"stores\":[\"file\"]}").statusCode(), "already there");
        HttpResponse<String> copy = node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"copy-image\"},\"all_stores\":true}");
        assertEquals(202, copy.statusCode(), copy.body());
        assertEquals("success", awaitTask(id).get("status").asText());
        JsonNode image = json(node.get("/v2/images/" + id));
        assertEquals("active", image.get("status").asText());
        assertEquals("fast,file", image.get("stores").asText());
        assertEquals("", image.get("os_glance_failed_import").asText());
        assertTrue(Files.exists(node.dataDir.resolve("fast").resolve(id)));
        // every writable store holds it now: 202 as Glance, and a task with nothing to copy that succeeds at once
        // (what a client waiting for os_glance_importing_to_stores to empty needs)
        int tasks = json(node.get("/v2/images/" + id + "/tasks")).get("tasks").size();
        assertEquals(202, node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"copy-image\"},\"all_stores\":true}").statusCode());
        Await.until("the empty copy to end", java.time.Duration.ofSeconds(10),
                () -> json(node.get("/v2/images/" + id + "/tasks")).get("tasks"),
                t -> t.size() == tasks + 1 && t.get(0).get("status").asText().equals("success"));
        assertEquals("", json(node.get("/v2/images/" + id)).get("os_glance_importing_to_stores").asText());
        assertEquals("fast,file", json(node.get("/v2/images/" + id)).get("stores").asText());

        // the heavier store's copy is gone from under us: the download falls back to the other copy
        Files.delete(node.dataDir.resolve("fast").resolve(id));
        HttpResponse<byte[]> down = node.http.send(node.request("/v2/images/" + id + "/file").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, down.statusCode());
        assertArrayEquals(data, down.body());

        assertEquals(409, node.send(node.request("/v2/stores/nowhere/" + id).DELETE().build()).statusCode());
        assertEquals(204, node.send(node.request("/v2/stores/file/" + id).DELETE().build()).statusCode());
        assertFalse(Files.exists(node.dataDir.resolve("images").resolve(id)));
        assertEquals("fast", json(node.get("/v2/images/" + id)).get("stores").asText());
        assertEquals(404, node.send(node.request("/v2/stores/file/" + id).DELETE().build()).statusCode());
        assertEquals(403, node.send(node.request("/v2/stores/fast/" + id).DELETE().build()).statusCode(),
                "the last copy cannot go");
    }

    static String glance(String... args) throws Exception {
        return node.glance(dir.resolve("home"), args);
    }

    @Test
    void theGlanceClientUsesSeveralStores() throws Exception {
        String info = glance("stores-info");
        assertTrue(info.contains("fast") && info.contains("file"), info);
        Path src = dir.resolve("g.raw");
        byte[] data = new byte[123_457];
        new Random(3).nextBytes(data);
        Files.write(src, data);
        String created = glance("image-create", "--name", "g-multi", "--disk-format", "raw", "--container-format", "bare",
                "--file", src.toString(), "--store", "fast");
        String id = created.lines().filter(l -> l.matches("\\|\\s*id\\s*\\|.*")).findFirst().orElseThrow()
                .split("\\|")[2].trim();
        assertEquals("fast", json(node.get("/v2/images/" + id)).get("stores").asText());
        glance("image-import", "--import-method", "copy-image", "--stores", "file", id);
        String stores = Await.until("the copy into file", java.time.Duration.ofSeconds(10),
                () -> json(node.get("/v2/images/" + id)).get("stores").asText(), "fast,file"::equals);
        assertEquals("fast,file", stores);
        glance("stores-delete", "--store", "file", id);
        assertEquals("fast", json(node.get("/v2/images/" + id)).get("stores").asText());
    }

    static JsonNode as(String project, String roles, String path) throws Exception {
        return json(node.send(node.request(path).header("X-Project-Id", project).header("X-User-Id", "u-" + project)
                .header("X-Roles", roles).build()));
    }

    /**
     * show.multiple.locations and show.image.direct.url on: the image's locations (url, store) and
     * its first location as direct_url, for admins and the image's project (get_image_location);
     * other callers see an empty list, as with Glance.
     */
    @Test
    void locationsAndDirectUrlForThoseThePolicyAllows() throws Exception {
        // public, so that another project can read it (publicizing takes an admin)
        HttpResponse<String> created = node.send(node.request("/v2/images").header("X-Project-Id", "p-loc")
                .header("X-Roles", "admin,member,reader").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"loc\",\"disk_format\":\"raw\","
                        + "\"container_format\":\"bare\",\"visibility\":\"public\"}")).build());
        String id = json(created).get("id").asText();
        assertEquals("[]", json(created).get("locations").toString(), "no data, no location");
        assertEquals(204, upload(id, new byte[4096], "file").statusCode());
        JsonNode mine = as("p-loc", "reader", "/v2/images/" + id);
        assertEquals(1, mine.get("locations").size(), mine.toString());
        assertEquals("file", mine.get("locations").get(0).get("metadata").get("store").asText());
        assertTrue(mine.get("locations").get(0).get("url").asText().endsWith("/images/" + id), mine.toString());
        assertEquals(mine.get("locations").get(0).get("url"), mine.get("direct_url"));
        assertEquals(202, node.postJson("/v2/images/" + id + "/import",
                "{\"method\":{\"name\":\"copy-image\"},\"stores\":[\"fast\"]}").statusCode());
        JsonNode copied = Await.until("the copy", java.time.Duration.ofSeconds(20),
                () -> as("p-loc", "reader", "/v2/images/" + id), i -> i.get("locations").size() == 2);
        assertEquals("file", copied.get("locations").get(0).get("metadata").get("store").asText(), "its own first");
        assertEquals("fast", copied.get("locations").get(1).get("metadata").get("store").asText());
        assertEquals(mine.get("direct_url"), copied.get("direct_url"));
        JsonNode theirs = as("p-other", "member,reader", "/v2/images/" + id);
        assertEquals("[]", theirs.get("locations").toString(), theirs.toString());
        assertTrue(!theirs.has("direct_url"), theirs.toString());
        JsonNode listed = as("p-loc", "reader", "/v2/images?id=" + id).get("images").get(0);
        assertEquals(copied.get("locations"), listed.get("locations"));
    }
}
