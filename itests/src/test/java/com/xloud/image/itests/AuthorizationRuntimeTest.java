package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy and the property protections are bundles of their own, and the node fails closed
 * without them. The node starts with both in its deploy folder; taken away, the policy leaves only
 * {@code /}, {@code /versions} and {@code /healthcheck} answering (the health check with 503, so a
 * load balancer sends requests elsewhere), every other request a 503 naming the bundle; the
 * protections taken away while configured leave extra properties unwritable (503) and unshown.
 * Under a stream of requests both are taken away, brought back and upgraded (the policy to a
 * version whose default rule for publishing images changed, the protections to one compiled with
 * another rule for properties no section names): no answer is other than their presence
 * allows, no protected property is ever written or shown to a caller the rules keep it from, and
 * the new version's rule holds within five seconds of its deploy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationRuntimeTest {
    static final String POLICY = "com.xloud.image.policy";
    static final String PROTECTION = "com.xloud.image.protection";
    static final String RULES = """
            [^x_admin_.*]
            create = admin
            read = admin
            update = admin
            delete = admin

            [^x_owner_.*]
            create = admin,member
            read = admin,member,reader
            update = admin,member
            delete = admin,member
            """;
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Node node;
    static Path policyJar;
    static Path protectionJar;
    /** An image of project p-auth with a property only admins may read. */
    static String secretImage;

    @BeforeAll
    static void start() throws Exception {
        Path features = Node.featuresWithout(dir.resolve("deployed-authorization.features"), List.of(POLICY, PROTECTION));
        Path rules = dir.resolve("protections.conf");
        Files.writeString(rules, RULES);
        Path etc = Node.configDir(dir.resolve("etc"), Map.of("com.xloud.image.protection.cfg",
                "property.protection.file = " + rules + "\n"));
        // both in the deploy folder from the start: what is taken away there is gone from the running node
        Path data = dir.resolve("node");
        Files.createDirectories(data.resolve("deploy"));
        policyJar = Node.bundleJar(POLICY);
        protectionJar = Node.bundleJar(PROTECTION);
        Files.copy(policyJar, data.resolve("deploy").resolve(policyJar.getFileName()));
        Files.copy(protectionJar, data.resolve("deploy").resolve(protectionJar.getFileName()));
        node = Node.start(data, "--features", features.toString(), "--config-dir", etc.toString());
        Await.until("the protections", Duration.ofSeconds(60), () -> concern("property_protection").get("state")
                .asText(), "running"::equals);
        HttpResponse<String> r = send("admin", "POST", "/v2/images", "{\"name\":\"secret\",\"x_admin_key\":\"k\","
                + "\"x_owner_os\":\"debian\"}");
        assertEquals(201, r.statusCode(), r.body());
        secretImage = JSON.readTree(r.body()).get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static HttpResponse<String> send(String role, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = node.request(path).header("X-User-Id", "u-" + role).header("X-Project-Id", "p-auth")
                .header("X-Roles", role);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", method.equals("PATCH") ? "application/openstack-images-v2.1-json-patch"
                    : "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return node.send(b.build());
    }

    static JsonNode concern(String name) throws Exception {
        return node.concern(name);
    }

    /** Whether the node refuses for want of a policy: in the image service, and in the REST layer before it. */
    static boolean policyGone() throws Exception {
        return node.get("/v2/images").statusCode() == 503 && node.get("/v2/schemas/image").statusCode() == 503;
    }

    static boolean policyBack() throws Exception {
        return node.get("/v2/images").statusCode() == 200 && node.get("/v2/schemas/image").statusCode() == 200;
    }

    @Test
    @Order(1)
    void withoutThePolicyOnlyTheVersionsAndTheHealthCheckAnswer() throws Exception {
        JsonNode running = concern("policy");
        assertEquals("running", running.get("state").asText());
        assertEquals(POLICY, running.get("bundle").asText());
        assertTrue(running.get("version").asText().startsWith("0.1.0"), running.toString());
        assertEquals("ok", JSON.readTree(node.get("/v2/x-admin/health").body()).get("status").asText());

        node.undeploy(policyJar);
        Await.until("the policy gone", Duration.ofSeconds(30), AuthorizationRuntimeTest::policyGone, gone -> gone);
        for (String path : List.of("/v2/images", "/v2/images/" + secretImage, "/v2/schemas/image", "/v2/x-admin/health",
                "/v2/metadefs/namespaces", "/v2/info/stores", "/v2/audit")) {
            HttpResponse<String> r = node.get(path);
            assertEquals(503, r.statusCode(), path + " " + r.body());
            assertTrue(r.body().contains("com.xloud.image.policy"), path + " " + r.body());
        }
        HttpResponse<String> create = send("member", "POST", "/v2/images", "{\"name\":\"refused\"}");
        assertEquals(503, create.statusCode(), create.body());
        assertEquals(300, node.get("/").statusCode());
        assertEquals(200, node.get("/versions").statusCode());
        HttpResponse<String> health = node.get("/healthcheck");
        assertEquals(503, health.statusCode());
        assertTrue(health.body().contains("POLICY UNAVAILABLE"), health.body());

        node.deploy(policyJar);
        Await.until("the policy back", Duration.ofSeconds(30), AuthorizationRuntimeTest::policyBack, back -> back);
        assertEquals(200, node.get("/healthcheck").statusCode());
        assertEquals(201, send("member", "POST", "/v2/images", "{\"name\":\"allowed\"}").statusCode());
        assertEquals(List.of(), refusedImages(), "nothing was created while the policy was gone");
    }

    /** Images named "refused": none may exist. */
    static List<String> refusedImages() throws Exception {
        List<String> ids = new ArrayList<>();
        JSON.readTree(node.get("/v2/images?name=refused").body()).get("images").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    @Test
    @Order(2)
    void configuredProtectionsWithoutTheirBundleRefuseExtraPropertyWritesAndHideThem() throws Exception {
        assertEquals("debian", JSON.readTree(send("member", "GET", "/v2/images/" + secretImage, null).body())
                .get("x_owner_os").asText());
        assertFalse(JSON.readTree(send("member", "GET", "/v2/images/" + secretImage, null).body()).has("x_admin_key"));

        node.undeploy(protectionJar);
        Await.until("the protections gone", Duration.ofSeconds(30), () -> concern("property_protection").get("state")
                .asText(), "absent"::equals);
        assertEquals("degraded", JSON.readTree(node.get("/v2/x-admin/health").body()).get("status").asText());
        HttpResponse<String> withProperty = send("member", "POST", "/v2/images", "{\"name\":\"refused\",\"x_owner_a\":\"1\"}");
        assertEquals(503, withProperty.statusCode(), withProperty.body());
        assertTrue(withProperty.body().contains(PROTECTION), withProperty.body());
        HttpResponse<String> patch = send("admin", "PATCH", "/v2/images/" + secretImage,
                "[{\"op\":\"add\",\"path\":\"/x_owner_b\",\"value\":\"2\"}]");
        assertEquals(503, patch.statusCode(), patch.body());
        HttpResponse<String> remove = send("admin", "PATCH", "/v2/images/" + secretImage,
                "[{\"op\":\"remove\",\"path\":\"/x_admin_key\"}]");
        assertEquals(503, remove.statusCode(), remove.body());
        for (String role : List.of("member", "admin")) {
            JsonNode shown = JSON.readTree(send(role, "GET", "/v2/images/" + secretImage, null).body());
            assertFalse(shown.has("x_admin_key") || shown.has("x_owner_os"), role + " " + shown);
        }
        HttpResponse<String> plain = send("member", "POST", "/v2/images", "{\"name\":\"plain\"}");
        assertEquals(201, plain.statusCode(), "images without extra properties are made");
        String plainId = JSON.readTree(plain.body()).get("id").asText();
        assertEquals(200, send("member", "PATCH", "/v2/images/" + plainId,
                "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"}]").statusCode());

        node.deploy(protectionJar);
        Await.until("the protections back", Duration.ofSeconds(30), () -> concern("property_protection").get("state")
                .asText(), "running"::equals);
        assertEquals("ok", JSON.readTree(node.get("/v2/x-admin/health").body()).get("status").asText());
        assertEquals("k", JSON.readTree(send("admin", "GET", "/v2/images/" + secretImage, null).body())
                .get("x_admin_key").asText(), "nothing was removed while they were gone");
        assertEquals(403, send("member", "PATCH", "/v2/images/" + secretImage,
                "[{\"op\":\"add\",\"path\":\"/x_admin_new\",\"value\":\"1\"}]").statusCode());
        assertEquals(200, send("member", "PATCH", "/v2/images/" + secretImage,
                "[{\"op\":\"add\",\"path\":\"/x_owner_b\",\"value\":\"2\"}]").statusCode());
        assertEquals(List.of(), refusedImages());
    }

    /** What a client saw while the bundles came and went: every answer their presence does not allow. */
    static final class Traffic implements Runnable {
        final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        volatile boolean stop;

        void expect(String what, HttpResponse<String> r, int... allowed) {
            for (int a : allowed) {
                if (r.statusCode() == a) {
                    (a == 503 ? refused : served).incrementAndGet();
                    return;
                }
            }
            wrong.add(what + ": " + r.statusCode() + " " + r.body());
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    expect("create", send("member", "POST", "/v2/images", "{\"name\":\"traffic\",\"x_owner_t\":\"1\"}"),
                            201, 503);
                    expect("list", send("reader", "GET", "/v2/images?limit=5", null), 200, 503);
                    // a member may never write x_admin_*: refused (403) or not checkable (503), never stored
                    expect("protected write", send("member", "PATCH", "/v2/images/" + secretImage,
                            "[{\"op\":\"add\",\"path\":\"/x_admin_t\",\"value\":\"1\"}]"), 403, 503);
                    HttpResponse<String> shown = send("member", "GET", "/v2/images/" + secretImage, null);
                    expect("show", shown, 200, 503);
                    if (shown.statusCode() == 200 && JSON.readTree(shown.body()).has("x_admin_key")) {
                        wrong.add("a member was shown x_admin_key: " + shown.body());
                    }
                    expect("versions", node.get("/versions"), 200);
                } catch (Exception e) {
                    wrong.add(e.toString());
                }
            }
        }
    }

    @Test
    @Order(3)
    void swappedAndUpgradedUnderAStreamOfRequestsNothingUnauthorizedHappens() throws Exception {
        assertEquals(403, send("member", "POST", "/v2/images", "{\"name\":\"pub\",\"visibility\":\"public\"}")
                .statusCode(), "Glance's default: only admins publish");
        Traffic traffic = new Traffic();
        Thread client = new Thread(traffic, "traffic");
        client.start();
        try {
            for (Path jar : List.of(policyJar, protectionJar)) {
                String name = jar.equals(policyJar) ? "policy" : "property_protection";
                node.undeploy(jar);
                if (jar.equals(policyJar)) {
                    Await.until("the policy gone", Duration.ofSeconds(30), AuthorizationRuntimeTest::policyGone, g -> g);
                } else {
                    Await.until("the protections gone", Duration.ofSeconds(30), () -> concern(name).get("state").asText(),
                            "absent"::equals);
                }
                int before = traffic.served.get() + traffic.refused.get();
                Await.until("traffic while it is gone", Duration.ofSeconds(30),
                        () -> traffic.served.get() + traffic.refused.get(), n -> n > before + 5);
                node.deploy(jar);
                Await.until(name + " back", Duration.ofSeconds(30), () -> policyBack() && concern(name).get("state")
                        .asText().equals("running"), back -> back);
            }
            // an update of the policy whose default rule changed: members may publish their images
            Path update = Node.upgraded(policyJar, dir.resolve("policy-update.jar"), "0.1.1.update", Map.of(
                    "com/xloud/image/policy/internal/glance-defaults.yaml", yaml -> yaml.replace(
                            "\"publicize_image\": \"role:admin\"",
                            "\"publicize_image\": \"role:admin or role:member\"")));
            node.deploy(update, policyJar.getFileName().toString());
            Await.until("the update in use within five seconds", Duration.ofSeconds(5),
                    () -> send("member", "POST", "/v2/images", "{\"name\":\"pub\",\"visibility\":\"public\"}")
                            .statusCode(), s -> s == 201);
            assertEquals("0.1.1.update", concern("policy").get("version").asText());
            // an update of the protections whose rule (in code) changed: a property no section names is open
            String free = "{\"name\":\"free\",\"x_free_note\":\"1\"}";
            assertEquals(403, send("member", "POST", "/v2/images", free).statusCode(), "no section names x_free_*");
            Path protectionUpdate = BundleUpdates.rebuilt(protectionJar, dir.resolve("protection-update.jar"),
                    "0.1.1.update", "bundles/protection/src/main/java/com/xloud/image/protection/internal/"
                            + "PropertyProtections.java", java -> java.replace(
                            "return false; // a property no section names is protected from everything",
                            "return true; // this version: a property no section names is open to all"));
            node.deploy(protectionUpdate, protectionJar.getFileName().toString());
            Await.until("the protection update in use within five seconds", Duration.ofSeconds(5),
                    () -> send("member", "POST", "/v2/images", free).statusCode(), s -> s == 201);
            assertEquals("0.1.1.update", concern("property_protection").get("version").asText());
            int soFar = traffic.served.get();
            Await.until("more traffic", Duration.ofSeconds(30), traffic.served::get, n -> n > soFar + 5);
        } finally {
            traffic.stop = true;
            client.join(60_000);
        }
        assertEquals(List.of(), traffic.wrong, "every answer was one the bundles' presence allows");
        assertTrue(traffic.served.get() > 0 && traffic.refused.get() > 0, traffic.served + " served, "
                + traffic.refused + " refused");
        JsonNode secret = JSON.readTree(send("admin", "GET", "/v2/images/" + secretImage, null).body());
        assertFalse(secret.has("x_admin_t"), "no member ever wrote a protected property: " + secret);
        assertFalse(node.output().contains("-> 500"), "no request failed on the way");
    }
}
