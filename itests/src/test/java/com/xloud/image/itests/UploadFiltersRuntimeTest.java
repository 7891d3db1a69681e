package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk-format inspection and signature verification are upload filters in bundles of their own,
 * and the node fails closed without them: a node started without the inspection bundle refuses
 * image data (503, the bundle named, nothing stored, nothing recorded) and says so in its health;
 * the bundle dropped into the running node makes uploads and imports go through it (a qcow2 sent
 * as raw refused with 415 and an {@code UploadRefused} event naming the filter); without the
 * signature bundle only signed images are refused (503), with it their signatures are checked;
 * both taken away, image data is refused again.
 */
class UploadFiltersRuntimeTest {
    static final String BUNDLE = "com.xloud.image.inspection";
    static final String SIGNATURE_BUNDLE = "com.xloud.image.signature";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        Path features = dir.resolve("without-inspection.features");
        Files.write(features, Files.readAllLines(Node.HOME.resolve("features/file-node.features")).stream()
                .filter(l -> !l.strip().equals(BUNDLE) && !l.strip().equals(SIGNATURE_BUNDLE)).toList());
        node = Node.start(dir.resolve("node"), "--features", features.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static String create() throws Exception {
        return create("");
    }

    static String create(String properties) throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"inspect\",\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\"" + properties + "}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> put(String id, String what, byte[] data) throws Exception {
        return node.send(node.request("/v2/images/" + id + "/" + what).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
    }

    static List<String> history(String id) throws Exception {
        return AuditTest.types(JSON.readTree(node.get("/v2/images/" + id + "/history").body()).get("events"));
    }

    static JsonNode uploads() throws Exception {
        return JSON.readTree(node.get("/v2/x-admin/health").body()).get("upload_filters");
    }

    /** A qcow2 header (version 3, 1 GiB) and nothing else: a qcow2 image, whatever its disk_format says. */
    static byte[] qcow2() {
        ByteBuffer b = ByteBuffer.allocate(65536);
        b.put(new byte[] {'Q', 'F', 'I', (byte) 0xfb}).putInt(3).putLong(0).putInt(0).putInt(16).putLong(1L << 30);
        return b.array();
    }

    @Test
    void withoutTheirBundlesDataIsRefusedAndWithThemEveryUploadIsChecked() throws Exception {
        byte[] raw = new byte[200_000];
        new java.util.Random(3).nextBytes(raw);
        raw[0] = 1; // not a known header
        String id = create();
        HttpResponse<String> refused = put(id, "file", raw);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains(BUNDLE), refused.body());
        assertEquals("queued", node.status(id));
        assertEquals(List.of("ImageCreated"), history(id), "nothing recorded, nothing stored");
        assertEquals(false, uploads().get("accepting").asBoolean());
        assertEquals("degraded", JSON.readTree(node.get("/v2/x-admin/health").body()).get("status").asText());
        // staged data waits for the import, which is refused while inspection is missing
        String staged = create();
        assertEquals(204, put(staged, "stage", raw).statusCode());
        HttpResponse<String> importRefused = node.postJson("/v2/images/" + staged + "/import",
                "{\"method\":{\"name\":\"glance-direct\"}}");
        assertEquals(503, importRefused.statusCode(), importRefused.body());

        Path jar = Node.bundleJar(BUNDLE);
        node.deploy(jar);
        Await.until("the inspection filter in use", Duration.ofSeconds(60), () -> uploads().get("accepting").asBoolean(),
                a -> a);
        JsonNode filter = uploads().get("filters").get(0);
        assertEquals("inspection", filter.get("name").asText());
        assertTrue(filter.get("bundle").asText().startsWith(BUNDLE + " "), filter.toString());
        HttpResponse<String> ok = put(id, "file", raw);
        assertEquals(204, ok.statusCode(), ok.body());
        JsonNode image = JSON.readTree(node.get("/v2/images/" + id).body());
        assertEquals(raw.length, image.get("virtual_size").asLong(), "the filter reports the virtual size");
        String liar = create();
        HttpResponse<String> mismatch = put(liar, "file", qcow2());
        assertEquals(415, mismatch.statusCode(), mismatch.body());
        assertEquals("queued", node.status(liar));
        List<String> events = history(liar);
        assertEquals("UploadRefused", events.get(events.size() - 1), events.toString());
        JsonNode last = JSON.readTree(node.get("/v2/images/" + liar + "/history").body()).get("events").get(events.size() - 1);
        assertTrue(last.toString().contains("\"filter\":\"inspection\""), last.toString());
        assertEquals(202, node.postJson("/v2/images/" + staged + "/import", "{\"method\":{\"name\":\"glance-direct\"}}")
                .statusCode());
        Await.until("the import", Duration.ofSeconds(60), () -> node.status(staged), s -> s.equals("active"));

        // a signed image: refused while signature verification is missing, its signature checked once it is there
        String signed = create(",\"img_signature\":\"c2lnbmF0dXJl\",\"img_signature_hash_method\":\"SHA-256\","
                + "\"img_signature_key_type\":\"RSA-PSS\",\"img_signature_certificate_uuid\":"
                + "\"0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3a09\"");
        HttpResponse<String> unverifiable = put(signed, "file", raw);
        assertEquals(503, unverifiable.statusCode(), unverifiable.body());
        assertTrue(unverifiable.body().contains(SIGNATURE_BUNDLE), unverifiable.body());
        assertEquals(List.of("ImageCreated"), history(signed));
        Path signatureJar = Node.bundleJar(SIGNATURE_BUNDLE);
        node.deploy(signatureJar);
        Await.until("the signature filter in use", Duration.ofSeconds(60), () -> uploads().get("filters").size(),
                n -> n == 2);
        assertEquals("signature", uploads().get("filters").get(1).get("name").asText(), "after the inspection");
        HttpResponse<String> unknownCertificate = put(signed, "file", raw);
        assertEquals(400, unknownCertificate.statusCode(), unknownCertificate.body());
        assertTrue(unknownCertificate.body().contains("Signature verification failed"), unknownCertificate.body());
        assertEquals("queued", node.status(signed));
        assertEquals(204, put(create(), "file", raw).statusCode(), "unsigned images pass");

        node.undeploy(signatureJar);
        node.undeploy(jar);
        Await.until("the inspection filter gone", Duration.ofSeconds(60), () -> uploads().get("accepting").asBoolean(),
                a -> !a);
        assertEquals(503, put(create(), "file", raw).statusCode());
        assertFalse(node.output().contains("-> 500"), "no request failed on the way");
    }
}
