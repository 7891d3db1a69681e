package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Bodies as a broken or hostile client sends them, on every route that reads one: cut short with
 * a longer Content-Length, chunked with a bad chunk size or without the last chunk, declared
 * shorter than they are, or written in many small pieces. A broken body is a 400 with Glance's
 * error body and changes nothing; a body in pieces is the same request as a whole one; never a
 * 5xx, never an ERROR in the log. Clients that go away mid-answer are no errors either.
 */
class CutBodiesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OWNER = "p-cut";
    static final String MEMBER = "p-cut-member";
    /** A line of the node's log at ERROR, or a stack trace line. */
    static final Pattern ERROR_LINE = Pattern.compile("(?m)^\\S+ \\S+ ERROR |^\\s+at [a-z]");
    static Path dir;
    static Node node;

    enum Route {
        CREATE("POST", "/v2/images", OWNER, "application/json", "{\"name\":\"cut\",\"tags\":[\"a\",\"b\"],\"x_k\":\"v\"}"),
        PATCH("PATCH", "/v2/images/{id}", OWNER, "application/openstack-images-v2.1-json-patch",
                "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"},{\"op\":\"add\",\"path\":\"/x_new\",\"value\":\"n\"}]"),
        ADD_MEMBER("POST", "/v2/images/{id}/members", OWNER, "application/json", "{\"member\":\"p-cut-other\"}"),
        MEMBER_STATUS("PUT", "/v2/images/{id}/members/" + MEMBER, MEMBER, "application/json", "{\"status\":\"accepted\"}"),
        IMPORT("POST", "/v2/images/{id}/import", OWNER, "application/json", "{\"method\":{\"name\":\"glance-direct\"}}"),
        LOCATION("POST", "/v2/images/{id}/locations", OWNER, "application/json", "{\"url\":\"http://127.0.0.1:9/x\"}"),
        TASK("POST", "/v2/tasks", OWNER, "application/json",
                "{\"type\":\"import\",\"input\":{\"import_from\":\"http://127.0.0.1:9/x\"}}"),
        UPLOAD("PUT", "/v2/images/{id}/file", OWNER, "application/octet-stream", "0123456789".repeat(400)),
        STAGE("PUT", "/v2/images/{id}/stage", OWNER, "application/octet-stream", "abcdefghij".repeat(400));

        final String method;
        final String path;
        final String caller;
        final String type;
        final byte[] body;

        Route(String method, String path, String caller, String type, String body) {
            this.method = method;
            this.path = path;
            this.caller = caller;
            this.type = type;
            this.body = body.getBytes(StandardCharsets.UTF_8);
        }

        boolean data() {
            return this == UPLOAD || this == STAGE;
        }
    }

    enum Damage { LONGER_LENGTH, BAD_CHUNK_SIZE, NO_LAST_CHUNK, SHORTER_LENGTH, IN_PIECES }

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("xloud-cut-bodies");
        node = Node.start(dir.resolve("node"));
    }

    @AfterContainer
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        ScratchDir.delete(dir);
    }

    static HttpResponse<String> as(String project, HttpRequest.Builder b) throws Exception {
        return node.send(b.header("X-User-Id", "u-" + project).header("X-Project-Id", project)
                .header("X-Roles", "member,reader").build());
    }

    /** A fresh queued image of OWNER, shared with MEMBER. */
    static String freshImage() throws Exception {
        HttpResponse<String> r = as(OWNER, node.request("/v2/images").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"fixture\",\"visibility\":\"shared\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}")));
        assertEquals(201, r.statusCode(), r.body());
        String id = JSON.readTree(r.body()).get("id").asText();
        r = as(OWNER, node.request("/v2/images/" + id + "/members").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"member\":\"" + MEMBER + "\"}")));
        assertEquals(200, r.statusCode(), r.body());
        return id;
    }

    static long lastEvent() throws Exception {
        JsonNode events = JSON.readTree(node.get("/v2/audit?order=desc&limit=1").body()).get("events");
        return events.isEmpty() ? 0 : events.get(0).get("index").asLong();
    }

    static String head(Route route, String path, String framing) {
        return route.method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-User-Id: u-" + route.caller
                + "\r\nX-Project-Id: " + route.caller + "\r\nX-Roles: member,reader\r\nContent-Type: " + route.type
                + "\r\nAccept: application/json\r\nConnection: close\r\n" + framing + "\r\n";
    }

    static List<byte[]> damaged(Route route, String path, Damage damage, int cut, int extra) {
        byte[] body = route.body;
        int at = Math.min(cut, body.length - 1);
        List<byte[]> pieces = new ArrayList<>();
        switch (damage) {
            case LONGER_LENGTH -> {
                pieces.add(head(route, path, "Content-Length: " + (body.length + extra) + "\r\n").getBytes(StandardCharsets.UTF_8));
                pieces.add(java.util.Arrays.copyOf(body, at));
            }
            case SHORTER_LENGTH -> {
                pieces.add(head(route, path, "Content-Length: " + at + "\r\n").getBytes(StandardCharsets.UTF_8));
                pieces.add(body);
            }
            case BAD_CHUNK_SIZE -> {
                pieces.add(head(route, path, "Transfer-Encoding: chunked\r\n").getBytes(StandardCharsets.UTF_8));
                pieces.add((Integer.toHexString(at) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                pieces.add(java.util.Arrays.copyOf(body, at));
                // a size that is no hexadecimal number, or one larger than what follows before the end
                pieces.add((extra % 2 == 0 ? "\r\nzz\r\n" : "\r\n" + Integer.toHexString(body.length + extra) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                pieces.add(java.util.Arrays.copyOfRange(body, at, body.length));
            }
            case NO_LAST_CHUNK -> {
                pieces.add(head(route, path, "Transfer-Encoding: chunked\r\n").getBytes(StandardCharsets.UTF_8));
                pieces.add((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                pieces.add(body);
                pieces.add("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            case IN_PIECES -> {
                pieces.add(head(route, path, "Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                int step = Math.max(1, extra);
                for (int i = 0; i < body.length; i += step) {
                    pieces.add(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + step)));
                }
            }
        }
        return pieces;
    }

    @Property(tries = 150, seed = Texts.SEED)
    void brokenBodiesAre400sThatChangeNothing(@ForAll Route route, @ForAll Damage damage,
                                              @ForAll @IntRange(min = 0, max = 5000) int cut,
                                              @ForAll @IntRange(min = 1, max = 40) int extra) throws Exception {
        String id = freshImage();
        String path = route.path.replace("{id}", id);
        String before = node.get("/v2/images/" + id).body();
        long eventsBefore = lastEvent();
        RawHttp.Answer answer = RawHttp.send(node.port, damaged(route, path, damage, cut, extra),
                damage != Damage.IN_PIECES);
        String what = route + " " + damage + " cut " + cut + " extra " + extra + " -> " + answer.head() + "\n" + answer.body();
        assertTrue(answer.status() > 0 && answer.status() < 500, what);

        if (damage == Damage.IN_PIECES || damage == Damage.SHORTER_LENGTH && route.data()) {
            // a whole body (or a shorter one the client declared) is a request like any other:
            // the same answer as the same request sent at once to a twin image
            String twin = freshImage();
            HttpRequest.Builder same = node.request(route.path.replace("{id}", twin)).header("Content-Type", route.type)
                    .method(route.method, HttpRequest.BodyPublishers.ofByteArray(damage == Damage.IN_PIECES ? route.body
                            : java.util.Arrays.copyOf(route.body, Math.min(cut, route.body.length - 1))));
            assertEquals(as(route.caller, same).statusCode(), answer.status(), what);
            return;
        }
        assertEquals(400, answer.status(), what);
        assertTrue(JSON.readTree(answer.body()).get("message").asText().length() > 0, what);
        JsonNode after = JSON.readTree(node.get("/v2/images/" + id).body());
        if (route.data()) {
            // the failed transfer is recorded, and the image is as it was: queued, without data
            assertEquals("queued", after.get("status").asText(), what);
            assertTrue(after.get("size").isNull(), what);
        } else {
            assertEquals(JSON.readTree(before), after, what);
            assertEquals(eventsBefore, lastEvent(), "no event for " + what);
        }
        assertFalse(ERROR_LINE.matcher(node.output()).find(), "an ERROR in the log after " + what);
    }

    /** A URI Jersey cannot read (a stray or broken percent escape): 400 with a message, and nothing in the log. */
    @Example
    void malformedUrisAre400sWithoutNoise() throws Exception {
        for (String target : List.of("/v2/images?name=%zz", "/v2/images?limit=%", "/v2/images/%G1", "/v2/audit?since=%E2%28",
                "/v2/images?name=a|b")) {
            RawHttp.Answer a = RawHttp.send(node.port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close"
                    + "\r\n\r\n", new byte[0], false);
            assertEquals(400, a.status(), target + " -> " + a.head());
            // JSON as asked; a request line Jetty cannot parse at all gets plain text (its headers are unread)
            assertTrue(a.head().contains("application/json") ? JSON.readTree(a.body()).get("message").asText().length() > 0
                    : a.body().startsWith("400 Bad Request\n\n"), a.head() + "\n" + a.body());
        }
        assertFalse(node.output().contains("URISyntaxException"), node.output());
        assertFalse(ERROR_LINE.matcher(node.output()).find(), node.output());
    }

    /**
     * A request refused by its headers before its body is read: a small body that arrived with the
     * head is dropped and the connection takes the next request; a body still to come (late, large or
     * chunked, or after a malformed URI) gets {@code Connection: close} in the answer, so no client
     * sends its next request on a connection the server is closing.
     */
    @Example
    void answersBeforeTheBodyKeepTheConnectionOrSayItCloses() throws Exception {
        String tooLong = "X-Project-Id: " + "p".repeat(300) + "\r\nX-Roles: member\r\n";
        String refusedCreate = "POST /v2/images HTTP/1.1\r\nHost: 127.0.0.1\r\n" + tooLong
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write((refusedCreate + "{}").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String first = oneAnswer(s.getInputStream());
            assertTrue(first.startsWith("HTTP/1.1 400 ") && first.contains("too long"), first);
            assertFalse(first.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close"), first);
            s.getOutputStream().write("GET /versions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String second = oneAnswer(s.getInputStream());
            assertTrue(second.startsWith("HTTP/1.1 300 ") || second.startsWith("HTTP/1.1 200 "), second);
        }
        for (String head : List.of(refusedCreate,
                "PUT /v2/images/" + freshImage() + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\n" + tooLong
                        + "Content-Type: application/octet-stream\r\nContent-Length: 10000000\r\n\r\n",
                "POST /v2/images HTTP/1.1\r\nHost: 127.0.0.1\r\n" + tooLong
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST /v2/images?name=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Roles: member\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n")) {
            try (Socket s = new Socket("127.0.0.1", node.port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                String answer = oneAnswer(s.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), answer);
            }
        }
        assertFalse(ERROR_LINE.matcher(node.output()).find(), node.output());
    }

    /** Reads one answer (its head and a chunked or counted body) from a kept-alive connection. */
    static String oneAnswer(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "closed without an answer: " + got.toString(StandardCharsets.ISO_8859_1);
            }
            got.write(b);
        }
        String head = got.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
        if (length.find()) {
            return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        }
        if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            while (true) {
                StringBuilder line = new StringBuilder();
                for (int b; (b = in.read()) != '\n'; ) {
                    if (b < 0) {
                        return head + body.toString(StandardCharsets.UTF_8);
                    }
                    line.append((char) b);
                }
                int size = Integer.parseInt(line.toString().trim(), 16);
                body.write(in.readNBytes(size));
                in.readNBytes(2);
                if (size == 0) {
                    return head + body.toString(StandardCharsets.UTF_8);
                }
            }
        }
        return head;
    }

    /**
     * An upload reset by its client, and downloads whose clients close the connection: the upload
     * fails cleanly (queued again), and the log tells it at INFO without a stack trace.
     */
    @Example
    void clientsThatGoAwayAreNoErrors() throws Exception {
        String id = freshImage();
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            OutputStream out = s.getOutputStream();
            out.write(head(Route.UPLOAD, "/v2/images/" + id + "/file", "Content-Length: 100000000\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(new byte[1 << 20]);
            out.flush();
            s.setSoLinger(true, 0); // close with a reset, as a killed client does
        }
        Await.until("the reset upload back in queued", Duration.ofSeconds(30), () -> node.status(id), "queued"::equals);

        String big = freshImage();
        HttpResponse<String> r = as(OWNER, node.request("/v2/images/" + big + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[32 << 20])));
        assertEquals(204, r.statusCode(), r.body());
        for (int i = 0; i < 8; i++) {
            try (Socket s = new Socket("127.0.0.1", node.port)) {
                s.getOutputStream().write(("GET /v2/images/" + big + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                in.readNBytes(64 << 10);
                s.setSoLinger(true, 0);
            }
        }
        Await.until("the node says the clients went away", Duration.ofSeconds(30), node::output,
                out -> out.contains("went away"));
        assertFalse(ERROR_LINE.matcher(node.output()).find(), node.output());
    }
}
