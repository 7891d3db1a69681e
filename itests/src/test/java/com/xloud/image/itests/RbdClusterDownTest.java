package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.launcher.EmbeddedMariaDb;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An RBD store whose cluster is down when the node starts: the node starts, the store reports unhealthy. */
class RbdClusterDownTest {
    @TempDir
    Path dir;

    @Test
    void theNodeStartsTheRbdStoreIsUnhealthyAndTheFileStoreWorks() throws Exception {
        int nobody = EmbeddedMariaDb.freePort();
        Path conf = dir.resolve("ceph.conf");
        Files.writeString(conf, "[global]\nfsid = 00000000-0000-0000-0000-000000000000\nmon_host = 127.0.0.1:" + nobody
                + "\nauth_client_required = none\n[client]\nadmin_socket =\nlog_file = " + dir.resolve("client.log") + "\n");
        Path etc = Node.configDir(dir.resolve("etc"), java.util.Map.of());
        Files.writeString(etc.resolve("com.xloud.image.store.rbd-ceph.cfg"), "store.id = ceph\nrbd.store.pool = images\n"
                + "rbd.store.ceph.conf = " + conf + "\nrados.connect.timeout = 3\n");
        ObjectMapper json = new ObjectMapper();
        try (Node node = Node.start(dir.resolve("node"), "--config-dir", etc.toString(), "--features",
                Node.HOME.resolve("features/rbd-node.features").toString())) {
            JsonNode stores = json.readTree(node.get("/v2/info/stores/detail").body()).get("stores");
            JsonNode rbd = null;
            for (JsonNode s : stores) {
                if (s.get("id").asText().equals("ceph")) {
                    rbd = s;
                }
            }
            assertFalse(rbd.get("health").get("available").asBoolean(), rbd.toString());

            String id = json.readTree(node.postJson("/v2/images",
                    "{\"name\":\"x\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}").body()).get("id").asText();
            long t0 = System.nanoTime();
            HttpResponse<String> refused = node.send(node.request("/v2/images/" + id + "/file")
                    .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "ceph")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build());
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue((System.nanoTime() - t0) / 1_000_000_000L < 30, "within the connect timeout");
            assertEquals("queued", json.readTree(node.get("/v2/images/" + id).body()).get("status").asText());
            HttpResponse<String> file = node.send(node.request("/v2/images/" + id + "/file")
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build());
            assertEquals(204, file.statusCode(), file.body());

            // importing into both stores: all_stores_must_succeed decides what a dead store means
            for (boolean mustSucceed : new boolean[] {false, true}) {
                String img = json.readTree(node.postJson("/v2/images",
                        "{\"name\":\"both\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}").body())
                        .get("id").asText();
                assertEquals(204, node.send(node.request("/v2/images/" + img + "/stage")
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[512])).build()).statusCode());
                assertEquals(202, node.postJson("/v2/images/" + img + "/import", "{\"method\":{\"name\":\"glance-direct\"},"
                        + "\"stores\":[\"file\",\"ceph\"],\"all_stores_must_succeed\":" + mustSucceed + "}").statusCode());
                JsonNode image = Await.until("the import to end", java.time.Duration.ofSeconds(30),
                        () -> json.readTree(node.get("/v2/images/" + img).body()),
                        i -> !i.get("status").asText().equals("importing") && !i.get("status").asText().equals("uploading"));
                assertEquals(mustSucceed ? "queued" : "active", image.get("status").asText(), image.toString());
                assertEquals("ceph", image.get("os_glance_failed_import").asText(), image.toString());
                if (!mustSucceed) {
                    assertEquals("file", image.get("stores").asText());
                } else {
                    assertFalse(Files.exists(node.dataDir.resolve("images").resolve(img)), "the copy in file was removed");
                }
            }
        }
    }
}
