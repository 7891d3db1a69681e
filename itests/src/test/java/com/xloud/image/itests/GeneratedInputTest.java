package com.xloud.image.itests;

import static com.xloud.image.itests.Texts.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated text from every part of Unicode through every text field (names, tags in bodies and
 * paths, property names and values, members), read back through show, list filters, history,
 * {@code as_of} and the audit feed: byte for byte, or a 400 that says why and leaves nothing
 * behind. And every column at its limit and one past it, in characters as the registry counts them.
 */
class GeneratedInputTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger PROJECTS = new AtomicInteger();
    static final java.util.regex.Pattern SURROGATE_ESCAPE = java.util.regex.Pattern.compile("\\\\u[dD][89a-fA-F]");
    static Path dir;
    static Node node;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("xloud-generated-input");
        node = Node.start(dir.resolve("node"));
    }

    @AfterContainer
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        ScratchDir.delete(dir);
    }

    static HttpResponse<String> call(String project, String roles, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = node.request(path);
        if (project != null) {
            b.header("X-User-Id", "u-" + project).header("X-Project-Id", project).header("X-Roles", roles);
        }
        if (body != null) {
            b.header("Content-Type", method.equals("PATCH") ? "application/openstack-images-v2.1-json-patch"
                    : "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return node.send(b.build());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /**
     * The message of an error: Glance's JSON body as asked for, or, for a request line Jetty
     * refuses before reading the headers (a control character in the path), its plain text.
     */
    static String message(HttpResponse<String> r) throws Exception {
        return r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? json(r).get("message").asText() : r.body().replaceFirst("^400 Bad Request\\n\\n", "").strip();
    }

    static JsonNode image(String id) throws Exception {
        HttpResponse<String> r = call(null, null, "GET", "/v2/images/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    static Set<String> tags(JsonNode image) {
        Set<String> tags = new HashSet<>();
        image.get("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    static List<String> ids(HttpResponse<String> list) throws Exception {
        assertEquals(200, list.statusCode(), list.body());
        List<String> ids = new ArrayList<>();
        json(list).get("images").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    /** The index of the newest event in the whole store: unchanged means nothing was appended. */
    static long lastEvent() throws Exception {
        JsonNode events = json(call(null, null, "GET", "/v2/audit?order=desc&limit=1", null)).get("events");
        return events.isEmpty() ? 0 : events.get(0).get("index").asLong();
    }

    static String cut(String s, int codePoints) {
        return s.codePointCount(0, s.length()) <= codePoints ? s : s.substring(0, s.offsetByCodePoints(0, codePoints));
    }

    @Provide
    Arbitrary<String> names() {
        return Texts.text(0, 255);
    }

    @Provide
    Arbitrary<String> words() {
        return Texts.text(1, 60);
    }

    @Provide
    Arbitrary<String> values() {
        return Texts.text(0, 400);
    }

    @Property(tries = 60, seed = Texts.SEED)
    void textRoundTripsThroughEveryField(@ForAll("names") String name, @ForAll("words") String tag,
                                         @ForAll("words") String pathTag, @ForAll("values") String value,
                                         @ForAll("words") String member) throws Exception {
        String project = "p-text-" + PROJECTS.incrementAndGet();
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("name", name);
        create.put("tags", List.of(tag));
        create.put("x_value", value);
        create.put("x_" + tag, value);
        HttpResponse<String> r = call(project, "member", "POST", "/v2/images", JSON.writeValueAsString(create));
        assertEquals(201, r.statusCode(), r.body());
        String id = json(r).get("id").asText();
        assertEquals(name, json(r).get("name").asText());
        JsonNode shown = image(id);
        assertEquals(name, shown.get("name").asText());
        assertEquals(Set.of(tag), tags(shown));
        // characters beyond U+FFFF travel as the UTF-8 they came as, not as escaped surrogate pairs
        assertTrue(!SURROGATE_ESCAPE.matcher(call(null, null, "GET", "/v2/images/" + id, null).body()).find());
        assertEquals(value, shown.get("x_value").asText());
        assertEquals(value, shown.get("x_" + tag).asText());

        r = call(project, "member", "PUT", "/v2/images/" + id + "/tags/" + enc(pathTag), null);
        Set<String> expectedTags = new HashSet<>(Set.of(tag));
        if (Texts.pathSafe(pathTag)) {
            assertEquals(204, r.statusCode(), r.body());
            expectedTags.add(pathTag);
        } else {
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(message(r).length() > 0, r.body());
        }
        assertEquals(expectedTags, tags(image(id)));

        String renamed = cut(value, 255);
        r = call(project, "member", "PATCH", "/v2/images/" + id, JSON.writeValueAsString(List.of(
                Map.of("op", "replace", "path", "/name", "value", renamed),
                Map.of("op", "add", "path", "/x_patched", "value", name))));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(renamed, json(r).get("name").asText());
        assertEquals(name, image(id).get("x_patched").asText());

        r = call(project, "member", "POST", "/v2/images/" + id + "/members", JSON.writeValueAsString(Map.of("member", member)));
        if (member.isBlank()) {
            // white space alone names no project
            assertEquals(400, r.statusCode(), r.body());
            member = "p-" + member;
            r = call(project, "member", "POST", "/v2/images/" + id + "/members", JSON.writeValueAsString(Map.of("member", member)));
        }
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(member, json(r).get("member_id").asText());
        r = call(project, "member", "GET", "/v2/images/" + id + "/members/" + enc(member), null);
        if (Texts.pathSafe(member)) {
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(member, json(r).get("member_id").asText());
        } else {
            assertEquals(400, r.statusCode(), r.body());
        }

        // list filters find it by the text itself ("in:" lists and comma rules aside)
        if (!renamed.startsWith("in:")) {
            assertTrue(ids(call(project, "member", "GET", "/v2/images?name=" + enc(renamed), null)).contains(id));
        }
        assertTrue(ids(call(project, "member", "GET", "/v2/images?tag=" + enc(tag), null)).contains(id));
        if (!value.isEmpty() && !value.startsWith("in:")) {
            assertTrue(ids(call(project, "member", "GET", "/v2/images?x_value=" + enc(value), null)).contains(id));
        }

        // the history holds the text as it was sent, and the past image is the present one
        JsonNode history = json(call(project, "member", "GET", "/v2/images/" + id + "/history", null)).get("events");
        assertEquals(name, history.get(0).get("changes").get("name").asText());
        List<String> historyTags = new ArrayList<>();
        List<String> historyMembers = new ArrayList<>();
        history.forEach(e -> {
            if (e.get("type").asText().equals("TagAdded")) {
                historyTags.add(e.get("changes").get("tag").asText());
            } else if (e.get("type").asText().equals("MemberAdded")) {
                historyMembers.add(e.get("changes").get("memberId").asText());
            }
        });
        assertEquals(expectedTags.contains(pathTag) && !pathTag.equals(tag) ? List.of(pathTag) : List.of(), historyTags);
        assertEquals(List.of(member), historyMembers);
        String last = history.get(history.size() - 1).get("at").asText();
        r = call(project, "member", "GET", "/v2/images/" + id + "?as_of=" + enc(last), null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(image(id), json(r), "as_of the last event equals the live image");
        JsonNode audited = json(call(null, null, "GET", "/v2/audit?limit=1000&order=asc&image=" + id, null)).get("events");
        assertEquals(history, audited, "the audit feed holds the same events as the history");
    }

    /** Text of exactly {@code n} characters drawn from range {@code range} of {@link Texts#RANGES}. */
    static String textOf(int range, int n, long seed) {
        int[] r = Texts.RANGES.get(range);
        java.util.Random random = new java.util.Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(r[0] + random.nextInt(r[1] - r[0] + 1));
        }
        return b.toString();
    }

    @Property(tries = 16, seed = Texts.SEED)
    void everyColumnHoldsItsLimitAndRefusesOneMore(@ForAll @IntRange(min = 0, max = 7) int range,
                                                   @ForAll long seed) throws Exception {
        String project = "p-limit-" + PROJECTS.incrementAndGet();
        // "x_" + 253 characters is a property name of 255
        String at255 = textOf(range, 255, seed);
        String past255 = textOf(range, 256, seed);
        String key = "x_" + textOf(range, 253, seed);
        HttpResponse<String> r = call(project, "member", "POST", "/v2/images", JSON.writeValueAsString(
                Map.of("name", at255, "tags", List.of(at255), key, at255)));
        assertEquals(201, r.statusCode(), r.body());
        String id = json(r).get("id").asText();
        JsonNode shown = image(id);
        assertEquals(at255, shown.get("name").asText());
        assertEquals(Set.of(at255), tags(shown));
        assertEquals(at255, shown.get(key).asText());

        long before = lastEvent();
        List<String> refusals = new ArrayList<>();
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("name", past255), Map.of("tags", List.of(past255)),
                Map.of(key + "y", "v"), Map.of("x_v", "v", "owner", past255))) {
            r = call(project, "admin", "POST", "/v2/images", JSON.writeValueAsString(body));
            refusals.add(r.statusCode() + " " + r.body());
        }
        r = call(project, "member", "PATCH", "/v2/images/" + id, JSON.writeValueAsString(List.of(
                Map.of("op", "replace", "path", "/name", "value", past255))));
        refusals.add(r.statusCode() + " " + r.body());
        r = call(project, "member", "POST", "/v2/images/" + id + "/members", JSON.writeValueAsString(Map.of("member", past255)));
        refusals.add(r.statusCode() + " " + r.body());
        if (Texts.pathSafe(past255)) {
            r = call(project, "member", "PUT", "/v2/images/" + id + "/tags/" + enc(past255), null);
            refusals.add(r.statusCode() + " " + r.body());
        }
        // a property value holds 65,535 bytes of UTF-8: in four-byte characters 16,383 of them and one of three bytes
        String value = "\uD83D\uDE00".repeat(16_383) + "\u20AC";
        r = call(project, "member", "PATCH", "/v2/images/" + id, JSON.writeValueAsString(List.of(
                Map.of("op", "add", "path", "/x_big", "value", value))));
        assertEquals(200, r.statusCode(), r.body());
        before = lastEvent();
        r = call(project, "member", "PATCH", "/v2/images/" + id, JSON.writeValueAsString(List.of(
                Map.of("op", "add", "path", "/x_bigger", "value", value + "a"))));
        refusals.add(r.statusCode() + " " + r.body());
        for (String refusal : refusals) {
            assertTrue(refusal.startsWith("400 ") && refusal.contains("\"message\""), refusal);
        }
        assertEquals(before, lastEvent(), "a refused request appended no event");
        assertEquals(value, image(id).get("x_big").asText());

        // the caller's own ids: X-Project-Id and X-User-Id are headers, so ASCII or Latin-1
        String unique = PROJECTS.incrementAndGet() + "-";
        String idText = unique + (range == 1 ? textOf(1, 255 - unique.length(), seed) : "p".repeat(255 - unique.length()));
        r = node.send(node.request("/v2/images").header("X-Project-Id", idText).header("X-User-Id", idText)
                .header("X-Roles", "member").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(idText, json(r).get("owner").asText());
        JsonNode byProject = json(call(null, null, "GET", "/v2/audit?project=" + enc(idText), null)).get("events");
        JsonNode byUser = json(call(null, null, "GET", "/v2/audit?user=" + enc(idText), null)).get("events");
        assertEquals(1, byProject.size(), byProject.toString());
        assertEquals(byProject, byUser);
        assertEquals(idText, byProject.get(0).get("project_id").asText());
        long afterCreate = lastEvent();
        for (String header : List.of("X-Project-Id", "X-User-Id")) {
            r = node.send(node.request("/v2/images").header("X-Project-Id", "p").header("X-Roles", "member")
                    .setHeader(header, idText + "q").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(400, r.statusCode(), r.body());
        }
        assertEquals(afterCreate, lastEvent());
    }

    /** 128 tags (Glance's default quota) of 255 four-byte characters: more than a TEXT column holds. */
    @Example
    void theMostTagsOfTheLongestTextFit() throws Exception {
        HttpResponse<String> r = call("p-many-tags", "member", "POST", "/v2/images", "{}");
        String id = json(r).get("id").asText();
        Set<String> added = new HashSet<>();
        for (int i = 0; i < 128; i++) {
            String tag = textOf(7, 255, i);
            added.add(tag);
            r = call("p-many-tags", "member", "PUT", "/v2/images/" + id + "/tags/" + enc(tag), null);
            assertEquals(204, r.statusCode(), r.body());
        }
        assertEquals(added, tags(image(id)));
        r = call("p-many-tags", "member", "PUT", "/v2/images/" + id + "/tags/one-more", null);
        assertEquals(413, r.statusCode(), r.body());
    }

    /** Half of a surrogate pair, which JSON can escape but no text column can hold, is refused. */
    @Property(tries = 10, seed = Texts.SEED)
    void unpairedSurrogatesAreRefused(@ForAll("surrogates") String escaped) throws Exception {
        long before = lastEvent();
        for (String body : List.of("{\"name\": \"a" + escaped + "\"}", "{\"tags\": [\"" + escaped + "\"]}",
                "{\"x_" + escaped + "\": \"v\"}", "{\"x_v\": \"" + escaped + "b\"}")) {
            HttpResponse<String> r = call("p-surrogate", "member", "POST", "/v2/images", body);
            assertEquals(400, r.statusCode(), body + " -> " + r.body());
        }
        assertEquals(before, lastEvent());
    }

    @Provide
    Arbitrary<String> surrogates() {
        return Arbitraries.integers().between(0xD800, 0xDFFF).map(c -> String.format("\\u%04x", c));
    }
}
