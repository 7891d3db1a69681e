package com.xloud.image.protection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.api.policy.PropertyProtection.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertyProtectionsTest {
    static final RequestContext ADMIN = new RequestContext("a", "p", List.of("admin"), "r");
    static final RequestContext MEMBER = new RequestContext("m", "p", List.of("member"), "r");
    static final RequestContext READER = new RequestContext("r", "p", List.of("reader"), "r");
    static final List<RequestContext> WHO = List.of(ADMIN, MEMBER, READER);

    static final String ROLES = """
            # owners' properties
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

            ; readable by all, written by admins, never changed once set
            [^x_frozen$]
            create = admin
            read = @
            update = !
            delete =

            [.*]
            create = admin
            read = admin,member
            update = admin
            delete = admin
            """;

    static final String POLICIES = """
            [^x_owner_.*]
            create = may_write
            read = may_read
            update = may_write
            delete = may_write

            [^x_admin_.*]
            create = context_is_admin
            read = context_is_admin
            update = context_is_admin
            delete = context_is_admin

            [^x_frozen$]
            create = context_is_admin
            read = anyone
            update = nobody
            delete = nobody

            [.*]
            create = context_is_admin
            read = may_write
            update = context_is_admin
            delete = context_is_admin
            """;

    /**
     * The rules the policies format names, as a policy file would give them: may_write (admin or
     * member), may_read (reader, implied by member and admin), context_is_admin, anyone, nobody.
     */
    static final PolicyEnforcer RULES = new PolicyEnforcer() {
        @Override
        public boolean allows(String action, RequestContext ctx, Map<String, Object> target) {
            return allowsRule(action, ctx);
        }

        @Override
        public boolean allowsRule(String name, RequestContext ctx) {
            List<String> roles = PolicyEnforcer.impliedRoles(ctx.roles());
            return switch (name) {
                case "may_write" -> roles.contains("admin") || roles.contains("member");
                case "may_read" -> roles.contains("reader");
                case "context_is_admin" -> roles.contains("admin");
                case "anyone" -> true;
                default -> false;
            };
        }
    };

    @TempDir
    Path dir;

    /** The expected answer per caller (admin, member, reader), op and property: "CRUD" letters allowed. */
    static final Map<String, List<String>> EXPECTED = Map.of(
            "x_owner_os", List.of("CRUD", "CRUD", "R"),
            "x_admin_key", List.of("CRUD", "", ""),
            "x_frozen", List.of("CR", "R", "R"),
            "hw_disk_bus", List.of("CRUD", "R", ""));

    static void matrix(PropertyProtections p) {
        EXPECTED.forEach((property, perCaller) -> {
            for (int i = 0; i < WHO.size(); i++) {
                for (Operation op : Operation.values()) {
                    boolean expected = perCaller.get(i).contains(op.name().substring(0, 1));
                    assertEquals(expected, p.allows(WHO.get(i), property, op),
                            property + " " + op + " by " + WHO.get(i).roles());
                }
            }
        });
        assertTrue(p.allows(READER, "os_glance_import_task", Operation.READ), "Glance's own namespace is open");
    }

    @Test
    void theRolesFormat() throws Exception {
        Path file = dir.resolve("protections.conf");
        Files.writeString(file, ROLES);
        PropertyProtections p = new PropertyProtections(file, "roles", RULES, Duration.ofSeconds(2), null);
        matrix(p);
        assertEquals(Map.of("x_owner_os", "debian", "x_frozen", "1"), p.readable(READER,
                Map.of("x_owner_os", "debian", "x_frozen", "1", "x_admin_key", "secret", "hw_disk_bus", "virtio")));
    }

    @Test
    void thePoliciesFormat() throws Exception {
        Path file = dir.resolve("protections.conf");
        Files.writeString(file, POLICIES);
        matrix(new PropertyProtections(file, "policies", RULES, Duration.ofSeconds(2), null));
    }

    @Test
    void aPropertyNoSectionNamesIsClosedToAll() throws Exception {
        Path file = dir.resolve("protections.conf");
        Files.writeString(file, "[^x_owner_.*]\ncreate = @\nread = @\nupdate = @\ndelete = @\n");
        PropertyProtections p = new PropertyProtections(file, "roles", RULES, Duration.ofSeconds(2), null);
        assertTrue(p.allows(READER, "x_owner_a", Operation.DELETE));
        for (Operation op : Operation.values()) {
            assertEquals(false, p.allows(ADMIN, "other", op));
        }
        // searched, not anchored: the first matching section decides
        Files.writeString(file, "[owner]\ncreate = admin\nread = @\nupdate = admin\ndelete = admin\n"
                + "[^x_]\ncreate = @\nread = @\nupdate = @\ndelete = @\n");
        PropertyProtections q = new PropertyProtections(file, "roles", RULES, Duration.ofSeconds(2), null);
        assertEquals(false, q.allows(MEMBER, "x_owner_a", Operation.CREATE));
        assertEquals(true, q.allows(MEMBER, "x_other", Operation.CREATE));
    }

    @Test
    void aMalformedFileIsRefusedWithItsLine() throws Exception {
        Path file = dir.resolve("protections.conf");
        Map<String, String> cases = Map.of(
                "[a]\ncreate = @\nread = @\nupdate = @\n", "line 1",
                "[a]\ncreate = @,!\nread = @\nupdate = @\ndelete = @\n", "line 2",
                "\n[(unclosed]\ncreate = @\n", "line 2",
                "[a]\ncreate = @\nread = @\nupdate = @\ndelete = @\nerase = @\n", "line 6",
                "create = @\n", "line 1",
                "[a]\njust words\n", "line 2");
        for (var c : cases.entrySet()) {
            Files.writeString(file, c.getKey());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PropertyProtections(file, "roles", RULES, Duration.ofSeconds(2), null), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + " -> " + e.getMessage());
        }
        Files.writeString(file, "[a]\ncreate = r1,r2\nread = @\nupdate = @\ndelete = @\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PropertyProtections(file, "policies",
                RULES, Duration.ofSeconds(2), null)).getMessage().contains("line 2"));
        assertThrows(IllegalArgumentException.class, () -> new PropertyProtections(file, "acl", RULES, Duration.ZERO, null));
    }

    @Test
    void aChangedFileIsReadAgainAndABadOneRefused() throws Exception {
        Path file = dir.resolve("protections.conf");
        Files.writeString(file, ROLES);
        PropertyProtections p = new PropertyProtections(file, "roles", RULES, Duration.ZERO, null);
        assertEquals(false, p.allows(MEMBER, "x_admin_key", Operation.READ));
        Files.writeString(file, ROLES.replace("[^x_admin_.*]\ncreate = admin\nread = admin",
                "[^x_admin_.*]\ncreate = admin\nread = admin,member"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertEquals(true, p.allows(MEMBER, "x_admin_key", Operation.READ), "the new rules apply");
        Files.writeString(file, "[^x_admin_.*]\ncreate = admin\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertEquals(true, p.allows(MEMBER, "x_admin_key", Operation.READ), "a bad version is refused: the rules stay");
    }
}
