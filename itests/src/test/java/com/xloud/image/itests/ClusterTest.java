package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes behind HAProxy on one shared MariaDB and one shared Swift, started by
 * {@code haproxy/cluster.sh}: any node serves any request, an import lands on the node that staged
 * the data, concurrent changes on two nodes lose nothing, a node killed mid-stream loses no
 * acknowledged upload and its stalled upload is cleaned up by the other, the killed node rejoins,
 * and a database outage of ten seconds is survived.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    static final int STALL_SECONDS = 5;
    @TempDir
    static Path dir;
    static Cluster cluster;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.up(dir.resolve("cluster"), 2, STALL_SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    static HttpResponse<String> create(String base, String name) throws Exception {
        return cluster.send(cluster.request(base, "/v2/images").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name
                        + "\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}")).build());
    }

    static String id(HttpResponse<String> created) throws Exception {
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("id").asText();
    }

    static int upload(String base, String id, byte[] data) throws Exception {
        return cluster.send(cluster.request(base, "/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build()).statusCode();
    }

    static HttpResponse<byte[]> download(String base, String id) throws Exception {
        return cluster.http.send(cluster.request(base, "/v2/images/" + id + "/file").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode image(String base, String id) throws Exception {
        return JSON.readTree(cluster.send(cluster.request(base, "/v2/images/" + id).GET().build()).body());
    }

    @Test
    @Order(1)
    void anyNodeServesAnyRequestAndHaproxySpreadsThem() throws Exception {
        String id = id(create(cluster.node(1), "made-on-node1"));
        assertEquals("made-on-node1", image(cluster.node(2), id).get("name").asText(), "visible on the next request");
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = cluster.send(cluster.request(cluster.front(), "/v2/images/" + id).GET().build());
            assertEquals(200, r.statusCode());
            servedBy.add(r.headers().firstValue("X-Xloud-Node").orElse("?"));
        }
        assertEquals(Set.of("node1", "node2"), servedBy);
        // the detailed health of a node names both nodes and the shared store
        JsonNode health = JSON.readTree(cluster.send(cluster.request(cluster.node(2), "/v2/x-admin/health").GET()
                .build()).body());
        assertEquals("ok", health.get("status").asText(), health.toString());
        assertEquals(2, health.get("database").get("nodes").size(), health.toString());
        assertTrue(health.get("stores").get(0).get("available").asBoolean(), health.toString());
        assertTrue(health.get("stores").get(0).has("latency_ms"));
        assertEquals(403, cluster.send(cluster.request(cluster.node(2), "/v2/x-admin/health")
                .header("X-Project-Id", "p").header("X-Roles", "member").GET().build()).statusCode());
    }

    @Test
    @Order(2)
    void dataStagedOnOneNodeIsImportedWhenTheImportLandsOnTheOther() throws Exception {
        byte[] data = random(3_000_000, 1);
        String id = id(create(cluster.node(1), "staged-on-node1"));
        HttpResponse<String> staged = cluster.send(cluster.request(cluster.node(1), "/v2/images/" + id + "/stage")
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build());
        assertEquals(204, staged.statusCode(), staged.body());
        HttpResponse<String> imported = cluster.send(cluster.request(cluster.node(2), "/v2/images/" + id + "/import")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":{\"name\":\"glance-direct\"}}")).build());
        assertEquals(202, imported.statusCode(), imported.body());
        JsonNode active = Await.until("the import", Duration.ofSeconds(30), () -> image(cluster.front(), id),
                i -> i.get("status").asText().equals("active") || i.get("status").asText().equals("queued"));
        assertEquals("active", active.get("status").asText(), active.toString());
        assertEquals(md5(data), active.get("checksum").asText());
        assertArrayEquals(data, download(cluster.front(), id).body());
        // node2 forwarded it, node1 ran it: one request id in both logs
        String requestId = imported.headers().firstValue("X-Openstack-Request-Id").orElseThrow();
        assertTrue(java.nio.file.Files.readString(cluster.log(2)).contains(requestId));
        assertTrue(java.nio.file.Files.readString(cluster.log(1)).contains(requestId));
        // the JSON log of node1 has the same line as an object, with its node and request id
        Path json = cluster.dir.resolve("node1/data/logs/xloud.json");
        String line = Await.until("the JSON log line", Duration.ofSeconds(5), () -> java.nio.file.Files
                .readAllLines(json).stream().filter(l -> l.contains(requestId) && l.contains("import task")).findFirst()
                .orElse(null), l -> l != null);
        JsonNode entry = JSON.readTree(line);
        assertEquals("node1", entry.get("context").get("name").asText(), line);
        assertEquals(requestId, entry.get("mdc").get("request_id").asText(), line);
    }

    @Test
    @Order(3)
    void concurrentPatchesOnTwoNodesLoseNothing() throws Exception {
        String id = id(create(cluster.front(), "patched"));
        Map<String, Integer> outcome = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 6; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        String key = "k" + thread + "_" + i;
                        String base = cluster.node(1 + (thread + i) % 2);
                        HttpResponse<String> r = cluster.send(cluster.request(base, "/v2/images/" + id)
                                .header("Content-Type", "application/openstack-images-v2.1-json-patch")
                                .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"add\",\"path\":\"/"
                                        + key + "\",\"value\":\"v\"}]")).build());
                        outcome.put(key, r.statusCode());
                    }
                } catch (Exception e) {
                    outcome.put("error " + e, -1);
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        JsonNode img = image(cluster.front(), id);
        for (var e : outcome.entrySet()) {
            assertTrue(e.getValue() == 200 || e.getValue() == 409, e.toString());
            if (e.getValue() == 200) {
                assertEquals("v", img.path(e.getKey()).asText(), "an acknowledged change is there: " + e.getKey());
            } else {
                assertFalse(img.has(e.getKey()), "a refused change is not: " + e.getKey());
            }
        }
        assertEquals(30, outcome.size());
    }

    /** Sends {@code first} bytes, then waits for {@code release} before sending the rest. */
    static InputStream held(byte[] data, int first, CountDownLatch sent, CountDownLatch release) {
        return new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= data.length) {
                    return -1;
                }
                if (pos >= first) {
                    sent.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int n = Math.min(len, (pos < first ? first : data.length) - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    @Order(4)
    void aNodeKilledMidStreamLosesNothingAcknowledgedAndRejoins() throws Exception {
        // an upload held half way through node1: its image is saving there when node1 dies
        byte[] big = random(6_000_000, 2);
        String stalled = id(create(cluster.front(), "stalled"));
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try {
                cluster.http.send(cluster.request(cluster.node(1), "/v2/images/" + stalled + "/file")
                        .header("Content-Type", "application/octet-stream").header("x-openstack-image-size",
                                Integer.toString(big.length))
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> held(big, 3_000_000, halfSent, release)))
                        .build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception expected) {
                // the node dies under it
            }
        });
        holder.start();
        assertTrue(halfSent.await(30, java.util.concurrent.TimeUnit.SECONDS));
        Await.until("the upload to be saving", Duration.ofSeconds(10),
                () -> image(cluster.front(), stalled).get("status").asText(), "saving"::equals);

        // a stream of uploads and downloads through HAProxy while node1 is killed
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger seed = new AtomicInteger(100);
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            load.add(new Thread(() -> {
                while (running.get()) {
                    try {
                        byte[] data = random(500_000, seed.incrementAndGet());
                        HttpResponse<String> created = create(cluster.front(), "load");
                        if (created.statusCode() != 201) {
                            continue;
                        }
                        String id = JSON.readTree(created.body()).get("id").asText();
                        int status = upload(cluster.front(), id, data);
                        if (status == 204) {
                            acknowledged.put(id, md5(data));
                            HttpResponse<byte[]> back = download(cluster.front(), id);
                            if (back.statusCode() == 200 && !md5(back.body()).equals(md5(data))) {
                                unexpected.add("wrong data for " + id);
                            }
                        } else if (status == 500) {
                            unexpected.add("500 on upload of " + id);
                        }
                    } catch (Exception e) {
                        // a connection cut by the kill: not acknowledged, nothing to check
                    }
                }
            }));
        }
        load.forEach(Thread::start);
        Await.until("some acknowledged uploads", Duration.ofSeconds(30), acknowledged::size, n -> n >= 3);
        cluster.run("kill-node", "1");
        int atKill = acknowledged.size();
        Await.until("uploads acknowledged after the kill", Duration.ofSeconds(30), acknowledged::size,
                n -> n >= atKill + 5);
        running.set(false);
        for (Thread t : load) {
            t.join();
        }
        release.countDown();
        holder.join();
        assertEquals(List.of(), unexpected);

        // every acknowledged upload is there, with its data, through the survivor
        for (var e : acknowledged.entrySet()) {
            HttpResponse<byte[]> d = download(cluster.front(), e.getKey());
            assertEquals(200, d.statusCode(), e.getKey());
            assertEquals(e.getValue(), md5(d.body()), e.getKey());
        }
        // after the stall time node2 puts the stalled upload back to queued and removes its partial data
        JsonNode back = Await.until("the stalled upload to be queued again", Duration.ofSeconds(STALL_SECONDS * 6L),
                () -> image(cluster.front(), stalled), i -> i.get("status").asText().equals("queued"));
        assertEquals("queued", back.get("status").asText());
        JsonNode history = JSON.readTree(cluster.send(cluster.request(cluster.front(), "/v2/images/" + stalled
                + "/history").GET().build()).body()).get("events");
        JsonNode last = history.get(history.size() - 1);
        assertEquals("UploadFailed", last.get("type").asText(), history.toString());
        assertEquals("node2", last.get("node_id").asText(), "the survivor recorded it");
        String objects = Node.cli(dir.resolve("swift-home"), List.of("swift", "-A", cluster.swiftAuth(), "-U",
                "test:tester", "-K", "tester-s3cret", "list", "glance", "--prefix", stalled));
        assertEquals("", objects.strip(), "no partial object or segment is left in Swift");
        // uploads of the load that were streaming through node1 when it died are cleaned up the same way
        Await.until("no image left in saving", Duration.ofSeconds(STALL_SECONDS * 6L), () -> JSON.readTree(
                cluster.send(cluster.request(cluster.front(), "/v2/images?status=saving").GET().build()).body())
                .get("images").size(), n -> n == 0);

        // node1 comes back and HAProxy sends it requests again
        cluster.run("start-node", "1");
        Await.until("node1 to serve through HAProxy", Duration.ofSeconds(30), () -> cluster.send(cluster.request(
                cluster.front(), "/v2/images?limit=1").GET().build()).headers().firstValue("X-Xloud-Node").orElse(""),
                "node1"::equals);
        assertEquals(204, upload(cluster.front(), stalled, big), "the stalled image takes a new upload");
        assertArrayEquals(big, download(cluster.node(1), stalled).body());
    }

    @Test
    @Order(5)
    void aDatabaseOutageOfTenSecondsIsAnsweredWith503AndSurvived() throws Exception {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(id(create(cluster.front(), "before-outage")));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> created = Collections.synchronizedList(new ArrayList<>());
        Thread load = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> r = create(cluster.front(), "during-outage");
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 201) {
                        created.add(JSON.readTree(r.body()).get("id").asText());
                    }
                    HttpResponse<String> list = cluster.send(cluster.request(cluster.front(), "/v2/images?limit=5")
                            .GET().build());
                    statuses.computeIfAbsent(list.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                } catch (Exception e) {
                    statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                }
            }
        });
        load.start();
        try {
            cluster.run("db-stop");
            Instant stopped = Instant.now();
            // a request already inside a node waits for a connection up to db.connection.timeout (10 s)
            Await.until("a 503 while the database is away", Duration.ofSeconds(20),
                    () -> statuses.containsKey(503), seen -> seen);
            Await.until("ten seconds without the database", Duration.ofSeconds(20), Instant::now,
                    now -> now.isAfter(stopped.plusSeconds(10)));
            cluster.run("db-start");
            Instant back = Instant.now();
            Await.until("the nodes to serve again", Duration.ofSeconds(10), () -> cluster.send(cluster.request(
                    cluster.front(), "/v2/images?limit=1").GET().build()).statusCode(), s -> s == 200);
            assertTrue(Duration.between(back, Instant.now()).toSeconds() <= 10);
            int ok = statuses.getOrDefault(201, new AtomicInteger()).get();
            Await.until("creates to succeed again", Duration.ofSeconds(10),
                    () -> statuses.getOrDefault(201, new AtomicInteger()).get(), n -> n > ok);
        } finally {
            running.set(false);
            load.join();
        }
        assertFalse(statuses.containsKey(500), "never a 500: " + statuses);
        for (String id : before) {
            assertEquals(200, cluster.send(cluster.request(cluster.front(), "/v2/images/" + id).GET().build())
                    .statusCode(), "made before the outage: " + id);
        }
        for (String id : List.copyOf(created)) {
            assertEquals(200, cluster.send(cluster.request(cluster.front(), "/v2/images/" + id).GET().build())
                    .statusCode(), "acknowledged: " + id);
        }
    }
}
