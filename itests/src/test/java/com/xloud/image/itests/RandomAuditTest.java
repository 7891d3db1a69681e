package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few hundred random operations by several projects, then the audit trail checked against what
 * this test did: each image's history (every successful request's events, by whom, in order;
 * nothing for refused ones), the image {@code as_of} random moments against what the test saw
 * right after each change, and the audit feed under random filters, time windows of every
 * resolution, orders and pages. The seed is fixed ({@code -Dxloud.seed=N} for another) and named
 * in every failure.
 */
class RandomAuditTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long SEED = Long.getLong("xloud.seed", 20261203L);
    static final List<String> PROJECTS = List.of("p-ann", "p-bob", "p-cyd");
    static final int OPERATIONS = 300;

    @TempDir
    static Path dir;
    static Node node;

    /** A request that succeeded: the events it must have caused, and the image as it was right after. */
    record Done(String requestId, String imageId, String user, String project, List<String> types, JsonNode after) {
    }

    /** What the test knows of one image. */
    static final class Known {
        final String id;
        final String owner;
        final List<String> tags = new ArrayList<>();
        final Map<String, String> members = new LinkedHashMap<>();
        String status = "queued";
        boolean hasData;

        Known(String id, String owner) {
            this.id = id;
            this.owner = owner;
        }
    }

    final Random random = new Random(SEED);
    final List<Done> done = new ArrayList<>();
    final List<Known> images = new ArrayList<>();
    int refused;

    @BeforeAll
    static void start() throws Exception {
        node = Node.start(dir.resolve("node"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static HttpResponse<String> as(String project, String roles, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = node.request(path).header("X-User-Id", "u-" + project).header("X-Project-Id", project)
                .header("X-Roles", roles);
        if (body != null) {
            b.header("Content-Type", method.equals("PATCH") ? "application/openstack-images-v2.1-json-patch"
                    : path.endsWith("/file") ? "application/octet-stream" : "application/json");
        }
        return node.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode admin(String path) throws Exception {
        HttpResponse<String> r = as("p-admin", "admin", "GET", path, null);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    String word() {
        String[] parts = {"été", "ß", "😀", "a", "a ", "x", "\u0301", "中", "\u00a0", "-", "%"};
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            b.append(parts[random.nextInt(parts.length)]);
        }
        return b.toString();
    }

    /** Sends one request; on success records it with the events it must cause, and says so. */
    boolean attempt(Known image, String project, String roles, String method, String path, String body, int expected,
                 String... types) throws Exception {
        HttpResponse<String> r = as(project, roles, method, path, body);
        if (r.statusCode() != expected) {
            assertTrue(r.statusCode() < 500, method + " " + path + " -> " + r.statusCode() + " " + r.body());
            refused++;
            return false;
        }
        String id = image != null ? image.id : JSON.readTree(r.body()).get("id").asText();
        if (image == null) {
            images.add(new Known(id, project));
        }
        JsonNode after = List.of(types).contains("ImageDeleted") ? null : admin("/v2/images/" + id);
        done.add(new Done(r.headers().firstValue("X-Openstack-Request-Id").orElseThrow(), id, "u-" + project, project,
                List.of(types), after));
        return true;
    }

    void randomOperation() throws Exception {
        List<Known> live = images.stream().filter(i -> !i.status.equals("deleted")).toList();
        int kind = live.isEmpty() ? 0 : random.nextInt(12);
        if (kind == 0) {
            String project = pick(PROJECTS);
            attempt(null, project, "member", "POST", "/v2/images", JSON.writeValueAsString(Map.of("name", word(),
                    "disk_format", "raw", "container_format", "bare",
                    "tags", List.of(word()), "x_" + word(), word())), 201, "ImageCreated");
            return;
        }
        Known image = pick(live);
        String base = "/v2/images/" + image.id;
        // a third of the changes come from a project that may not make them: refused, no event
        String actor = random.nextInt(3) == 0 ? pick(PROJECTS) : image.owner;
        switch (kind) {
            case 1, 2 -> attempt(image, actor, "member", "PATCH", base, JSON.writeValueAsString(List.of(
                    Map.of("op", "replace", "path", "/name", "value", word()),
                    Map.of("op", "add", "path", "/x_" + word(), "value", word()))), 200, "ImageUpdated");
            case 3 -> {
                String tag = word();
                if (!image.tags.contains(tag)) {
                    if (attempt(image, actor, "member", "PUT", base + "/tags/" + Texts.enc(tag), null, 204, "TagAdded")) {
                        image.tags.add(tag);
                    }
                }
            }
            case 4 -> {
                if (!image.tags.isEmpty()) {
                    String tag = pick(image.tags);
                    if (attempt(image, actor, "member", "DELETE", base + "/tags/" + Texts.enc(tag), null, 204, "TagRemoved")) {
                        image.tags.remove(tag);
                    }
                }
            }
            case 5 -> {
                String member = pick(PROJECTS);
                if (!member.equals(image.owner) && !image.members.containsKey(member)) {
                    if (attempt(image, actor, "member", "POST", base + "/members",
                            JSON.writeValueAsString(Map.of("member", member)), 200, "MemberAdded")) {
                        image.members.put(member, "pending");
                    }
                }
            }
            case 6 -> {
                if (!image.members.isEmpty()) {
                    String member = pick(new ArrayList<>(image.members.keySet()));
                    String status = random.nextBoolean() ? "accepted" : "rejected";
                    if (!status.equals(image.members.get(member))) {
                        if (attempt(image, member, "member", "PUT", base + "/members/" + member,
                                JSON.writeValueAsString(Map.of("status", status)), 200, "MemberStatusChanged")) {
                            image.members.put(member, status);
                        }
                    }
                }
            }
            case 7 -> {
                if (!image.members.isEmpty()) {
                    String member = pick(new ArrayList<>(image.members.keySet()));
                    if (attempt(image, actor, "member", "DELETE", base + "/members/" + member, null, 204, "MemberRemoved")) {
                        image.members.remove(member);
                    }
                }
            }
            case 8 -> {
                if (image.status.equals("queued")) {
                    if (attempt(image, actor, "member", "PUT", base + "/file", word(), 204, "UploadStarted",
                            "ImageDataStored", "ImageActivated")) {
                        image.status = "active";
                        image.hasData = true;
                    }
                }
            }
            case 9 -> {
                if (image.status.equals("active")) {
                    if (attempt(image, "p-admin", "admin", "POST", base + "/actions/deactivate", null, 204, "ImageDeactivated")) {
                        image.status = "deactivated";
                    }
                } else if (image.status.equals("deactivated")) {
                    if (attempt(image, "p-admin", "admin", "POST", base + "/actions/reactivate", null, 204, "ImageReactivated")) {
                        image.status = "active";
                    }
                }
            }
            case 10 -> {
                // a refusal the image's owner meets: a tag one character too long
                attempt(image, image.owner, "member", "PUT", base + "/tags/" + "t".repeat(256), null, 204, "TagAdded");
            }
            default -> {
                if (random.nextInt(4) == 0) {
                    // the data goes with the image (DataScrubbed by the same request)
                    String[] types = image.hasData ? new String[] {"ImageDeleted", "DataScrubbed"}
                            : new String[] {"ImageDeleted"};
                    if (attempt(image, actor, "member", "DELETE", base, null, 204, types)) {
                        image.status = "deleted";
                    }
                }
            }
        }
    }

    @Test
    void theTrailIsWhatTheClientsDid() throws Exception {
        try {
            JsonNode none = admin("/v2/x-admin/registry/rebuild");
            assertEquals("none", none.get("state").asText(), none.toString());
            for (int i = 0; i < OPERATIONS; i++) {
                randomOperation();
            }
            assertTrue(done.size() > OPERATIONS / 3 && refused > 10, done.size() + " done, " + refused + " refused");
            List<JsonNode> all = checkHistories();
            checkAsOf();
            checkFeed(all);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + SEED + " (-Dxloud.seed=" + SEED + " repeats it): " + e.getMessage(), e);
        }
    }

    /** Each image's history is exactly the events of the requests that succeeded on it. */
    List<JsonNode> checkHistories() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (Known image : images) {
            JsonNode events = admin("/v2/images/" + image.id + "/history").get("events");
            List<String> seen = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (JsonNode e : events) {
                all.add(e);
                seen.add(e.get("request_id").asText() + " " + e.get("type").asText() + " " + e.get("user_id").asText()
                        + " " + e.get("project_id").asText());
            }
            for (Done d : done) {
                if (d.imageId().equals(image.id)) {
                    for (String type : d.types()) {
                        expected.add(d.requestId() + " " + type + " " + d.user() + " " + d.project());
                    }
                }
            }
            assertEquals(expected, seen, "history of " + image.id);
        }
        return all;
    }

    /** The image at the moment of each change, and at random moments between changes, is what the test saw then. */
    void checkAsOf() throws Exception {
        for (Known image : images) {
            List<JsonNode> events = new ArrayList<>();
            admin("/v2/images/" + image.id + "/history").get("events").forEach(events::add);
            Instant created = Instant.parse(events.get(0).get("at").asText());
            HttpResponse<String> r = as("p-admin", "admin", "GET", "/v2/images/" + image.id + "?as_of="
                    + created.minus(1, ChronoUnit.MICROS), null);
            assertEquals(404, r.statusCode(), "before its creation: " + r.body());
            List<Done> ops = done.stream().filter(d -> d.imageId().equals(image.id)).toList();
            for (int i = 0; i < ops.size(); i++) {
                Done d = ops.get(i);
                if (d.after() == null) {
                    continue; // the delete: the image is gone
                }
                Instant at = moment(events, d, true);
                Instant next = i + 1 < ops.size() ? moment(events, ops.get(i + 1), false) : at.plusSeconds(5);
                List<Instant> moments = new ArrayList<>(List.of(at));
                long gap = ChronoUnit.NANOS.between(at, next);
                if (gap > 1000) {
                    moments.add(at.plusNanos(1 + (long) (random.nextDouble() * (gap - 1000))));
                }
                for (Instant t : moments) {
                    JsonNode past = admin("/v2/images/" + image.id + "?as_of=" + t);
                    assertEquals(d.after(), past, "image " + image.id + " as of " + t + " after request " + d.requestId());
                }
            }
        }
    }

    /** The time of the last (or first) event request {@code d} caused. */
    static Instant moment(List<JsonNode> events, Done d, boolean last) {
        Comparator<Instant> order = last ? Comparator.naturalOrder() : Comparator.reverseOrder();
        return events.stream().filter(e -> e.get("request_id").asText().equals(d.requestId()))
                .map(e -> Instant.parse(e.get("at").asText())).max(order).orElseThrow();
    }

    /** The admin audit feed under random filters equals the events filtered by the test itself. */
    void checkFeed(List<JsonNode> all) throws Exception {
        all.sort(Comparator.comparingLong(e -> e.get("index").asLong()));
        for (int round = 0; round < 60; round++) {
            StringBuilder query = new StringBuilder();
            List<Predicate<JsonNode>> filters = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                String p = pick(PROJECTS);
                query.append("&project=").append(p);
                filters.add(e -> p.equals(e.get("project_id").asText()));
            }
            if (random.nextInt(4) == 0) {
                String u = "u-" + pick(PROJECTS);
                query.append("&user=").append(u);
                filters.add(e -> u.equals(e.get("user_id").asText()));
            }
            if (random.nextInt(3) == 0) {
                String image = pick(images).id;
                query.append("&image=").append(image);
                filters.add(e -> image.equals(e.get("image_id").asText()));
            }
            if (random.nextInt(4) == 0) {
                String type = pick(all).get("type").asText();
                query.append("&type=").append(type);
                filters.add(e -> type.equals(e.get("type").asText()));
            }
            if (random.nextInt(2) == 0) {
                // a window around a random event, its edges at a random resolution
                Instant at = Instant.parse(pick(all).get("at").asText());
                Instant since = window(at, true);
                Instant until = window(at, false);
                if (random.nextBoolean()) {
                    query.append("&since=").append(since);
                    filters.add(e -> !Instant.parse(e.get("at").asText()).isBefore(since));
                }
                if (random.nextBoolean()) {
                    query.append("&until=").append(until);
                    filters.add(e -> Instant.parse(e.get("at").asText()).isBefore(until));
                }
            }
            boolean ascending = random.nextBoolean();
            int limit = 1 + random.nextInt(60);
            List<Long> expected = all.stream().filter(e -> filters.stream().allMatch(f -> f.test(e)))
                    .map(e -> e.get("index").asLong()).sorted(ascending ? Comparator.naturalOrder()
                            : Comparator.reverseOrder()).toList();
            List<Long> got = new ArrayList<>();
            String page = "/v2/audit?order=" + (ascending ? "asc" : "desc") + "&limit=" + limit + query;
            for (int pages = 0; page != null && pages < 1000; pages++) {
                JsonNode body = admin(page);
                body.get("events").forEach(e -> got.add(e.get("index").asLong()));
                page = body.has("next") ? body.get("next").asText() : null;
            }
            assertEquals(expected, got, "GET /v2/audit?order=" + (ascending ? "asc" : "desc") + "&limit=" + limit + query);
        }
    }

    /** An edge near {@code at}: exactly on it, or a random distance away, cut to whole seconds, millis or micros. */
    Instant window(Instant at, boolean lower) {
        long nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 500_000;
            case 2 -> 1_000;
            default -> random.nextInt(2_000_000_000);
        };
        Instant edge = lower ? at.minusNanos(nanos) : at.plusNanos(nanos);
        ChronoUnit unit = List.of(ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS)
                .get(random.nextInt(4));
        return edge.truncatedTo(unit);
    }
}
