package com.xloud.image.cache.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.api.cache.CacheCandidate;
import com.xloud.image.api.cache.ImageCache;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskImageCacheTest {
    static final String A = "0b70b6d8-ffdf-4d69-bd83-90b0cc3a9854";
    static final String B = "1b70b6d8-ffdf-4d69-bd83-90b0cc3a9854";
    static final String C = "2b70b6d8-ffdf-4d69-bd83-90b0cc3a9854";

    @TempDir
    Path dir;

    static byte[] data(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    static CacheCandidate candidate(String id, byte[] data) throws Exception {
        return new CacheCandidate(id, data.length, hex("MD5", data), "sha512", hex("SHA-512", data));
    }

    /** Reads exactly the image's bytes, as the API does (it never asks for the end of the stream). */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = in.readNBytes(n);
        in.close();
        return out;
    }

    @Test
    void aDownloadFillsTheCacheAndLaterReadsAnyRangeFromIt() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        byte[] d = data(300_000, 1);
        assertNull(cache.open(A, 0, -1), "a miss first");
        InputStream teed = cache.fill(candidate(A, d), new ByteArrayInputStream(d));
        assertArrayEquals(d, readExactly(teed, d.length));
        assertTrue(cache.contains(A));
        assertArrayEquals(d, cache.open(A, 0, -1).readAllBytes());
        assertArrayEquals(Arrays.copyOfRange(d, 1000, 2000), cache.open(A, 1000, 1000).readAllBytes());
        ImageCache.Stats s = cache.stats();
        assertEquals(2, s.hits());
        assertEquals(1, s.misses());
        assertEquals(1, s.fills());
        assertEquals(d.length + 1000, s.bytesServed());
        assertEquals(d.length, s.bytes());
        assertEquals(2, cache.cached().get(0).hits());
        assertEquals(List.of(), listing(dir.resolve("incomplete")));
    }

    @Test
    void withoutMd5TheMultihashIsChecked() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        byte[] d = data(5000, 2);
        CacheCandidate noMd5 = new CacheCandidate(A, d.length, null, "sha512", hex("SHA-512", d));
        readExactly(cache.fill(noMd5, new ByteArrayInputStream(d)), d.length);
        assertTrue(cache.contains(A));
        CacheCandidate nothing = new CacheCandidate(B, d.length, null, null, null);
        InputStream in = new ByteArrayInputStream(d);
        assertSame(in, cache.fill(nothing, in), "without a digest nothing is cached");
    }

    @Test
    void dataThatDoesNotMatchIsNeverServedAndTheCleanerRemovesIt() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        byte[] d = data(10_000, 3);
        byte[] corrupt = d.clone();
        corrupt[5000] ^= 1;
        readExactly(cache.fill(candidate(A, d), new ByteArrayInputStream(corrupt)), d.length);
        assertFalse(cache.contains(A));
        assertNull(cache.open(A, 0, -1));
        assertEquals(1, cache.stats().fillFailures());
        assertEquals(List.of(A), listing(dir.resolve("invalid")));
        ImageCache.CleanResult cleaned = cache.clean();
        assertEquals(1, cleaned.files());
        assertEquals(d.length, cleaned.bytes());
        assertEquals(List.of(), listing(dir.resolve("invalid")));
    }

    @Test
    void aClientThatLeavesEarlyOrAShortStoreLeavesNothing() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        byte[] d = data(10_000, 4);
        InputStream teed = cache.fill(candidate(A, d), new ByteArrayInputStream(d));
        teed.readNBytes(4000);
        teed.close();
        assertFalse(cache.contains(A));
        InputStream shortStore = cache.fill(candidate(A, d), new ByteArrayInputStream(d, 0, 9000));
        shortStore.readAllBytes();
        assertFalse(cache.contains(A));
        assertEquals(List.of(), listing(dir.resolve("incomplete")));
        // and the next download fills it
        readExactly(cache.fill(candidate(A, d), new ByteArrayInputStream(d)), d.length);
        assertTrue(cache.contains(A));
    }

    @Test
    void concurrentDownloadsOfOneImageMakeOneFill() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        byte[] d = data(10_000, 5);
        InputStream first = cache.fill(candidate(A, d), new ByteArrayInputStream(d));
        first.readNBytes(100);
        InputStream second = new ByteArrayInputStream(d);
        assertSame(second, cache.fill(candidate(A, d), second), "the second download is not teed");
        assertArrayEquals(d, second.readAllBytes());
        first.readAllBytes();
        assertTrue(cache.contains(A));
        assertEquals(1, cache.stats().fills());
    }

    @Test
    void pruningDropsTheLeastRecentlyUsedBeyondTheMaximum() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 25_000, Duration.ofDays(1));
        byte[] a = data(10_000, 6);
        byte[] b = data(10_000, 7);
        byte[] c = data(10_000, 8);
        readExactly(cache.fill(candidate(A, a), new ByteArrayInputStream(a)), a.length);
        readExactly(cache.fill(candidate(B, b), new ByteArrayInputStream(b)), b.length);
        cache.open(A, 0, 1).close(); // A is now more recent than B
        readExactly(cache.fill(candidate(C, c), new ByteArrayInputStream(c)), c.length);
        assertTrue(cache.contains(A));
        assertFalse(cache.contains(B), "the least recently used went");
        assertTrue(cache.contains(C));
        assertTrue(cache.stats().bytes() <= 25_000);
        assertFalse(Files.exists(dir.resolve(B)));
        InputStream tooBig = new ByteArrayInputStream(new byte[30_000]);
        assertSame(tooBig, cache.fill(new CacheCandidate(B, 30_000, hex("MD5", new byte[30_000]), null, null),
                tooBig), "an image larger than the cache is not cached");
    }

    @Test
    void stalledFillsAreCleanedAndNothingIncompleteSurvivesARestart() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ZERO);
        byte[] d = data(10_000, 9);
        InputStream teed = cache.fill(candidate(A, d), new ByteArrayInputStream(d));
        teed.readNBytes(100);
        assertEquals(1, listing(dir.resolve("incomplete")).size());
        Files.setLastModifiedTime(dir.resolve("incomplete").resolve(A),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        assertEquals(1, cache.clean().files());
        teed.readAllBytes();
        assertFalse(cache.contains(A), "a fill stopped by the cleaner is not committed");
        Files.write(dir.resolve("incomplete").resolve(B), new byte[10]);
        new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        assertEquals(List.of(), listing(dir.resolve("incomplete")));
    }

    @Test
    void hitsAndTheQueueSurviveARestart() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        byte[] d = data(1000, 10);
        readExactly(cache.fill(candidate(A, d), new ByteArrayInputStream(d)), d.length);
        cache.open(A, 0, -1).close();
        cache.open(A, 0, -1).close();
        assertTrue(cache.queue(B));
        assertFalse(cache.queue(B), "queued once");
        assertFalse(cache.queue(A), "cached already");
        cache.close();
        DiskImageCache again = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        assertEquals(2, again.cached().get(0).hits());
        assertEquals(List.of(B), again.queued());
        again.dequeue(B);
        assertEquals(List.of(), again.queued());
        assertEquals(1, again.clear(true, true));
        assertFalse(again.contains(A));
    }

    @Test
    void removingAnImageEndsItsFillAndDropsItsEntry() throws Exception {
        DiskImageCache cache = new DiskImageCache(dir, 1 << 20, Duration.ofDays(1));
        byte[] d = data(10_000, 11);
        InputStream teed = cache.fill(candidate(A, d), new ByteArrayInputStream(d));
        teed.readNBytes(10);
        cache.remove(A);
        assertArrayEquals(Arrays.copyOfRange(d, 10, d.length), teed.readAllBytes(), "the client still gets its data");
        assertFalse(cache.contains(A));
        readExactly(cache.fill(candidate(A, d), new ByteArrayInputStream(d)), d.length);
        cache.remove(A);
        assertFalse(cache.contains(A));
        assertFalse(Files.exists(dir.resolve(A)));
    }

    private static List<String> listing(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
