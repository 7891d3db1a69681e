package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image cache of one node (cache folder under its data dir, 30 MB at most): fills, hits
 * (shown by the metrics and by a download that works with the store's copy gone), one fill for
 * concurrent downloads, a corrupted fill never served, pruning, invalidation, and the cache API
 * with each of its answers, also through the glance client.
 */
class CacheTest {
    static final long MAX = 30_000_000;
    @TempDir
    static Path dir;
    static Node node;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path etc = Node.configDir(dir.resolve("etc"), Map.of("com.xloud.image.cache.cfg",
                "image.cache.dir = ${xloud.data.dir}/cache\nimage.cache.max.size = " + MAX
                        + "\nimage.cache.prefetcher.interval = 3\n"));
        node = Node.start(dir.resolve("node"), "--config-dir", etc.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    static String image(byte[] data) throws Exception {
        HttpResponse<String> r = node.postJson("/v2/images",
                "{\"name\":\"cached\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
        String id = JSON.readTree(r.body()).get("id").asText();
        HttpResponse<String> up = node.send(node.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        assertEquals(204, up.statusCode(), up.body());
        return id;
    }

    static HttpResponse<byte[]> download(String id, String range) throws Exception {
        HttpRequest.Builder b = node.request("/v2/images/" + id + "/file");
        if (range != null) {
            b.header("Range", range);
        }
        return node.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** One value of the node's /metrics (a sample without labels), 0 when absent. */
    static double metric(String name) throws Exception {
        for (String line : node.get("/metrics").body().lines().toList()) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        return 0;
    }

    static JsonNode state() throws Exception {
        return JSON.readTree(node.get("/v2/cache").body());
    }

    static boolean cached(String id) throws Exception {
        for (JsonNode c : state().get("cached_images")) {
            if (c.get("image_id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    static Path storeFile(String id) {
        return node.dataDir.resolve("images").resolve(id);
    }

    @Test
    void theFirstDownloadFillsTheSecondIsAHitEvenWithTheStoreCopyGone() throws Exception {
        byte[] data = random(8_000_000, 1);
        String id = image(data);
        double hits = metric("xloud_cache_hits_total");
        double fills = metric("xloud_cache_fills_total");
        HttpResponse<byte[]> first = download(id, null);
        assertArrayEquals(data, first.body());
        assertEquals(md5(data), first.headers().firstValue("Content-MD5").orElse(""));
        assertEquals(fills + 1, metric("xloud_cache_fills_total"));
        assertTrue(cached(id));

        // the store's copy goes: the cache still serves the image, whole and in ranges
        Files.delete(storeFile(id));
        assertArrayEquals(data, download(id, null).body());
        HttpResponse<byte[]> part = download(id, "bytes=100-199");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), part.body());
        assertEquals(hits + 2, metric("xloud_cache_hits_total"));
        assertTrue(metric("xloud_cache_served_bytes_total") >= data.length + 100);
        JsonNode entry = null;
        for (JsonNode c : state().get("cached_images")) {
            if (c.get("image_id").asText().equals(id)) {
                entry = c;
            }
        }
        assertEquals(data.length, entry.get("size").asLong());
        assertEquals(2, entry.get("hits").asLong());
        assertTrue(entry.get("last_accessed").asDouble() >= entry.get("last_modified").asDouble());
        assertTrue(node.get("/metrics").body().contains("http_server_requests_seconds_count{method=\"GET\","
                + "route=\"/v2/images/{id}/file\",status=\"200\"}"), "requests are counted per route");

        // deleting the image drops it from the cache
        assertEquals(204, node.send(node.request("/v2/images/" + id).DELETE().build()).statusCode());
        assertFalse(cached(id));
    }

    @Test
    void concurrentDownloadsOfAnUncachedImageMakeOneFill() throws Exception {
        byte[] data = random(12_000_000, 2);
        String id = image(data);
        double fills = metric("xloud_cache_fills_total");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> sums = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sums.add(pool.submit((Callable<String>) () -> md5(download(id, null).body())));
            }
            for (Future<String> f : sums) {
                assertEquals(md5(data), f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(fills + 1, metric("xloud_cache_fills_total"), "one fill, not four");
        assertTrue(cached(id));
        uncache(id);
    }

    static void uncache(String id) throws Exception {
        assertEquals(204, node.send(node.request("/v2/cache/" + id).DELETE().build()).statusCode());
        assertFalse(cached(id));
    }

    @Test
    void dataThatDoesNotMatchTheChecksumIsNeverCached() throws Exception {
        byte[] data = random(2_000_000, 3);
        String id = image(data);
        // the stored copy rots (same size, one bit): the fill sees the wrong md5
        byte[] rotten = data.clone();
        rotten[1_000_000] ^= 1;
        Files.write(storeFile(id), rotten);
        double failures = metric("xloud_cache_fill_failures_total");
        download(id, null);
        assertEquals(failures + 1, metric("xloud_cache_fill_failures_total"));
        assertFalse(cached(id));
        Files.write(storeFile(id), data);
        assertArrayEquals(data, download(id, null).body(), "still read from the store, never from a bad entry");
        assertTrue(cached(id), "the good copy fills it");
        JsonNode cleaned = JSON.readTree(node.send(node.request("/v2/cache/clean")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).body());
        assertTrue(cleaned.get("cleaned_images").asInt() >= 1, cleaned.toString());
        uncache(id);
    }

    @Test
    void theCacheStaysWithinItsSizeLeastRecentlyUsedFirst() throws Exception {
        String a = image(random(12_000_000, 4));
        String b = image(random(12_000_000, 5));
        String c = image(random(12_000_000, 6));
        download(a, null);
        download(b, null);
        download(a, "bytes=0-0"); // a is now more recent than b
        download(c, null);
        assertTrue(cached(a));
        assertFalse(cached(b), "the least recently used went");
        assertTrue(cached(c));
        assertTrue(metric("xloud_cache_size_bytes") <= MAX);
        JsonNode pruned = JSON.readTree(node.send(node.request("/v2/cache/prune")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).body());
        assertEquals(0, pruned.get("total_files_pruned").asInt(), "nothing left to prune");
        assertEquals(0, pruned.get("total_bytes_pruned").asLong());
        uncache(a);
        uncache(c);
    }

    @Test
    void theCacheApiQueuesPrefetchesAndClearsWithGlancesAnswers() throws Exception {
        byte[] data = random(3_000_000, 7);
        String id = image(data);
        // admins only
        HttpRequest.Builder member = node.request("/v2/cache").header("X-Project-Id", "p1").header("X-Roles", "member");
        assertEquals(403, node.send(member.GET().build()).statusCode());
        // queue: 202, listed as queued (Tempest checks this at once), cached when the prefetcher runs
        assertEquals(202, node.send(node.request("/v2/cache/" + id).PUT(HttpRequest.BodyPublishers.noBody())
                .build()).statusCode());
        assertEquals(List.of(id), ids(state().get("queued_images")));
        assertFalse(cached(id));
        Await.until("the prefetch", Duration.ofSeconds(20), () -> cached(id), done -> done);
        assertEquals(0, state().get("queued_images").size());
        // unknown image 404, image without data 400
        assertEquals(404, node.send(node.request("/v2/cache/00000000-0000-0000-0000-000000000000")
                .PUT(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        String queued = JSON.readTree(node.postJson("/v2/images", "{\"name\":\"empty\"}").body()).get("id").asText();
        assertEquals(400, node.send(node.request("/v2/cache/" + queued).PUT(HttpRequest.BodyPublishers.noBody())
                .build()).statusCode());
        // clear: a bad target 400, cache / queue / both 204
        assertEquals(400, node.send(node.request("/v2/cache").header("x-image-cache-clear-target", "all")
                .DELETE().build()).statusCode());
        assertEquals(204, node.send(node.request("/v2/cache").header("x-image-cache-clear-target", "queue")
                .DELETE().build()).statusCode());
        assertTrue(cached(id), "clearing the queue keeps the cache");
        assertEquals(204, node.send(node.request("/v2/cache").header("x-image-cache-clear-target", "cache")
                .DELETE().build()).statusCode());
        assertFalse(cached(id));
        assertEquals(204, node.send(node.request("/v2/cache").DELETE().build()).statusCode());
        // which nodes cache an image: Glance's answer for a cache whose index is per node
        assertEquals(409, node.get("/v2/cache/nodes/" + id).statusCode());

        // the glance client: cache-queue, cache-list, cache-delete
        Path home = dir.resolve("glance-home");
        node.glance(home, "cache-queue", id);
        Await.until("the prefetch", Duration.ofSeconds(20), () -> cached(id), done -> done);
        String list = node.glance(home, "cache-list");
        assertTrue(list.contains(id) && list.contains("cached"), list);
        node.glance(home, "cache-delete", id);
        assertFalse(cached(id));
    }

    @Test
    void deactivatingAnImageDropsItFromTheCache() throws Exception {
        byte[] data = random(1_000_000, 8);
        String id = image(data);
        download(id, null);
        assertTrue(cached(id));
        assertEquals(204, node.send(node.request("/v2/images/" + id + "/actions/deactivate")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode());
        assertFalse(cached(id));
        // an admin still downloads it, from the store, and it is not cached again while deactivated
        assertArrayEquals(data, download(id, null).body());
        assertFalse(cached(id));
    }

    @Test
    void theVersionDocumentSaysTheCacheApiIsThere() throws Exception {
        JsonNode versions = JSON.readTree(node.get("/versions").body()).get("versions");
        assertEquals("v2.18", versions.get(0).get("id").asText());
        assertEquals("CURRENT", versions.get(0).get("status").asText());
    }

    static List<String> ids(JsonNode array) {
        List<String> ids = new java.util.ArrayList<>();
        array.forEach(e -> ids.add(e.isTextual() ? e.asText() : e.get("image_id").asText()));
        return ids;
    }
}
