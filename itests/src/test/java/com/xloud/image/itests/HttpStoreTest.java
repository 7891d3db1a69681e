package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only http store, deployed into a running file-store node as an add-on bundle: images
 * get an http location through the 2.17 location API, download through the node (whole and
 * ranged, via redirects, from servers that ignore Range), get their digests computed in the
 * background, and keep their data where it is when deleted. A small HTTP server of the test's
 * own serves the data.
 */
class HttpStoreTest {
    @TempDir
    static Path dir;
    static Node node;
    static HttpServer server;
    static String base;
    static int shellPort;
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] DATA = new byte[3_000_000];
    /** Path on the test server to the bytes it serves there; a missing path answers 404. */
    static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();
    /** Method and path of every request the test server got. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        new Random(7).nextBytes(DATA);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", HttpStoreTest::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        shellPort = com.xloud.image.launcher.EmbeddedMariaDb.freePort();
        Path etc = Node.configDir(dir.resolve("etc"), Map.of("com.xloud.image.store.http-web.cfg",
                "store.id = web\nstore.description = Images on web servers\nhttp.io.timeout = 20\n",
                "com.xloud.image.shell.cfg", "shell.socket = ${xloud.data.dir}/shell/shell.sock\nshell.port = "
                        + shellPort + "\n"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString(), "--features", "file-node");
        // the add-on: the HTTP client bundles it needs, then the store, into the running node
        for (String prefix : List.of("jetty-alpn-client-", "jetty-compression-common-", "jetty-client-",
                "com.xloud.image.store.http-")) {
            Path jar = RuntimeStoreTest.bundle(prefix);
            Path tmp = dir.resolve(jar.getFileName() + ".part");
            Files.copy(jar, tmp);
            Files.move(tmp, node.dataDir.resolve("deploy").resolve(jar.getFileName()),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Await.until("the http store to be live", Duration.ofSeconds(5), () -> node.get("/v2/info/stores").body(),
                b -> b.contains("\"web\""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * {@code /plain/..} honours Range, {@code /norange/..} always sends everything, {@code /moved/..}
     * redirects to {@code /plain/..}; every answer has a Content-Length.
     */
    static void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        SEEN.add(x.getRequestMethod() + " " + path);
        try (x) {
            if (path.startsWith("/moved/")) {
                x.getResponseHeaders().add("Location", base + "/plain/" + path.substring("/moved/".length()));
                x.sendResponseHeaders(302, -1);
                return;
            }
            byte[] body = FILES.get(path.replaceFirst("^/(plain|norange)/", "/"));
            if (body == null || !x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(body == null ? 404 : 405, -1);
                return;
            }
            int from = 0;
            int to = body.length - 1;
            String range = x.getRequestHeaders().getFirst("Range");
            int status = 200;
            if (range != null && path.startsWith("/plain/")) {
                String[] r = range.substring("bytes=".length()).split("-", -1);
                from = Integer.parseInt(r[0]);
                to = r[1].isEmpty() ? body.length - 1 : Math.min(Integer.parseInt(r[1]), body.length - 1);
                status = 206;
                x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
            }
            int length = to - from + 1;
            x.getResponseHeaders().add("Content-Length", String.valueOf(length));
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(status, -1);
                return;
            }
            x.sendResponseHeaders(status, length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body, from, length);
            }
        }
    }

    static HttpRequest.Builder as(String project, String path, String... roles) {
        return node.request(path).header("X-User-Id", "user-" + project).header("X-Project-Id", project)
                .header("X-Roles", roles.length == 0 ? "member" : String.join(",", roles));
    }

    static String create(String project) throws Exception {
        HttpResponse<String> r = node.send(as(project, "/v2/images").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"on the web\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}")).build());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> addLocation(String project, String id, String body) throws Exception {
        return node.send(as(project, "/v2/images/" + id + "/locations").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode image(String id) throws Exception {
        return JSON.readTree(node.get("/v2/images/" + id).body());
    }

    static HttpResponse<byte[]> download(String project, String id, String range) throws Exception {
        HttpRequest.Builder b = as(project, "/v2/images/" + id + "/file");
        if (range != null) {
            b.header("Range", range);
        }
        return node.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    @Test
    void theStoreIsListedReadOnlyWithItsBundle() throws Exception {
        JsonNode web = null;
        for (JsonNode s : JSON.readTree(node.get("/v2/info/stores").body()).get("stores")) {
            if (s.get("id").asText().equals("web")) {
                web = s;
            }
        }
        assertTrue(web != null);
        assertEquals("true", web.get("read-only").asText(), web.toString());
        assertEquals("Images on web servers", web.get("description").asText());
        for (JsonNode s : JSON.readTree(node.get("/v2/info/stores/detail").body()).get("stores")) {
            if (s.get("id").asText().equals("web")) {
                assertEquals("http", s.get("type").asText());
                assertTrue(s.get("bundle").asText().startsWith("com.xloud.image.store.http 0.1.0"), s.toString());
                assertEquals(20, s.get("properties").get("io_timeout").asInt(), s.toString());
            }
        }
        // uploads cannot go there
        String id = create("p1");
        HttpResponse<String> up = node.send(as("p1", "/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream").header("X-Image-Meta-Store", "web")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build());
        assertEquals(400, up.statusCode(), up.body());
        assertEquals("queued", node.status(id));
    }

    @Test
    void anImageAtAUrlIsActiveAtOnceDownloadsAndGetsItsDigestsInTheBackground() throws Exception {
        FILES.put("/images/one.raw", DATA);
        String id = create("p1");
        HttpResponse<String> added = addLocation("p1", id, "{\"url\":\"" + base + "/plain/images/one.raw\"}");
        assertEquals(202, added.statusCode(), added.body());
        JsonNode img = image(id);
        assertEquals("active", img.get("status").asText());
        assertEquals(DATA.length, img.get("size").asLong());
        assertEquals("web", img.get("stores").asText());

        // the digests follow, computed from one read of the data
        JsonNode hashed = Await.until("the digests", Duration.ofSeconds(20), () -> image(id),
                i -> !i.get("checksum").isNull());
        assertEquals(hex("MD5", DATA), hashed.get("checksum").asText());
        assertEquals("sha512", hashed.get("os_hash_algo").asText());
        assertEquals(hex("SHA-512", DATA), hashed.get("os_hash_value").asText());

        HttpResponse<byte[]> whole = download("p1", id, null);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(DATA, whole.body());
        assertEquals(hex("MD5", DATA), whole.headers().firstValue("Content-MD5").orElse(""));
        HttpResponse<byte[]> part = download("p1", id, "bytes=1000-200999");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(DATA, 1000, 201_000), part.body());
        assertTrue(SEEN.stream().anyMatch(s -> s.equals("HEAD /plain/images/one.raw")), SEEN.toString());

        // the history says who attached it and that the digests came later
        JsonNode history = JSON.readTree(node.get("/v2/images/" + id + "/history").body()).get("events");
        List<String> types = new java.util.ArrayList<>();
        history.forEach(e -> types.add(e.get("type").asText()));
        assertTrue(types.containsAll(List.of("ImageCreated", "ImageDataStored", "ImageActivated", "ImageHashed")),
                types.toString());

        // admins and the service role (Nova and Cinder, on the owner's behalf) may list the locations; the owner alone may not
        assertEquals(403, node.send(as("p1", "/v2/images/" + id + "/locations").GET().build()).statusCode());
        JsonNode locations = JSON.readTree(node.send(as("p1", "/v2/images/" + id + "/locations", "member", "service")
                .GET().build()).body());
        assertEquals(base + "/plain/images/one.raw", locations.get(0).get("url").asText());
        assertEquals("web", locations.get(0).get("metadata").get("store").asText());

        // a second location on an active image: 409
        assertEquals(409, addLocation("p1", id, "{\"url\":\"" + base + "/plain/images/one.raw\"}").statusCode());

        // deleting the image forgets the URL; the data stays on its server, no one sent it a DELETE
        assertEquals(204, node.send(as("p1", "/v2/images/" + id).DELETE().build()).statusCode());
        assertFalse(SEEN.stream().anyMatch(s -> s.startsWith("DELETE")), SEEN.toString());
        assertTrue(FILES.containsKey("/images/one.raw"));
    }

    @Test
    void redirectsAndServersThatIgnoreRangeAreServedRight() throws Exception {
        byte[] data = Arrays.copyOf(DATA, 500_000);
        FILES.put("/images/two.raw", data);
        String moved = create("p2");
        assertEquals(202, addLocation("p2", moved, "{\"url\":\"" + base + "/moved/images/two.raw\"}").statusCode());
        assertEquals(data.length, image(moved).get("size").asLong());
        assertArrayEquals(data, download("p2", moved, null).body());

        String plain = create("p2");
        assertEquals(202, addLocation("p2", plain, "{\"url\":\"" + base + "/norange/images/two.raw\"}").statusCode());
        HttpResponse<byte[]> tail = download("p2", plain, "bytes=499000-");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 499_000, 500_000), tail.body());
    }

    @Test
    void validationDataIsCheckedAndKept() throws Exception {
        FILES.put("/images/three.raw", DATA);
        String url = base + "/plain/images/three.raw";
        String id = create("p3");
        String sha512 = hex("SHA-512", DATA);
        assertEquals(400, addLocation("p3", id, "{\"url\":\"" + url + "\",\"validation_data\":{\"os_hash_algo\":"
                + "\"sha256\",\"os_hash_value\":\"" + hex("SHA-256", DATA) + "\"}}").statusCode());
        assertEquals(400, addLocation("p3", id, "{\"url\":\"" + url + "\",\"validation_data\":{\"os_hash_algo\":"
                + "\"sha512\",\"os_hash_value\":\"abc\"}}").statusCode());
        assertEquals(400, addLocation("p3", id, "{\"url\":\"" + url + "\",\"validation_data\":{\"os_hash_algo\":"
                + "\"sha512\"}}").statusCode());
        assertEquals("queued", node.status(id), "a refused location changes nothing");
        HttpResponse<String> ok = addLocation("p3", id, "{\"url\":\"" + url + "\",\"validation_data\":{\"os_hash_algo\":"
                + "\"sha512\",\"os_hash_value\":\"" + sha512.toUpperCase() + "\"}}");
        assertEquals(202, ok.statusCode(), ok.body());
        JsonNode img = image(id);
        assertEquals("active", img.get("status").asText());
        assertEquals(sha512, img.get("os_hash_value").asText());
        assertTrue(img.get("checksum").isNull(), "Glance's 2.17 validation data carries no md5");
    }

    @Test
    void badLocationsAnswer4xxAndLeaveTheImageQueued() throws Exception {
        String id = create("p4");
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"url\":\"" + base + "/plain/images/missing.raw\"}", 400);      // 404 on HEAD
        cases.put("{\"url\":\"ftp://127.0.0.1/images/x.raw\"}", 400);               // no store serves ftp
        cases.put("{\"url\":\"not a url\"}", 400);
        cases.put("{\"url\":42}", 400);
        cases.put("{}", 400);
        cases.put("[]", 400);
        cases.put("{\"url\":\"" + base + "/plain/x\",\"extra\":1}", 400);
        cases.put("{\"url\":\"http://user:secret@127.0.0.1/x\"}", 400);
        cases.put("{\"url\":\"http://127.0.0.1:1/nothing-listens-here\"}", 400);
        // a location in a writable store: admins and services only
        cases.put("{\"url\":\"file://" + node.dataDir.resolve("images").resolve("00000000-0000-0000-0000-000000000000")
                + "\"}", 403);
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = addLocation("p4", id, c.getKey());
            assertEquals(c.getValue(), r.statusCode(), c.getKey() + " -> " + r.body());
            assertFalse(r.body().contains("Exception"), r.body());
        }
        // someone else's image: 404 (it stays hidden)
        assertEquals(404, addLocation("p5", id, "{\"url\":\"" + base + "/plain/images/one.raw\"}").statusCode());
        assertEquals("queued", node.status(id));
        assertEquals(404, addLocation("p4", "00000000-0000-0000-0000-000000000001",
                "{\"url\":\"" + base + "/plain/images/one.raw\"}").statusCode());
    }

    @Test
    void dataGoneFromItsServerAnswers503() throws Exception {
        FILES.put("/images/four.raw", Arrays.copyOf(DATA, 1000));
        String id = create("p6");
        assertEquals(202, addLocation("p6", id, "{\"url\":\"" + base + "/plain/images/four.raw\","
                + "\"validation_data\":{\"os_hash_algo\":\"sha512\",\"os_hash_value\":\""
                + hex("SHA-512", Arrays.copyOf(DATA, 1000)) + "\"}}").statusCode());
        assertEquals(200, download("p6", id, null).statusCode());
        FILES.remove("/images/four.raw");
        HttpResponse<byte[]> gone = download("p6", id, null);
        assertEquals(503, gone.statusCode());
        assertTrue(new String(gone.body()).contains("Store unavailable"), new String(gone.body()));
    }

    /** Sends one command line to a Gogo session and returns its answer (the text before the next prompt). */
    static String shell(java.nio.channels.SocketChannel channel, String command) throws IOException {
        channel.write(java.nio.ByteBuffer.wrap((command + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return untilPrompt(channel);
    }

    static String untilPrompt(java.nio.channels.SocketChannel channel) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
        while (!got.toString(java.nio.charset.StandardCharsets.UTF_8).endsWith("g! ")) {
            buf.clear();
            if (channel.read(buf) < 0) {
                break;
            }
            got.write(buf.array(), 0, buf.position());
        }
        String s = got.toString(java.nio.charset.StandardCharsets.UTF_8);
        return s.endsWith("g! ") ? s.substring(0, s.length() - 3) : s;
    }

    @Test
    void theGogoShellOnTheLocalSocketListsBundlesComponentsAndLiveStores() throws Exception {
        Path socket = node.dataDir.resolve("shell/shell.sock");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket.getParent())), "only the node's user may reach the socket");
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(socket))) {
            assertEquals("", untilPrompt(ch));
            String bundles = shell(ch, "lb -s");
            assertTrue(bundles.lines().anyMatch(l -> l.contains("Active") && l.contains("com.xloud.image.store.http ")),
                    bundles);
            assertTrue(bundles.lines().anyMatch(l -> l.contains("Active") && l.contains("com.xloud.image.core ")),
                    bundles);
            String components = shell(ch, "scr:list");
            assertTrue(components.contains("com.xloud.image.store.http.internal.HttpImageStore"), components);
            assertTrue(components.contains("com.xloud.image.core.internal.EventSourcedImageService"), components);
            String stores = shell(ch, "xloud:stores");
            assertTrue(stores.lines().anyMatch(l -> l.startsWith("web ") && l.contains(" http ")
                    && l.contains("read-only") && l.contains(" up ") && l.contains("com.xloud.image.store.http 0.1.0")),
                    stores);
            assertTrue(stores.lines().anyMatch(l -> l.startsWith("file ") && l.contains("default")), stores);
            String services = shell(ch, "xloud:services");
            assertTrue(services.contains("com.xloud.image.api.store.ImageStore"), services);
            assertTrue(shell(ch, "no-such-command").startsWith("error: Command not found"));
        }
        // the same through ./xloud shell, and on the loopback port
        Process p = new ProcessBuilder(Node.HOME.resolve("xloud").toString(), "shell", "--data-dir",
                node.dataDir.toString(), "xloud:stores").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("web ") && out.contains("2 store(s)"), out);
        try (java.nio.channels.SocketChannel tcp = java.nio.channels.SocketChannel.open(
                new InetSocketAddress("127.0.0.1", shellPort))) {
            untilPrompt(tcp);
            assertTrue(shell(tcp, "lb").contains("Apache Felix Gogo Runtime"));
        }
    }
}
