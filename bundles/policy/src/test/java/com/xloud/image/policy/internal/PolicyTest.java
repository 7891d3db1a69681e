package com.xloud.image.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.api.images.RequestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {
    static final RequestContext OWNER = new RequestContext("u1", "p1", List.of("member"), "r");
    static final RequestContext READER = new RequestContext("u2", "p1", List.of("reader"), "r");
    static final RequestContext STRANGER = new RequestContext("u3", "p2", List.of("member"), "r");
    static final RequestContext ADMIN = new RequestContext("u4", "p9", List.of("admin"), "r");

    @TempDir
    Path dir;

    static Map<String, Object> image(String owner, String visibility, String memberId) {
        Map<String, Object> t = new HashMap<>();
        t.put("project_id", owner);
        t.put("visibility", visibility);
        t.put("member_id", memberId);
        return t;
    }

    static boolean check(String rule, RequestContext who, Map<String, Object> target) {
        return new PolicyRules(Map.of("x", PolicyRules.parse(rule))).allows("x",
                new PolicyRules.Credentials(who.userId(), who.projectId(), com.xloud.image.api.policy.PolicyEnforcer.impliedRoles(who.roles())), target);
    }

    @Test
    void theCheckLanguage() {
        Map<String, Object> t = image("p1", "shared", null);
        assertTrue(check("role:member", OWNER, t));
        assertTrue(check("role:reader", OWNER, t), "member implies reader, as in Keystone");
        assertFalse(check("role:member", READER, t));
        assertTrue(check("project_id:%(project_id)s", READER, t));
        assertFalse(check("project_id:%(project_id)s", STRANGER, t));
        assertTrue(check("'shared':%(visibility)s", STRANGER, t));
        assertFalse(check("\"public\":%(visibility)s", STRANGER, t));
        assertTrue(check("", STRANGER, t));
        assertTrue(check("@", STRANGER, t));
        assertFalse(check("!", ADMIN, t));
        assertTrue(check("not role:admin", OWNER, t));
        assertTrue(check("role:admin or (role:member and project_id:%(project_id)s)", OWNER, t));
        assertFalse(check("role:admin or (role:member and project_id:%(project_id)s)", STRANGER, t));
        assertTrue(check("((role:admin)) or not (role:member and not project_id:%(project_id)s)", OWNER, t));
        assertTrue(check("is_admin:True", ADMIN, t));
        assertFalse(check("is_admin:True", OWNER, t));
        assertTrue(check("user_id:u1", OWNER, t));
        for (String bad : List.of("role:admin or", "(role:admin", "role:admin)", "and role:x", "admin", "role:a role:b")) {
            assertThrows(IllegalArgumentException.class, () -> PolicyRules.parse(bad), bad);
        }
    }

    @Test
    void rulesReferToRulesAndCyclesDeny() {
        PolicyRules rules = new PolicyRules(Map.of("a", PolicyRules.parse("rule:b or role:admin"),
                "b", PolicyRules.parse("rule:a"), "c", PolicyRules.parse("rule:missing")));
        PolicyRules.Credentials member = new PolicyRules.Credentials("u", "p", List.of("member"));
        assertFalse(rules.allows("a", member, Map.of()));
        assertTrue(rules.allows("a", new PolicyRules.Credentials("u", "p", List.of("admin")), Map.of()));
        assertFalse(rules.allows("c", member, Map.of()));
    }

    @Test
    void glancesDefaults() {
        OsloPolicy p = new OsloPolicy(null);
        Map<String, Object> own = image("p1", "private", null);
        assertTrue(p.allows("modify_image", OWNER, own));
        assertFalse(p.allows("modify_image", READER, own), "readers read");
        assertTrue(p.allows("get_image", READER, own));
        assertFalse(p.allows("modify_image", STRANGER, own));
        assertTrue(p.allows("modify_image", ADMIN, own));
        assertFalse(p.allows("publicize_image", OWNER, own));
        assertTrue(p.allows("publicize_image", ADMIN, own));
        assertTrue(p.allows("communitize_image", OWNER, own));
        assertTrue(p.allows("deactivate", OWNER, own), "members may deactivate their own images");
        assertTrue(p.allows("get_image", STRANGER, image("p1", "shared", "p2")), "a member project sees a shared image");
        assertTrue(p.allows("modify_member", STRANGER, image("p1", "shared", "p2")));
        assertFalse(p.allows("modify_member", OWNER, image("p1", "shared", "p2")), "the owner may not accept for a member");
        assertFalse(p.allows("tasks_api_access", OWNER, Map.of()));
        assertFalse(p.allows("no_such_action", OWNER, Map.of()), "unknown actions follow 'default': admins only");
        assertTrue(p.allows("no_such_action", ADMIN, Map.of()));
        assertTrue(OsloPolicy.DEFAULTS.keySet().containsAll(Set.of("get_images", "download_image", "add_member",
                "delete_image", "upload_image", "copy_image", "fetch_image_location")));
    }

    @Test
    void aPolicyFileOverridesRulesAndIsReadAgainWhenItChanges() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "# operators may let members publish\n\"publicize_image\": \"role:member\"\n"
                + "\"deactivate\": \"rule:context_is_admin\"\n");
        OsloPolicy p = new OsloPolicy(file, java.time.Duration.ZERO, null);
        Map<String, Object> own = image("p1", "private", null);
        assertTrue(p.allows("publicize_image", OWNER, own));
        assertFalse(p.allows("deactivate", OWNER, own));
        assertTrue(p.allows("modify_image", OWNER, own), "rules the file does not name keep their default");

        // a bad new version is refused: the rules in force stay
        Files.writeString(file, "\"publicize_image\": \"role:member or\"\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertTrue(p.allows("publicize_image", OWNER, own));
        // a good one is taken (JSON is YAML too)
        Files.writeString(file, "{\"publicize_image\": \"!\"}");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertFalse(p.allows("publicize_image", ADMIN, own));
        assertTrue(p.allows("deactivate", OWNER, own), "back to the default once the file stops naming it");
    }

    @Test
    void aBadFileAtStartStopsWithTheRuleNamed() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "\"get_images\": \"role:reader and (project_id:%(project_id)s\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OsloPolicy(file));
        assertTrue(e.getMessage().contains("get_images"), e.getMessage());
        Files.writeString(file, "- a list\n");
        assertThrows(IllegalArgumentException.class, () -> new OsloPolicy(file));
        Files.writeString(file, "\"x\": 3\n");
        assertEquals(true, assertThrows(IllegalArgumentException.class, () -> new OsloPolicy(file)).getMessage()
                .contains("'x'"));
    }
}
