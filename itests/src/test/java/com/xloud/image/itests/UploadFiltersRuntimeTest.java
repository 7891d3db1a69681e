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
 * both taken away, image data is refused again. Under a stream of uploads and reads, each bundle
 * is taken away and brought back, and each upgraded to a version with another rule (inspection: data
 * of another format stored; signature: certificates' dates checked): no
 * answer is other than the filters' presence allows, no signed image is ever stored unverified,
 * and the new version's rule holds within five seconds of its deploy.
 */
class UploadFiltersRuntimeTest {
    static final String BUNDLE = "com.xloud.image.inspection";
    static final String SIGNATURE_BUNDLE = "com.xloud.image.signature";
    /** The properties of a signed image whose certificate nobody has. */
    static final String SIGNED = ",\"img_signature\":\"c2lnbmF0dXJl\",\"img_signature_hash_method\":\"SHA-256\","
            + "\"img_signature_key_type\":\"RSA-PSS\",\"img_signature_certificate_uuid\":"
            + "\"0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3a09\"";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        Path features = Node.featuresWithout(dir.resolve("without-inspection.features"), List.of(BUNDLE, SIGNATURE_BUNDLE));
        // without etc/com.xloud.image.inspection.cfg: the inspection's own defaults rule (an upgrade may change them)
        Path etc = Node.configDir(dir.resolve("etc"), java.util.Map.of());
        Files.delete(etc.resolve("com.xloud.image.inspection.cfg"));
        // nor says the signature's whether certificates are validated: the bundle's default (an upgrade changes it)
        Path signature = etc.resolve("com.xloud.image.signature.cfg");
        Files.writeString(signature, Files.readString(signature).replace("signature.certificate.validation = false\n", ""));
        node = Node.start(dir.resolve("node"), "--features", features.toString(), "--config-dir", etc.toString());
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
        return node.createRaw("inspect", properties);
    }

    static HttpResponse<String> put(String id, String what, byte[] data) throws Exception {
        return node.putData(id, what, data);
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
        byte[] raw = new byte[8_000]; // small: a refusal answered at once reaches the client whole (see below)
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
        String signed = create(SIGNED);
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

    /** What a client of the running node saw: every answer that was not one of those allowed. */
    static final class Traffic implements Runnable {
        final byte[] raw;
        final String readable;
        final java.util.List<String> wrong = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final java.util.List<String> signedImages = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger stored = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean stop;

        Traffic(byte[] raw, String readable) {
            this.raw = raw;
            this.readable = readable;
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    HttpResponse<String> unsigned = put(create(), "file", raw);
                    if (unsigned.statusCode() == 204) {
                        stored.incrementAndGet();
                    } else if (unsigned.statusCode() == 503) {
                        refused.incrementAndGet();
                    } else {
                        wrong.add("unsigned upload: " + unsigned.statusCode() + " " + unsigned.body());
                    }
                    String signed = create(SIGNED);
                    signedImages.add(signed);
                    HttpResponse<String> s = put(signed, "file", raw);
                    if (s.statusCode() != 400 && s.statusCode() != 503) {
                        wrong.add("signed upload with a certificate nobody has: " + s.statusCode() + " " + s.body());
                    }
                    HttpResponse<byte[]> read = node.http.send(node.request("/v2/images/" + readable + "/file").build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (read.statusCode() != 200 || !java.util.Arrays.equals(read.body(), raw)) {
                        wrong.add("read: " + read.statusCode());
                    }
                    reads.incrementAndGet();
                } catch (Exception e) {
                    wrong.add(e.toString());
                }
            }
        }
    }

    @Test
    void swappedAndUpgradedUnderAStreamOfUploadsAndReadsNothingFailsAndNothingUnverifiedIsStored() throws Exception {
        Path inspection = Node.bundleJar(BUNDLE);
        Path signature = Node.bundleJar(SIGNATURE_BUNDLE);
        node.deploy(inspection);
        node.deploy(signature);
        Await.until("both filters", Duration.ofSeconds(60), () -> uploads().get("filters").size(), n -> n == 2);
        // small bodies: they arrive whole with their headers, so a refusal answered at once reaches this client as an
        // answer (a larger body still on its way when the node answers and closes may reach it as a reset)
        byte[] raw = new byte[8_000];
        new java.util.Random(4).nextBytes(raw);
        raw[0] = 2;
        String readable = create();
        assertEquals(204, put(readable, "file", raw).statusCode());
        Traffic traffic = new Traffic(raw, readable);
        Thread client = new Thread(traffic, "traffic");
        client.start();
        try {
            for (Path jar : List.of(inspection, signature)) {
                node.undeploy(jar);
                Await.until(jar.getFileName() + " gone", Duration.ofSeconds(30), () -> uploads().get("filters").size(),
                        n -> n == 1);
                int before = traffic.reads.get();
                Await.until("traffic while it is gone", Duration.ofSeconds(30), traffic.reads::get, n -> n > before + 1);
                node.deploy(jar);
                Await.until(jar.getFileName() + " back", Duration.ofSeconds(30), () -> uploads().get("filters").size(),
                        n -> n == 2);
            }
            // an update of the inspection whose rule changed: data of another format is stored (the new default)
            String before = create();
            assertEquals(415, put(before, "file", qcow2()).statusCode());
            Path update = Node.upgraded(inspection, dir.resolve("inspection-update.jar"), "0.1.1.update", java.util.Map.of(
                    "OSGI-INF/com.xloud.image.inspection.internal.InspectionFilter.xml", xml -> xml.replace(
                            "name=\"require.image.format.match\" type=\"Boolean\" value=\"true\"",
                            "name=\"require.image.format.match\" type=\"Boolean\" value=\"false\"")));
            node.deploy(update, inspection.getFileName().toString());
            Await.until("the update in use within five seconds", Duration.ofSeconds(5),
                    () -> uploads().get("filters").get(0).get("bundle").asText(),
                    b -> b.equals(BUNDLE + " 0.1.1.update"));
            assertEquals(204, put(create(), "file", qcow2()).statusCode(), "the new version's rule holds");
            // an update of the signature verification whose rule changed: certificates are validated (a certificate
            // valid from tomorrow on passes the version that does not look at dates, and not the update)
            Path certificates = Files.createDirectories(node.dataDir.resolve("certificates"));
            SignatureTest.Key key = SignatureTest.keytool(dir, certificates, null, "RSA", List.of("-keysize", "2048"),
                    "SHA256withRSA", "+1d");
            String signedProperties = ",\"img_signature\":\"" + SignatureTest.sign(key, "RSA-PSS", "SHA-256", raw)
                    + "\",\"img_signature_hash_method\":\"SHA-256\",\"img_signature_key_type\":\"RSA-PSS\","
                    + "\"img_signature_certificate_uuid\":\"" + key.uuid() + "\"";
            assertEquals(204, put(create(signedProperties), "file", raw).statusCode(), "a good signature, not validated");
            Path signatureUpdate = Node.upgraded(signature, dir.resolve("signature-update.jar"), "0.1.1.update",
                    java.util.Map.of("OSGI-INF/com.xloud.image.signature.internal.SignatureFilter.xml", xml -> xml.replace(
                            "name=\"signature.certificate.validation\" type=\"Boolean\" value=\"false\"",
                            "name=\"signature.certificate.validation\" type=\"Boolean\" value=\"true\"")));
            node.deploy(signatureUpdate, signature.getFileName().toString());
            Await.until("the signature update in use within five seconds", Duration.ofSeconds(5),
                    () -> put(create(signedProperties), "file", raw), r -> r.statusCode() == 400
                            && r.body().contains("not valid now"));
            assertEquals(SIGNATURE_BUNDLE + " 0.1.1.update", uploads().get("filters").get(1).get("bundle").asText());
            int readsSoFar = traffic.reads.get();
            Await.until("more traffic", Duration.ofSeconds(30), traffic.reads::get, n -> n > readsSoFar + 2);
        } finally {
            traffic.stop = true;
            client.join(60_000);
        }
        assertEquals(List.of(), traffic.wrong, "every answer was one the filters' presence allows");
        assertTrue(traffic.stored.get() > 0 && traffic.reads.get() > 0, traffic.stored + " stored");
        for (String signed : traffic.signedImages) {
            assertEquals("queued", node.status(signed), "a signed image is never stored unverified");
        }
        node.undeploy(inspection);
        node.undeploy(signature);
        Await.until("both filters gone", Duration.ofSeconds(30), () -> uploads().get("filters").size(), n -> n == 0);
    }
}
