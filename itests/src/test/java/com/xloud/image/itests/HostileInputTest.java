package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attacker sends: path traversal in every id, name and store position, oversized headers
 * and bodies, SQL metacharacters in every filter, odd unicode. Every answer is a 4xx or a correct
 * result: never a 500, never a stack trace, never another project's data, nothing written outside
 * the node's folders.
 */
class HostileInputTest {
    @TempDir
    static Path dir;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TRAVERSALS = List.of("..", "../../etc/passwd", "..%2f..%2fetc%2fpasswd",
            "%2e%2e%2f%2e%2e%2f", "..%5c..%5cwindows", "%00", "a%00b", ".%2e", "%252e%252e%252f",
            "00000000-0000-0000-0000-000000000000%2f..", "'%20OR%20'1'='1");
    static final List<String> SQL = List.of("' OR '1'='1", "\" OR \"\"=\"", "1; DROP TABLE images; --",
            "x' UNION SELECT * FROM images --", "%", "_", "\\", "';--", "\\' OR 1=1 #", "' AND SLEEP(5) --");
    static String secret;

    @BeforeAll
    static void start() throws Exception {
        node = Node.start(dir.resolve("node"));
        // another project's private image, which nothing below may reveal
        HttpResponse<String> r = send("p-victim", "POST", "/v2/images", "{\"name\":\"victim-secret\",\"visibility\":"
                + "\"private\",\"x_secret\":\"s3cr3t\",\"tags\":[\"hidden\"]}");
        assertEquals(201, r.statusCode());
        secret = JSON.readTree(r.body()).get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static HttpResponse<String> send(String project, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = node.request(path).header("X-User-Id", "u-" + project).header("X-Project-Id", project)
                .header("X-Roles", "member");
        if (body != null) {
            b.header("Content-Type", method.equals("PATCH") ? "application/openstack-images-v2.1-json-patch"
                    : method.equals("PUT") && path.endsWith("/file") || path.endsWith("/stage")
                    ? "application/octet-stream" : "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return node.send(b.build());
    }

    /** A raw request line, for paths the JDK client would refuse to send as they are. */
    static int raw(String method, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Project-Id: p-attacker\r\nX-Roles: member"
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    static void harmless(HttpResponse<String> r, String what) {
        assertTrue(r.statusCode() < 500, what + " -> " + r.statusCode() + " " + r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), what + " leaks a stack trace: " + r.body());
        // (an answer may repeat an id the caller sent; it must not show what the image holds)
        assertFalse(r.body().contains("s3cr3t") || r.body().contains("victim-secret"),
                what + " reveals another project's image");
    }

    @Test
    void pathTraversalInEveryPosition() throws Exception {
        String mine = JSON.readTree(send("p-attacker", "POST", "/v2/images", "{\"name\":\"mine\",\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\"}").body()).get("id").asText();
        for (String t : TRAVERSALS) {
            List<String[]> calls = List.of(
                    new String[] {"GET", "/v2/images/" + t},
                    new String[] {"GET", "/v2/images/" + t + "/file"},
                    new String[] {"PUT", "/v2/images/" + t + "/file"},
                    new String[] {"PUT", "/v2/images/" + t + "/stage"},
                    new String[] {"DELETE", "/v2/images/" + t},
                    new String[] {"GET", "/v2/images/" + mine + "/members/" + t},
                    new String[] {"PUT", "/v2/images/" + mine + "/tags/" + t},
                    new String[] {"DELETE", "/v2/stores/" + t + "/" + mine},
                    new String[] {"GET", "/v2/images/" + t + "/history"},
                    new String[] {"PUT", "/v2/cache/" + t},
                    new String[] {"GET", "/v2/tasks/" + t},
                    new String[] {"GET", "/v2/schemas/" + t});
            for (String[] c : calls) {
                int status = raw(c[0], c[1]);
                assertTrue(status >= 400 && status < 500 || status < 300 && c[1].contains("/tags/"),
                        c[0] + " " + c[1] + " -> " + status);
            }
        }
        // a store name and a tag that try to climb out
        HttpResponse<String> up = node.send(node.request("/v2/images/" + mine + "/file")
                .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "../../etc")
                .header("X-Project-Id", "p-attacker").header("X-Roles", "member")
                .PUT(HttpRequest.BodyPublishers.ofString("data")).build());
        assertEquals(400, up.statusCode(), up.body());
        harmless(send("p-attacker", "PUT", "/v2/images/" + mine + "/tags/" + URLEncoder.encode("../../x",
                StandardCharsets.UTF_8), null), "tag with slashes");
        // a web-download of a local file is refused by the URI filter
        String web = JSON.readTree(send("p-attacker", "POST", "/v2/images", "{\"name\":\"w\",\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\"}").body()).get("id").asText();
        HttpResponse<String> local = send("p-attacker", "POST", "/v2/images/" + web + "/import",
                "{\"method\":{\"name\":\"web-download\",\"uri\":\"file:///etc/passwd\"}}");
        assertEquals(400, local.statusCode(), local.body());
        // nothing was written outside the node's folders
        try (var files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("passwd")));
        }
    }

    @Test
    void sqlMetacharactersInEveryFilter() throws Exception {
        List<String> params = List.of("name", "status", "visibility", "owner", "tag", "container_format", "disk_format",
                "member_status", "size_min", "size_max", "id", "x_secret", "sort_key", "sort_dir", "sort", "marker",
                "limit", "created_at", "updated_at", "os_hidden", "protected");
        for (String p : params) {
            for (String v : SQL) {
                for (String value : List.of(v, "in:" + v, "gt:" + v)) {
                    HttpResponse<String> r = send("p-attacker", "GET", "/v2/images?" + p + "="
                            + URLEncoder.encode(value, StandardCharsets.UTF_8), null);
                    harmless(r, p + "=" + value);
                    if (r.statusCode() == 200) {
                        for (JsonNode i : JSON.readTree(r.body()).get("images")) {
                            assertFalse(i.get("id").asText().equals(secret), p + "=" + value);
                        }
                    }
                }
            }
        }
        // and in the audit and bodies
        for (String v : SQL) {
            harmless(send("p-attacker", "GET", "/v2/audit?project=" + URLEncoder.encode(v, StandardCharsets.UTF_8),
                    null), "audit");
            HttpResponse<String> created = send("p-attacker", "POST", "/v2/images", JSON.writeValueAsString(
                    Map.of("name", v, "x_note", v)));
            assertEquals(201, created.statusCode(), created.body());
            JsonNode img = JSON.readTree(created.body());
            assertEquals(v, img.get("name").asText(), "stored as given, not interpreted");
            assertEquals(v, JSON.readTree(send("p-attacker", "GET", "/v2/images/" + img.get("id").asText(), null)
                    .body()).get("x_note").asText());
        }
        // the victim's image is still there, untouched
        assertEquals("victim-secret", JSON.readTree(send("p-victim", "GET", "/v2/images/" + secret, null).body())
                .get("name").asText());
    }

    @Test
    void oversizedHeadersAndBodies() throws Exception {
        // a header larger than the server takes: 431, the node goes on
        int status;
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            s.getOutputStream().write(("GET /v2/images HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String line = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            status = Integer.parseInt(line.substring(9, 12));
        }
        assertTrue(status == 431 || status == 400, "oversized header -> " + status);
        // JSON bodies beyond the limit: 413; deep nesting and huge names: 4xx
        harmless(send("p-attacker", "POST", "/v2/images", "{\"name\":\"" + "n".repeat(120_000) + "\"}"), "huge body");
        assertEquals(413, send("p-attacker", "POST", "/v2/images", "{\"name\":\"" + "n".repeat(120_000) + "\"}")
                .statusCode());
        harmless(send("p-attacker", "POST", "/v2/images", "[".repeat(5000) + "]".repeat(5000)), "deep nesting");
        harmless(send("p-attacker", "POST", "/v2/images", "{\"name\":\"" + "n".repeat(300) + "\"}"), "long name");
        harmless(send("p-attacker", "POST", "/v2/images", "{\"" + "k".repeat(300) + "\":\"v\"}"), "long key");
        harmless(send("p-attacker", "POST", "/v2/images", "{\"name\":"), "truncated JSON");
        harmless(send("p-attacker", "PATCH", "/v2/images/" + secret, "[{\"op\":\"add\",\"path\":\"/x\",\"value\":\""
                + "v".repeat(70_000) + "\"}]"), "huge patch on another project's image");
        assertEquals(200, node.get("/healthcheck").statusCode(), "the node serves on");
    }

    @Test
    void unicodeInNamesPropertiesAndTags() throws Exception {
        List<String> texts = new ArrayList<>(List.of("日本語の名前", "emoji 🚀🔥 four bytes", "עברית RTL \u202e gnp.exe",
                "e\u0301 combining", "zero\u200bwidth", "tab\tand\nnewline", "\"quotes\" and 'apostrophes'", "<script>"));
        for (String t : texts) {
            HttpResponse<String> r = send("p-attacker", "POST", "/v2/images", JSON.writeValueAsString(
                    Map.of("name", t, "x_unicode", t, "tags", List.of(t.replace("\n", " ")))));
            assertEquals(201, r.statusCode(), t + ": " + r.body());
            String id = JSON.readTree(r.body()).get("id").asText();
            JsonNode back = JSON.readTree(send("p-attacker", "GET", "/v2/images/" + id, null).body());
            assertEquals(t, back.get("name").asText());
            assertEquals(t, back.get("x_unicode").asText());
            JsonNode found = JSON.readTree(send("p-attacker", "GET", "/v2/images?name="
                    + URLEncoder.encode(t, StandardCharsets.UTF_8), null).body()).get("images");
            assertEquals(1, found.size(), t);
        }
        // a NUL in a name is refused or kept, never a 500
        harmless(send("p-attacker", "POST", "/v2/images", "{\"name\":\"nul\\u0000byte\"}"), "NUL");
        harmless(send("p-attacker", "POST", "/v2/images", "{\"name\":\"\\ud800 lone surrogate\"}"), "lone surrogate");
        harmless(send("p-attacker", "GET", "/v2/images?name=%ff%fe", null), "invalid UTF-8 in a query");
    }
}
