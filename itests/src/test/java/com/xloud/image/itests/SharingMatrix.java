package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Visibility and sharing across projects: an owner, a member, an outsider and an admin, for every
 * visibility and membership status, through lists, reads and writes; the members API; deactivation.
 * Run with no-auth headers by {@link SharingTest} and with Keystone tokens by {@link KeystoneTest},
 * each of which starts its own node (this class has no lifecycle of its own: JUnit runs the static
 * lifecycle methods of a superclass too, even when a subclass declares ones of the same name).
 */
abstract class SharingMatrix {
    @TempDir
    static Path dir;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A caller: {@code name} for the credentials, {@code project} its project id. */
    record Caller(String name, String project, String roles) {
    }

    // the four parties of the matrix: no-auth callers in SharingTest, Keystone users and projects in KeystoneTest
    static Caller OWNER;
    static Caller MEMBER;
    static Caller OTHER;
    static Caller ADMIN;
    /** How a caller says who it is: no-auth headers in SharingTest, a Keystone token in KeystoneTest. */
    static java.util.function.Function<Caller, java.util.Map<String, String>> credentials;

    static void noAuthCallers() {
        OWNER = new Caller("owner", "p-owner", "member");
        MEMBER = new Caller("member", "p-member", "member");
        OTHER = new Caller("other", "p-other", "member,reader");
        ADMIN = new Caller("admin", "p-admin", "admin");
        credentials = c -> java.util.Map.of("X-User-Id", "u-" + c.project(), "X-Project-Id", c.project(),
                "X-Roles", c.roles());
    }

    static HttpResponse<String> call(Caller c, String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = node.request(path);
        credentials.apply(c).forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return node.send(b.build());
    }

    static HttpResponse<String> get(Caller c, String path) throws Exception {
        return call(c, "GET", path, null, null);
    }

    static String create(Caller c, String visibility, String tag) throws Exception {
        HttpResponse<String> r = call(c, "POST", "/v2/images", "application/json", "{\"name\":\"" + visibility
                + "\",\"visibility\":\"" + visibility + "\",\"tags\":[\"" + tag + "\"],\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static List<String> listed(Caller c, String query) throws Exception {
        HttpResponse<String> r = get(c, "/v2/images?" + query);
        assertEquals(200, r.statusCode(), r.body());
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.body()).get("images").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    static int patchName(Caller c, String id) throws Exception {
        return call(c, "PATCH", "/v2/images/" + id, "application/openstack-images-v2.1-json-patch",
                "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"by-" + c.project() + "\"}]").statusCode();
    }

    /** Expected outcome for one caller: listed by default?, GET status, PATCH status. */
    record Expect(boolean listed, int get, int patch) {
    }

    void check(String what, Caller c, String id, String tag, Expect e) throws Exception {
        assertEquals(e.listed(), listed(c, "tag=" + tag).contains(id), what + ": listed for " + c.project());
        assertEquals(e.get(), get(c, "/v2/images/" + id).statusCode(), what + ": GET by " + c.project());
        assertEquals(e.patch(), patchName(c, id), what + ": PATCH by " + c.project());
    }

    @Test
    void visibilityMatrixWithoutMembers() throws Exception {
        String tag = "m-" + UUID.randomUUID();
        String pub = create(ADMIN, "public", tag);
        String community = create(OWNER, "community", tag);
        String shared = create(OWNER, "shared", tag);
        String priv = create(OWNER, "private", tag);
        // public image owned by the admin's project
        check("public", OWNER, pub, tag, new Expect(true, 200, 403));
        check("public", OTHER, pub, tag, new Expect(true, 200, 403));
        check("public", ADMIN, pub, tag, new Expect(true, 200, 200));
        // community: readable by all, listed only when asked for (or by its owner)
        check("community", OWNER, community, tag, new Expect(true, 200, 200));
        check("community", OTHER, community, tag, new Expect(false, 200, 403));
        check("community", ADMIN, community, tag, new Expect(false, 200, 200));
        assertTrue(listed(OTHER, "tag=" + tag + "&visibility=community").contains(community));
        assertTrue(listed(ADMIN, "tag=" + tag + "&visibility=all").contains(community));
        // shared without members and private: the owner's and the admin's alone
        for (String id : List.of(shared, priv)) {
            check("shared/private", OWNER, id, tag, new Expect(true, 200, 200));
            check("shared/private", OTHER, id, tag, new Expect(false, 404, 404));
            check("shared/private", MEMBER, id, tag, new Expect(false, 404, 404));
            check("shared/private", ADMIN, id, tag, new Expect(true, 200, 200));
        }
        assertEquals(List.of(priv), listed(OWNER, "tag=" + tag + "&visibility=private"));
    }

    @Test
    void membershipStatusDecidesTheMembersView() throws Exception {
        String tag = "s-" + UUID.randomUUID();
        String shared = create(OWNER, "shared", tag);
        HttpResponse<String> added = call(OWNER, "POST", "/v2/images/" + shared + "/members", "application/json",
                "{\"member\":\"" + MEMBER.project() + "\"}");
        assertEquals(200, added.statusCode(), added.body());
        JsonNode m = JSON.readTree(added.body());
        assertEquals("pending", m.get("status").asText());
        assertEquals(MEMBER.project(), m.get("member_id").asText());
        assertEquals(shared, m.get("image_id").asText());
        assertEquals("/v2/schemas/member", m.get("schema").asText());

        // pending: readable, not listed by default, listed when asked for
        check("pending", MEMBER, shared, tag, new Expect(false, 200, 403));
        assertTrue(listed(MEMBER, "tag=" + tag + "&visibility=shared&member_status=pending").contains(shared));
        assertTrue(listed(MEMBER, "tag=" + tag + "&member_status=all").contains(shared));
        check("pending", OTHER, shared, tag, new Expect(false, 404, 404));

        String member = "/v2/images/" + shared + "/members/" + MEMBER.project();
        assertEquals(403, call(OWNER, "PUT", member, "application/json", "{\"status\":\"accepted\"}").statusCode());
        assertEquals(400, call(MEMBER, "PUT", member, "application/json", "{\"status\":\"maybe\"}").statusCode());
        HttpResponse<String> accepted = call(MEMBER, "PUT", member, "application/json", "{\"status\":\"accepted\"}");
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals("accepted", JSON.readTree(accepted.body()).get("status").asText());
        check("accepted", MEMBER, shared, tag, new Expect(true, 200, 403));
        assertTrue(listed(MEMBER, "tag=" + tag + "&visibility=shared").contains(shared));

        assertEquals(200, call(MEMBER, "PUT", member, "application/json", "{\"status\":\"rejected\"}").statusCode());
        check("rejected", MEMBER, shared, tag, new Expect(false, 200, 403));
        assertTrue(listed(MEMBER, "tag=" + tag + "&member_status=rejected&visibility=shared").contains(shared));

        // the members list: all for the owner, its own entry for a member, nothing for others
        assertEquals(1, JSON.readTree(get(OWNER, "/v2/images/" + shared + "/members").body()).get("members").size());
        call(OWNER, "POST", "/v2/images/" + shared + "/members", "application/json", "{\"member\":\"p-third\"}");
        assertEquals(2, JSON.readTree(get(OWNER, "/v2/images/" + shared + "/members").body()).get("members").size());
        JsonNode own = JSON.readTree(get(MEMBER, "/v2/images/" + shared + "/members").body()).get("members");
        assertEquals(1, own.size());
        assertEquals(MEMBER.project(), own.get(0).get("member_id").asText());
        assertEquals(404, get(OTHER, "/v2/images/" + shared + "/members").statusCode());
        assertEquals(200, get(MEMBER, member).statusCode());
        assertEquals(404, get(MEMBER, "/v2/images/" + shared + "/members/p-third").statusCode());

        // duplicates, non-shared images, and who may remove
        assertEquals(409, call(OWNER, "POST", "/v2/images/" + shared + "/members", "application/json",
                "{\"member\":\"" + MEMBER.project() + "\"}").statusCode());
        assertEquals(400, call(OWNER, "POST", "/v2/images/" + shared + "/members", "application/json",
                "{\"who\":\"x\"}").statusCode());
        String priv = create(OWNER, "private", tag);
        assertEquals(403, call(OWNER, "POST", "/v2/images/" + priv + "/members", "application/json",
                "{\"member\":\"" + MEMBER.project() + "\"}").statusCode());
        assertEquals(403, call(MEMBER, "DELETE", member, null, null).statusCode());
        assertEquals(204, call(OWNER, "DELETE", member, null, null).statusCode());
        assertEquals(404, call(OWNER, "DELETE", member, null, null).statusCode());
        assertEquals(404, get(MEMBER, "/v2/images/" + shared).statusCode());
        assertFalse(listed(MEMBER, "tag=" + tag + "&member_status=all").contains(shared));
    }

    @Test
    void deactivationStopsDownloadsButForAdmins() throws Exception {
        String tag = "d-" + UUID.randomUUID();
        String id = create(ADMIN, "public", tag);
        HttpResponse<String> up = call(ADMIN, "PUT", "/v2/images/" + id + "/file", "application/octet-stream", "abc");
        assertEquals(204, up.statusCode());
        assertEquals(403, call(OTHER, "POST", "/v2/images/" + id + "/actions/deactivate", null, null).statusCode());
        assertEquals(204, call(ADMIN, "POST", "/v2/images/" + id + "/actions/deactivate", null, null).statusCode());
        assertEquals(204, call(ADMIN, "POST", "/v2/images/" + id + "/actions/deactivate", null, null).statusCode());
        assertEquals("deactivated", JSON.readTree(get(OTHER, "/v2/images/" + id).body()).get("status").asText());
        assertEquals(403, get(OTHER, "/v2/images/" + id + "/file").statusCode());
        HttpResponse<String> adminDownload = get(ADMIN, "/v2/images/" + id + "/file");
        assertEquals(200, adminDownload.statusCode());
        assertEquals("abc", adminDownload.body());
        assertEquals(204, call(ADMIN, "POST", "/v2/images/" + id + "/actions/reactivate", null, null).statusCode());
        assertEquals(200, get(OTHER, "/v2/images/" + id + "/file").statusCode());
        String queued = create(OWNER, "private", tag);
        assertEquals(403, call(OWNER, "POST", "/v2/images/" + queued + "/actions/deactivate", null, null).statusCode());
        assertEquals(403, call(OWNER, "POST", "/v2/images/" + queued + "/actions/reactivate", null, null).statusCode());
        assertEquals(404, call(OTHER, "POST", "/v2/images/" + queued + "/actions/deactivate", null, null).statusCode());
    }
}
