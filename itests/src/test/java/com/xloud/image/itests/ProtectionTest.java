package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with a policy file and a property protection file (roles format): who may create, read,
 * update and delete which extra properties, through create, show, list and PATCH; a whole PATCH
 * refused for one protected property; both files changed while the node runs; a bad file refused
 * at start (naming its line) and while running (the old rules stay).
 */
class ProtectionTest {
    @TempDir
    static Path dir;
    static Node node;
    static Path protections;
    static Path policy;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RULES = """
            [^x_owner_.*]
            create = admin,member
            read = admin,member,reader
            update = admin,member
            delete = admin,member

            [^x_admin_.*]
            create = admin
            read = admin
            update = admin
            delete = admin

            [.*]
            create = admin
            read = admin,member
            update = admin
            delete = admin
            """;

    @BeforeAll
    static void start() throws Exception {
        protections = dir.resolve("property-protections.conf");
        policy = dir.resolve("policy.yaml");
        Files.writeString(protections, RULES);
        Files.writeString(policy, "# members may publish their images here\n\"publicize_image\": \"role:member\"\n");
        node = Node.start(dir.resolve("node"), "--config-dir", config(dir.resolve("etc"), protections).toString());
    }

    static Path config(Path etc, Path protectionFile) throws Exception {
        Path d = Node.configDir(etc, Map.of("com.xloud.image.protection.cfg",
                "property.protection.file = " + protectionFile + "\nproperty.protection.rule.format = roles\n"));
        Path policyCfg = d.resolve("com.xloud.image.policy.cfg");
        Files.writeString(policyCfg, Files.readString(policyCfg).replace("policy.file =", "policy.file = " + policy));
        return d;
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static HttpRequest.Builder as(String role, String path) {
        return node.request(path).header("X-User-Id", "u-" + role).header("X-Project-Id", "p-prot")
                .header("X-Roles", role);
    }

    static HttpResponse<String> create(String role, String json) throws Exception {
        return node.send(as(role, "/v2/images").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> patch(String role, String id, String ops) throws Exception {
        return node.send(as(role, "/v2/images/" + id).header("Content-Type",
                "application/openstack-images-v2.1-json-patch").method("PATCH", HttpRequest.BodyPublishers.ofString(ops))
                .build());
    }

    static JsonNode show(String role, String id) throws Exception {
        return JSON.readTree(node.send(as(role, "/v2/images/" + id).GET().build()).body());
    }

    static void touch(Path file, long plusMillis) throws Exception {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + plusMillis));
    }

    @Test
    void whoMayTouchWhichProperty() throws Exception {
        assertEquals(403, create("member", "{\"name\":\"a\",\"hw_disk_bus\":\"virtio\"}").statusCode(),
                "the catch-all section lets admins alone create");
        HttpResponse<String> byAdmin = create("admin", "{\"name\":\"a\",\"x_owner_os\":\"debian\","
                + "\"x_admin_key\":\"k\",\"hw_disk_bus\":\"virtio\"}");
        assertEquals(201, byAdmin.statusCode(), byAdmin.body());
        String id = JSON.readTree(byAdmin.body()).get("id").asText();
        // reads: each role sees what it may read, the rest is simply not there
        JsonNode member = show("member", id);
        assertEquals("debian", member.path("x_owner_os").asText());
        assertEquals("virtio", member.path("hw_disk_bus").asText());
        assertFalse(member.has("x_admin_key"));
        JsonNode reader = show("reader", id);
        assertTrue(reader.has("x_owner_os"));
        assertFalse(reader.has("hw_disk_bus") || reader.has("x_admin_key"), reader.toString());
        JsonNode listed = JSON.readTree(node.send(as("reader", "/v2/images?name=a").GET().build()).body())
                .get("images").get(0);
        assertFalse(listed.has("hw_disk_bus"), "lists hide them too");
        assertTrue(show("admin", id).has("x_admin_key"));

        // writes: one refused operation refuses the whole request
        assertEquals(403, patch("member", id, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"b\"},"
                + "{\"op\":\"replace\",\"path\":\"/hw_disk_bus\",\"value\":\"scsi\"}]").statusCode());
        assertEquals("a", show("admin", id).get("name").asText(), "nothing of a refused PATCH is applied");
        assertEquals(403, patch("member", id, "[{\"op\":\"add\",\"path\":\"/x_admin_new\",\"value\":\"1\"}]")
                .statusCode());
        HttpResponse<String> ok = patch("member", id, "[{\"op\":\"replace\",\"path\":\"/x_owner_os\",\"value\":\"alpine\"},"
                + "{\"op\":\"add\",\"path\":\"/x_owner_kernel\",\"value\":\"6\"}]");
        assertEquals(200, ok.statusCode(), ok.body());
        assertFalse(JSON.readTree(ok.body()).has("x_admin_key"), "the PATCH answer hides them too");
        assertEquals(403, patch("reader", id, "[{\"op\":\"remove\",\"path\":\"/x_owner_kernel\"}]").statusCode());
        // an unreadable property is absent for the caller: replacing it is replacing nothing
        assertEquals(409, patch("member", id, "[{\"op\":\"remove\",\"path\":\"/x_admin_key\"}]").statusCode());
        assertEquals(200, patch("member", id, "[{\"op\":\"remove\",\"path\":\"/x_owner_kernel\"}]").statusCode());
    }

    @Test
    void thePolicyFileGovernsActions() throws Exception {
        assertEquals(201, create("member", "{\"name\":\"pub\",\"visibility\":\"public\"}").statusCode(),
                "the policy file lets members publicize");
        Files.writeString(policy, "\"publicize_image\": \"role:admin\"\n\"deactivate\": \"role:admin\"\n");
        touch(policy, 5_000);
        Await.until("the new policy", Duration.ofSeconds(10),
                () -> create("member", "{\"name\":\"pub2\",\"visibility\":\"public\"}").statusCode(), s -> s == 403);
        Files.writeString(policy, "\"publicize_image\": \"role:member\"\n");
        touch(policy, 10_000);
        Await.until("the policy back", Duration.ofSeconds(10),
                () -> create("member", "{\"name\":\"pub3\",\"visibility\":\"public\"}").statusCode(), s -> s == 201);
    }

    @Test
    void theProtectionFileIsReadAgainAndABadVersionRefused() throws Exception {
        String id = JSON.readTree(create("admin", "{\"name\":\"reload\",\"x_admin_flag\":\"1\"}").body())
                .get("id").asText();
        assertFalse(show("member", id).has("x_admin_flag"));
        Files.writeString(protections, RULES.replace("[^x_admin_.*]\ncreate = admin\nread = admin",
                "[^x_admin_.*]\ncreate = admin\nread = admin,member"));
        touch(protections, 5_000);
        Await.until("members to read x_admin_*", Duration.ofSeconds(10), () -> show("member", id)
                .has("x_admin_flag"), seen -> seen);
        Files.writeString(protections, "[^x_admin_.*]\ncreate = admin\nread = @,!\n");
        touch(protections, 10_000);
        // the file is looked at again when protections are next needed (at most every two seconds)
        Await.until("the refusal in the log", Duration.ofSeconds(10), () -> show("member", id).toString()
                + node.output(), out -> out.contains("not taken") && out.contains("line 3"));
        assertTrue(show("member", id).has("x_admin_flag"), "the rules in force stay");
        Files.writeString(protections, RULES);
        touch(protections, 15_000);
        Await.until("the original rules back", Duration.ofSeconds(10), () -> !show("member", id)
                .has("x_admin_flag"), gone -> gone);
    }

    @Test
    void aMalformedFileStopsTheNodeAtStartNamingTheLine() throws Exception {
        Path bad = dir.resolve("bad-protections.conf");
        Files.writeString(bad, "[^x_.*]\ncreate = admin\nread = admin\n\n[.*]\ncreate = @\n");
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> Node.start(
                dir.resolve("bad-node"), "--config-dir", config(dir.resolve("bad-etc"), bad).toString()));
        assertTrue(failed.getMessage().contains("line 1") && failed.getMessage().contains("has no 'update'"),
                failed.getMessage());
    }
}
