package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node with {@code auth.mode = keystone} against a real Keystone v3 from Debian's packages
 * (itests/scripts/keystone.sh): the whole visibility and members matrix of {@link SharingMatrix}
 * again, with Keystone users of three projects and an admin instead of no-auth headers; missing,
 * wrong, expired and revoked tokens refused with 401; the glance and openstack clients with real
 * credentials, including {@code openstack image add project}.
 */
class KeystoneTest extends SharingMatrix {
    static final int TOKEN_SECONDS = 30;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static String auth;
    static String barbican;
    static Path keystoneDir;
    static final Map<String, String> PROJECT_IDS = new ConcurrentHashMap<>();
    /** A token per user, replaced when it is about to expire. */
    static final Map<String, Token> TOKENS = new ConcurrentHashMap<>();

    record Token(String value, Instant expires) {
    }

    @BeforeAll
    static void start() throws Exception {
        keystoneDir = dir.resolve("keystone");
        int ksPort = com.xloud.image.launcher.EmbeddedMariaDb.freePort();
        int nodePort = com.xloud.image.launcher.EmbeddedMariaDb.freePort();
        ProcessBuilder pb = new ProcessBuilder("bash", Node.HOME.resolve("itests/scripts/keystone.sh").toString(), "up")
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("KS_DIR", keystoneDir.toString(), "KS_PORT", Integer.toString(ksPort),
                "KS_TOKEN_EXPIRATION", Integer.toString(TOKEN_SECONDS), "IMAGE_URL", "http://127.0.0.1:" + nodePort));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0, "keystone.sh up failed:\n" + out);
        auth = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        // Barbican, for the certificates of signed images
        int barbicanPort = com.xloud.image.launcher.EmbeddedMariaDb.freePort();
        ProcessBuilder bb = new ProcessBuilder("bash", Node.HOME.resolve("itests/scripts/barbican.sh").toString(), "up")
                .redirectErrorStream(true);
        bb.environment().putAll(Map.of("BARBICAN_DIR", dir.resolve("barbican").toString(), "BARBICAN_PORT",
                Integer.toString(barbicanPort), "KS_URL", auth));
        Process b = bb.start();
        b.getOutputStream().close();
        String bout = new String(b.getInputStream().readAllBytes());
        assertTrue(b.waitFor(180, TimeUnit.SECONDS) && b.exitValue() == 0, "barbican.sh up failed:\n" + bout);
        barbican = bout.strip().lines().reduce((x, y) -> y).orElseThrow();
        for (String project : List.of("alpha", "beta", "gamma", "admin")) {
            PROJECT_IDS.put(project, projectId(project));
        }
        OWNER = new Caller("alice", PROJECT_IDS.get("alpha"), "member");
        MEMBER = new Caller("bob", PROJECT_IDS.get("beta"), "member");
        OTHER = new Caller("dave", PROJECT_IDS.get("gamma"), "member");
        ADMIN = new Caller("admin", PROJECT_IDS.get("admin"), "admin");
        credentials = c -> Map.of("X-Auth-Token", token(c.name()));
        Path etc = Node.configDir(dir.resolve("etc"), Map.of("com.xloud.image.barbican.cfg",
                "barbican.url = " + barbican + "\n"));
        Node.keystoneMode(etc, auth, 2);
        node = Node.startOn(nodePort, dir.resolve("node"), "--config-dir", etc.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            down("barbican.sh", "BARBICAN_DIR", dir.resolve("barbican"));
            down("keystone.sh", "KS_DIR", keystoneDir);
        }
    }

    /** Stops what a test-service script started in {@code where}. */
    private static void down(String script, String dirVariable, Path where) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Node.HOME.resolve("itests/scripts/" + script).toString(), "down")
                .redirectErrorStream(true).inheritIO();
        pb.environment().put(dirVariable, where.toString());
        pb.start().waitFor(60, TimeUnit.SECONDS);
    }

    static String password(String user) {
        return user + "pw";
    }

    static String projectOf(String user) {
        return switch (user) {
            case "alice", "carol" -> "alpha";
            case "bob" -> "beta";
            case "dave" -> "gamma";
            case "glance" -> "service";
            default -> "admin";
        };
    }

    /** A project-scoped password token straight from Keystone, with its expiry. */
    static Token issue(String user) throws Exception {
        String body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"" + user
                + "\",\"domain\":{\"id\":\"default\"},\"password\":\"" + password(user) + "\"}}},\"scope\":{\"project\":"
                + "{\"name\":\"" + projectOf(user) + "\",\"domain\":{\"id\":\"default\"}}}}}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(auth + "/auth/tokens?nocatalog"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return new Token(r.headers().firstValue("X-Subject-Token").orElseThrow(),
                Instant.parse(JSON.readTree(r.body()).get("token").get("expires_at").asText()));
    }

    static String token(String user) {
        return TOKENS.compute(user, (u, t) -> {
            if (t != null && Instant.now().plusSeconds(10).isBefore(t.expires())) {
                return t;
            }
            try {
                return issue(u);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).value();
    }

    static String projectId(String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(auth + "/projects?name=" + name))
                .header("X-Auth-Token", issue("admin").value()).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode projects = JSON.readTree(r.body()).get("projects");
        assertEquals(1, projects.size(), name + ": " + r.body());
        return projects.get(0).get("id").asText();
    }

    static int status(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = node.request(path);
        headers.forEach(b::header);
        return node.send(b.GET().build()).statusCode();
    }

    @Test
    void requestsWithoutAValidTokenAre401WithWhereToGetOne() throws Exception {
        HttpResponse<String> none = node.get("/v2/images");
        assertEquals(401, none.statusCode());
        assertEquals("Keystone uri=\"" + auth + "\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(none.body().contains("requires authentication"), none.body());
        assertEquals(401, status("/v2/images", Map.of("X-Auth-Token", "gAAAAABnot-a-token")));
        // the no-auth headers mean nothing now
        assertEquals(401, status("/v2/images", Map.of("X-Project-Id", "p", "X-Roles", "admin")));
        // version discovery, health and metrics stay open, as in Glance's pipeline
        assertEquals(200, node.get("/versions").statusCode());
        assertEquals(200, node.get("/healthcheck").statusCode());
        assertEquals(200, node.get("/metrics").statusCode());
        // an X-Service-Token must be valid too; a service's one adds the service role
        String alice = token("alice");
        assertEquals(401, status("/v2/images", Map.of("X-Auth-Token", alice, "X-Service-Token", "bogus")));
        String image = JSON.readTree(node.send(node.request("/v2/images").header("X-Auth-Token", alice)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"svc\"}")).build()).body()).get("id").asText();
        assertEquals(403, status("/v2/images/" + image + "/locations", Map.of("X-Auth-Token", alice)));
        assertEquals(200, status("/v2/images/" + image + "/locations", Map.of("X-Auth-Token", alice,
                "X-Service-Token", token("glance"))));
    }

    @Test
    void theOwnerIsTheTokensProject() throws Exception {
        HttpResponse<String> created = node.send(node.request("/v2/images").header("X-Auth-Token", token("alice"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"owned\"}")).build());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(PROJECT_IDS.get("alpha"), JSON.readTree(created.body()).get("owner").asText());
        // carol, a reader of the same project, sees it
        String id = JSON.readTree(created.body()).get("id").asText();
        assertEquals(200, status("/v2/images/" + id, Map.of("X-Auth-Token", token("carol"))));
    }

    @Test
    void expiredAndRevokedTokensAreRefused() throws Exception {
        Token shortLived = issue("alice");
        assertEquals(200, status("/v2/images", Map.of("X-Auth-Token", shortLived.value())));
        Token revoked = issue("bob");
        assertEquals(200, status("/v2/images", Map.of("X-Auth-Token", revoked.value())));
        HttpResponse<String> revoke = HTTP.send(HttpRequest.newBuilder(URI.create(auth + "/auth/tokens"))
                .header("X-Auth-Token", issue("admin").value()).header("X-Subject-Token", revoked.value()).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, revoke.statusCode());
        // within the validation cache time (2 s here) the revocation takes effect
        Await.until("the revoked token to be refused", Duration.ofSeconds(10),
                () -> status("/v2/images", Map.of("X-Auth-Token", revoked.value())), s -> s == 401);
        // past its expiry a token is refused without asking Keystone (the node's own token was renewed meanwhile)
        Await.until("the token to expire", Duration.ofSeconds(TOKEN_SECONDS + 5), Instant::now,
                now -> now.isAfter(shortLived.expires().plusMillis(500)));
        assertEquals(401, status("/v2/images", Map.of("X-Auth-Token", shortLived.value())));
        assertEquals(200, status("/v2/images", Map.of("X-Auth-Token", token("alice"))));
    }

    static List<String> keystoneArgs(String user) {
        return List.of("--os-auth-url", auth, "--os-username", user, "--os-password", password(user),
                "--os-project-name", projectOf(user), "--os-user-domain-name", "Default",
                "--os-project-domain-name", "Default");
    }

    @Test
    void theReferenceClientsWorkWithKeystoneCredentials() throws Exception {
        Path home = dir.resolve("clients");
        Path file = dir.resolve("image.raw");
        Files.write(file, new byte[4096]);
        List<String> create = new ArrayList<>(List.of("openstack"));
        create.addAll(keystoneArgs("alice"));
        create.addAll(List.of("image", "create", "--disk-format", "raw", "--container-format", "bare", "--file",
                file.toString(), "--shared", "-f", "value", "-c", "id", "from-openstack"));
        String id = Node.cli(home, create).strip().lines().reduce((a, b) -> b).orElseThrow();
        assertEquals("active", JSON.readTree(node.send(node.request("/v2/images/" + id)
                .header("X-Auth-Token", token("alice")).GET().build()).body()).get("status").asText());

        // openstack image add project: the client looks the project up in Keystone, then asks us
        List<String> add = new ArrayList<>(List.of("openstack"));
        add.addAll(keystoneArgs("alice"));
        add.addAll(List.of("image", "add", "project", id, PROJECT_IDS.get("beta")));
        String added = Node.cli(home, add);
        assertTrue(added.contains("pending"), added);
        List<String> accept = new ArrayList<>(List.of("openstack"));
        accept.addAll(keystoneArgs("bob"));
        accept.addAll(List.of("image", "set", "--accept", id));
        Node.cli(home, accept);
        List<String> glance = new ArrayList<>(List.of("glance"));
        glance.addAll(keystoneArgs("bob"));
        glance.addAll(List.of("image-list"));
        String list = Node.cli(home, glance);
        assertTrue(list.contains(id), "bob sees the image shared with his project:\n" + list);
        List<String> members = new ArrayList<>(List.of("glance"));
        members.addAll(keystoneArgs("alice"));
        members.addAll(List.of("member-list", "--image-id", id));
        String memberList = Node.cli(home, members);
        assertTrue(memberList.contains(PROJECT_IDS.get("beta")) && memberList.contains("accepted"), memberList);
    }

    @Test
    void signedImagesFindTheirCertificateInBarbicanWithTheCallersToken() throws Exception {
        Path work = dir.resolve("signing");
        Files.createDirectories(work);
        Path key = work.resolve("key.pem");
        Path pem = work.resolve("cert.pem");
        Path der = work.resolve("cert.der");
        Path data = work.resolve("data.raw");
        Path sig = work.resolve("data.sig");
        Files.write(data, new byte[65536]);
        Path home = dir.resolve("openssl");
        Node.cli(home, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", pem.toString(), "-days", "2", "-subj", "/CN=alice-signer"));
        Node.cli(home, List.of("openssl", "x509", "-in", pem.toString(), "-outform", "DER", "-out", der.toString()));
        Node.cli(home, List.of("openssl", "dgst", "-sha256", "-sign", key.toString(), "-sigopt", "rsa_padding_mode:pss",
                "-sigopt", "rsa_pss_saltlen:-2", "-out", sig.toString(), data.toString()));
        // alice keeps the certificate in Barbican, in her project
        HttpResponse<String> stored = HTTP.send(HttpRequest.newBuilder(URI.create(barbican + "/v1/secrets"))
                .header("X-Auth-Token", token("alice")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"signing-cert\",\"secret_type\":\"certificate\","
                        + "\"payload\":\"" + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(der))
                        + "\",\"payload_content_type\":\"application/octet-stream\",\"payload_content_encoding\":\"base64\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, stored.statusCode(), stored.body());
        String ref = JSON.readTree(stored.body()).get("secret_ref").asText();
        String uuid = ref.substring(ref.lastIndexOf('/') + 1);
        String signature = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(sig));
        String body = "{\"name\":\"signed\",\"disk_format\":\"raw\",\"container_format\":\"bare\","
                + "\"img_signature\":\"" + signature + "\",\"img_signature_hash_method\":\"SHA-256\","
                + "\"img_signature_key_type\":\"RSA-PSS\",\"img_signature_certificate_uuid\":\"" + uuid + "\"}";
        for (String user : List.of("alice", "bob")) {
            HttpResponse<String> created = node.send(node.request("/v2/images").header("X-Auth-Token", token(user))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(201, created.statusCode(), created.body());
            String id = JSON.readTree(created.body()).get("id").asText();
            HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file")
                    .header("X-Auth-Token", token(user)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(data)).build());
            if (user.equals("alice")) {
                assertEquals(204, up.statusCode(), "alice's certificate from Barbican: " + up.body());
            } else {
                // Barbican does not show bob a secret of alice's project
                assertEquals(400, up.statusCode(), up.body());
                assertTrue(up.body().contains("cannot be found"), up.body());
            }
        }
    }
}
