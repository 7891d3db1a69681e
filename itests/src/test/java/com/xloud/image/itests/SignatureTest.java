package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed images: keys and certificates made by keytool (and openssl), signatures made by the JDK
 * (and openssl) for every key type and hash; good ones go active, tampered data, a wrong key, a
 * wrong key type, a missing, expired or untrusted certificate answer 400, with no data left and
 * the image queued. The node validates certificates (dates, chain to its trusted CAs).
 */
class SignatureTest {
    @TempDir
    static Path dir;
    static Node node;
    static Path certificates;
    static Path trusted;
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> HASHES = List.of("SHA-224", "SHA-256", "SHA-384", "SHA-512");

    /** A key pair in a PKCS12 store and its certificate, published under {@code uuid}. */
    record Key(String uuid, PrivateKey key) {
    }

    @BeforeAll
    static void start() throws Exception {
        certificates = Files.createDirectories(dir.resolve("certificates"));
        trusted = Files.createDirectories(dir.resolve("trusted"));
        Path etc = Node.configDir(dir.resolve("etc"), Map.of());
        String signature = Files.readString(etc.resolve("com.xloud.image.signature.cfg"))
                .replace("signature.certificate.dir = ${xloud.data.dir}/certificates",
                        "signature.certificate.dir = " + certificates)
                .replace("signature.certificate.validation = false", "signature.certificate.validation = true")
                .replace("signature.trusted.ca.dir =", "signature.trusted.ca.dir = " + trusted);
        Files.writeString(etc.resolve("com.xloud.image.signature.cfg"), signature);
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static String run(String... cmd) throws Exception {
        return Node.cli(dir.resolve("home"), List.of(cmd));
    }

    /** keytool: a self-signed certificate for a new key; {@code trust}: also a trusted CA of the node. */
    static Key keytool(String keyAlg, List<String> keyArgs, String sigAlg, String startDate, boolean trust)
            throws Exception {
        return keytool(dir, certificates, trust ? trusted : null, keyAlg, keyArgs, sigAlg, startDate);
    }

    /**
     * keytool in {@code work}: a new key and its self-signed certificate, published in {@code certificates}
     * under the key's UUID, and also in {@code trusted} (a node's trusted CAs) unless that is null.
     */
    static Key keytool(Path work, Path certificates, Path trusted, String keyAlg, List<String> keyArgs, String sigAlg,
                       String startDate) throws Exception {
        String uuid = UUID.randomUUID().toString();
        Path store = work.resolve(uuid + ".p12");
        List<String> cmd = new ArrayList<>(List.of("keytool", "-genkeypair", "-alias", "k", "-keyalg", keyAlg));
        cmd.addAll(keyArgs);
        cmd.addAll(List.of("-sigalg", sigAlg, "-dname", "CN=signer-" + uuid, "-validity", "2", "-keystore",
                store.toString(), "-storepass", "secret", "-storetype", "PKCS12"));
        if (startDate != null) {
            cmd.addAll(List.of("-startdate", startDate));
        }
        Node.cli(work.resolve("home"), cmd);
        Node.cli(work.resolve("home"), List.of("keytool", "-exportcert", "-rfc", "-alias", "k", "-keystore",
                store.toString(), "-storepass", "secret", "-file", certificates.resolve(uuid + ".pem").toString()));
        if (trusted != null) {
            Files.copy(certificates.resolve(uuid + ".pem"), trusted.resolve(uuid + ".pem"));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "secret".toCharArray());
        }
        return new Key(uuid, (PrivateKey) ks.getKey("k", "secret".toCharArray()));
    }

    /** The signature cursive expects: RSA-PSS with MGF1 and the largest salt, DSA, or ECDSA. */
    static String sign(Key k, String keyType, String hash, byte[] data) throws Exception {
        Signature s;
        if (keyType.equals("RSA-PSS")) {
            s = Signature.getInstance("RSASSA-PSS");
            int emLen = (((RSAPrivateCrtKey) k.key()).getModulus().bitLength() - 1 + 7) / 8;
            int hLen = Integer.parseInt(hash.substring(4)) / 8;
            s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), emLen - hLen - 2, 1));
        } else {
            s = Signature.getInstance(hash.replace("-", "") + (keyType.equals("DSA") ? "withDSA" : "withECDSA"));
        }
        s.initSign(k.key());
        s.update(data);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    static String create(String signature, String hash, String keyType, String uuid) throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images", "{\"name\":\"signed\",\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\",\"img_signature\":\"" + signature + "\",\"img_signature_hash_method\":\""
                + hash + "\",\"img_signature_key_type\":\"" + keyType + "\",\"img_signature_certificate_uuid\":\""
                + uuid + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> upload(String id, byte[] data) throws Exception {
        return node.send(node.request("/v2/images/" + id + "/file").header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
    }

    static byte[] data(int seed) {
        byte[] d = new byte[100_000];
        new Random(seed).nextBytes(d);
        return d;
    }

    static void good(Key k, String keyType, String hash, byte[] data) throws Exception {
        String id = create(sign(k, keyType, hash, data), hash, keyType, k.uuid());
        HttpResponse<String> up = upload(id, data);
        assertEquals(204, up.statusCode(), keyType + " " + hash + ": " + up.body());
        assertEquals("active", node.status(id));
    }

    static void refused(String id, byte[] data, String why) throws Exception {
        HttpResponse<String> up = upload(id, data);
        assertEquals(400, up.statusCode(), up.body());
        assertTrue(up.body().contains("Signature verification failed") && up.body().contains(why), up.body());
        assertEquals("queued", node.status(id));
        try (var left = Files.list(node.dataDir.resolve("images"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(id)), "no data of " + id + " is left");
        }
    }

    @Test
    void everyKeyTypeAndHashVerifies() throws Exception {
        Key rsa = keytool("RSA", List.of("-keysize", "2048"), "SHA256withRSA", null, true);
        Key dsa = keytool("DSA", List.of("-keysize", "2048"), "SHA256withDSA", null, true);
        Key p384 = keytool("EC", List.of("-groupname", "secp384r1"), "SHA384withECDSA", null, true);
        Key p521 = keytool("EC", List.of("-groupname", "secp521r1"), "SHA512withECDSA", null, true);
        byte[] data = data(1);
        for (String hash : HASHES) {
            good(rsa, "RSA-PSS", hash, data);
            good(dsa, "DSA", hash, data);
            good(p384, "ECC_SECP384R1", hash, data);
            good(p521, "ECC_SECP521R1", hash, data);
        }
    }

    @Test
    void signaturesMadeByOpensslVerify() throws Exception {
        byte[] data = data(2);
        Path file = dir.resolve("openssl-data");
        Files.write(file, data);
        for (String[] kind : List.of(new String[] {"RSA-PSS", "rsa:2048", "-sha256"},
                new String[] {"ECC_SECP384R1", "ec", "-sha384"})) {
            String uuid = UUID.randomUUID().toString();
            Path key = dir.resolve(uuid + ".key");
            if (kind[1].equals("ec")) {
                run("openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", key.toString());
                run("openssl", "req", "-x509", "-key", key.toString(), "-out", certificates.resolve(uuid + ".pem")
                        .toString(), "-days", "2", "-subj", "/CN=openssl-ec");
            } else {
                run("openssl", "req", "-x509", "-newkey", kind[1], "-nodes", "-keyout", key.toString(), "-out",
                        certificates.resolve(uuid + ".pem").toString(), "-days", "2", "-subj", "/CN=openssl-rsa");
            }
            Files.copy(certificates.resolve(uuid + ".pem"), trusted.resolve(uuid + ".pem"));
            Path sig = dir.resolve(uuid + ".sig");
            List<String> dgst = new ArrayList<>(List.of("openssl", "dgst", kind[2], "-sign", key.toString()));
            if (kind[0].equals("RSA-PSS")) {
                dgst.addAll(List.of("-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-2"));
            }
            dgst.addAll(List.of("-out", sig.toString(), file.toString()));
            Node.cli(dir.resolve("home"), dgst);
            String hash = "SHA-" + kind[2].substring(4);
            String id = create(Base64.getEncoder().encodeToString(Files.readAllBytes(sig)), hash, kind[0], uuid);
            assertEquals(204, upload(id, data).statusCode(), kind[0]);
            assertEquals("active", node.status(id));
        }
    }

    @Test
    void badSignaturesAndCertificatesAreRefused() throws Exception {
        Key rsa = keytool("RSA", List.of("-keysize", "2048"), "SHA256withRSA", null, true);
        Key other = keytool("RSA", List.of("-keysize", "2048"), "SHA256withRSA", null, true);
        byte[] data = data(3);
        // tampered data: the signature was made over other bytes
        byte[] tampered = data.clone();
        tampered[50_000] ^= 1;
        String id = create(sign(rsa, "RSA-PSS", "SHA-256", data), "SHA-256", "RSA-PSS", rsa.uuid());
        refused(id, tampered, "does not match its signature");
        JsonNode history = JSON.readTree(node.get("/v2/images/" + id + "/history").body()).get("events");
        JsonNode refusal = history.get(history.size() - 1);
        assertEquals("UploadRefused", refusal.get("type").asText(), history.toString());
        assertEquals("signature", refusal.get("changes").get("filter").asText(), refusal.toString());
        // signed by another key than the certificate's
        refused(create(sign(other, "RSA-PSS", "SHA-256", data), "SHA-256", "RSA-PSS", rsa.uuid()), data,
                "does not match its signature");
        // key type and certificate do not agree
        refused(create(sign(rsa, "RSA-PSS", "SHA-256", data), "SHA-256", "DSA", rsa.uuid()), data, "not a DSA key");
        refused(create(sign(rsa, "RSA-PSS", "SHA-256", data), "SHA-256", "ECC_SECP384R1", rsa.uuid()), data,
                "does not match key type");
        // no such certificate, unknown hash, garbage signature
        refused(create(sign(rsa, "RSA-PSS", "SHA-256", data), "SHA-256", "RSA-PSS", UUID.randomUUID().toString()),
                data, "cannot be found");
        refused(create(sign(rsa, "RSA-PSS", "SHA-256", data), "MD5", "RSA-PSS", rsa.uuid()), data, "hash_method");
        refused(create("not*base64", "SHA-256", "RSA-PSS", rsa.uuid()), data, "base64");
        // with validation on: an expired certificate, and one no trusted CA vouches for
        Key expired = keytool("RSA", List.of("-keysize", "2048"), "SHA256withRSA", "-10d", true);
        refused(create(sign(expired, "RSA-PSS", "SHA-256", data), "SHA-256", "RSA-PSS", expired.uuid()), data,
                "not valid now");
        Key stranger = keytool("RSA", List.of("-keysize", "2048"), "SHA256withRSA", null, false);
        refused(create(sign(stranger, "RSA-PSS", "SHA-256", data), "SHA-256", "RSA-PSS", stranger.uuid()), data,
                "trusted CA");
    }

    /** Stages {@code data} and imports it (glance-direct); returns the image once the import is over. */
    static JsonNode imported(String id, byte[] data) throws Exception {
        HttpResponse<String> staged = node.send(node.request("/v2/images/" + id + "/stage")
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build());
        assertEquals(204, staged.statusCode(), staged.body());
        assertEquals(202, node.postJson("/v2/images/" + id + "/import", "{\"method\":{\"name\":\"glance-direct\"}}")
                .statusCode());
        return Await.until("the import to end", java.time.Duration.ofSeconds(30),
                () -> JSON.readTree(node.get("/v2/images/" + id).body()),
                i -> i.get("status").asText().equals("active") || i.get("status").asText().equals("queued"));
    }

    @Test
    void importsAreVerifiedToo() throws Exception {
        Key ec = keytool("EC", List.of("-groupname", "secp521r1"), "SHA512withECDSA", null, true);
        byte[] data = data(4);
        String good = create(sign(ec, "ECC_SECP521R1", "SHA-512", data), "SHA-512", "ECC_SECP521R1", ec.uuid());
        assertEquals("active", imported(good, data).get("status").asText());
        byte[] tampered = data.clone();
        tampered[7] ^= 1;
        String bad = create(sign(ec, "ECC_SECP521R1", "SHA-512", data), "SHA-512", "ECC_SECP521R1", ec.uuid());
        assertEquals("queued", imported(bad, tampered).get("status").asText());
        JsonNode task = JSON.readTree(node.get("/v2/images/" + bad + "/tasks").body()).get("tasks").get(0);
        assertTrue(task.get("message").asText().contains("Signature verification failed"), task.toString());
        try (var left = Files.list(node.dataDir.resolve("images"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(bad)), "no data of a refused import");
        }
    }
}
