package com.xloud.image.core.kernel;

import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoredImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashingTest {
    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    @Test
    void digestsMatchTheJdkForEverySizeAroundTheBlockBoundaries() throws Exception {
        int block = 1 << 20;
        for (int size : new int[] {0, 1, 4095, block - 1, block, block + 1, 5 * block + 12345}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            for (String algo : new String[] {"sha512", "sha256"}) {
                Hashing h = new Hashing(algo);
                try (InputStream in = h.wrap(new ByteArrayInputStream(data))) {
                    byte[] buf = new byte[7919];
                    while (in.read(buf) > 0) {
                        // odd-sized reads on purpose
                    }
                }
                StoredImage s = h.result(URI.create("file:///x"), Map.of());
                assertEquals(size, s.size());
                assertEquals(hex("MD5", data), s.md5(), "md5 of " + size);
                assertEquals(hex(algo.equals("sha512") ? "SHA-512" : "SHA-256", data), s.hashValue(), algo + " of " + size);
            }
        }
    }

    @Test
    void closeEndsTheDigestThreadsOfAnAbandonedUpload() throws Exception {
        Hashing h = new Hashing("sha512");
        try (InputStream in = h.wrap(new ByteArrayInputStream(new byte[3 << 20]))) {
            in.readAllBytes();
        }
        h.close();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("hashing-")) {
                t.join(5000);
            }
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("hashing-") && t.isAlive()));
    }

    @Test
    void skippedBytesStillCountInTheDigests() throws Exception {
        byte[] data = new byte[100_000];
        new java.util.Random(1).nextBytes(data);
        Hashing h = new Hashing("sha512");
        try (InputStream in = h.wrap(new ByteArrayInputStream(data))) {
            assertEquals(40_000, in.skip(40_000));
            in.readAllBytes();
        }
        assertEquals(hex("MD5", data), h.result(URI.create("file:///x"), Map.of()).md5());
    }

    @Test
    void aStoreThatReportsTheMd5LeavesOnlyTheMultihashToCompute() throws Exception {
        byte[] data = new byte[3 * (1 << 20) + 77];
        new Random(5).nextBytes(data);
        Hashing h = new Hashing("sha512");
        h.md5FromStore();
        try (InputStream in = h.wrap(new ByteArrayInputStream(data))) {
            in.readAllBytes();
        }
        assertThrows(IllegalStateException.class, () -> h.result(URI.create("file:///x"), Map.of()),
                "the md5 must come from the store");
        String etag = "\"" + hex("MD5", data).toUpperCase() + "\"";
        StoredImage s = h.result(URI.create("file:///x"), Map.of(), etag);
        assertEquals(hex("MD5", data), s.md5(), "an ETag's quotes and case do not matter");
        assertEquals(hex("SHA-512", data), s.hashValue());
        assertEquals(data.length, s.size());
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("hashing-MD5")
                && t.isAlive()), "no md5 thread ran");
    }

    @Test
    void theStoreMustTakeTheMd5OverBeforeTheFirstByteAndReportAnMd5() throws Exception {
        Hashing late = new Hashing("sha512");
        try (InputStream in = late.wrap(new ByteArrayInputStream(new byte[10]))) {
            in.read();
            assertThrows(IllegalStateException.class, late::md5FromStore);
        }
        Hashing h = new Hashing("sha256");
        h.md5FromStore();
        try (InputStream in = h.wrap(new ByteArrayInputStream(new byte[10]))) {
            in.readAllBytes();
        }
        assertThrows(StoreException.class, () -> h.result(URI.create("file:///x"), Map.of(), "a-manifest-etag"));
        Hashing none = new Hashing("sha256");
        none.md5FromStore();
        assertThrows(StoreException.class, () -> none.result(URI.create("file:///x"), Map.of(), null));
        Hashing own = new Hashing("sha256");
        assertThrows(IllegalStateException.class, () -> own.result(URI.create("file:///x"), Map.of(),
                "d41d8cd98f00b204e9800998ecf8427e"), "an md5 computed here is not replaced");
    }

    @Test
    void unknownAlgorithmIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Hashing("crc32"));
    }
}
