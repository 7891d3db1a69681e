package com.xloud.image.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.api.store.DataDigests;
import com.xloud.image.api.store.SizeMismatchException;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileImageStoreTest {
    static final String ID = "0b70b6d8-ffdf-4d69-bd83-90b0cc3a9854";

    @TempDir
    Path dir;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** md5 and sha512 of what the store reads, as the image service reports them. */
    static final class Digests implements DataDigests {
        final java.security.MessageDigest md5;
        final java.security.MessageDigest sha512;
        long bytes;

        Digests() {
            try {
                md5 = java.security.MessageDigest.getInstance("MD5");
                sha512 = java.security.MessageDigest.getInstance("SHA-512");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }

        InputStream wrap(InputStream in) {
            return new java.io.FilterInputStream(new java.security.DigestInputStream(
                    new java.security.DigestInputStream(in, md5), sha512)) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int n = super.read(b, off, len);
                    bytes += Math.max(0, n);
                    return n;
                }
            };
        }

        @Override
        public void md5FromStore() {
            throw new AssertionError("the file store computes no md5");
        }

        @Override
        public StoredImage result(java.net.URI location, java.util.Map<String, String> metadata) {
            return new StoredImage(location, bytes, HexFormat.of().formatHex(md5.digest()), "sha512",
                    HexFormat.of().formatHex(sha512.digest()), metadata);
        }

        @Override
        public StoredImage result(java.net.URI location, java.util.Map<String, String> metadata, String md5) {
            throw new AssertionError("the file store computes no md5");
        }
    }

    private StoredImage add(FileImageStore store, InputStream in, long size) {
        Digests d = new Digests();
        return store.add(ID, d.wrap(in), size, d);
    }

    @Test
    void addGetSizeDelete() throws Exception {
        FileImageStore store = new FileImageStore(dir, 4096);
        byte[] data = random(100_000);
        StoredImage s = add(store, new ByteArrayInputStream(data), data.length);
        assertEquals(dir.resolve(ID).toUri(), s.location());
        assertEquals(data.length, s.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)), s.md5());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data)), s.hashValue());
        assertEquals(data.length, store.size(s.location()));
        try (InputStream in = store.get(s.location(), 10, 20)) {
            assertArrayEquals(Arrays.copyOfRange(data, 10, 30), in.readAllBytes());
        }
        try (InputStream in = store.get(s.location(), 0, -1)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertTrue(store.owns(s.location()));
        store.delete(s.location());
        assertFalse(Files.exists(dir.resolve(ID)));
        store.delete(s.location());
    }

    @Test
    void unknownSizeIsAccepted() {
        FileImageStore store = new FileImageStore(dir, 4096);
        assertEquals(5000, add(store, new ByteArrayInputStream(random(5000)), -1).size());
    }

    @Test
    void tooFewOrTooManyBytesLeaveNoFile() throws Exception {
        FileImageStore store = new FileImageStore(dir, 4096);
        assertThrows(SizeMismatchException.class, () -> add(store, new ByteArrayInputStream(random(100)), 200));
        assertThrows(SizeMismatchException.class, () -> add(store, new ByteArrayInputStream(random(30_000)), 200));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aFailingSourceLeavesNoFile() throws Exception {
        FileImageStore store = new FileImageStore(dir, 4096);
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 10_000) {
                    throw new IOException("reset");
                }
                return 1;
            }
        };
        assertThrows(StoreException.class, () -> add(store, failing, -1));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void leftoversOfACrashAreRemovedAtStart() throws Exception {
        Files.writeString(dir.resolve(".upload-" + ID + "-x"), "partial");
        new FileImageStore(dir, 4096);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void locationsOutsideTheStoreAreRefused() {
        FileImageStore store = new FileImageStore(dir, 4096);
        assertFalse(store.owns(Path.of("/etc/passwd").toUri()));
        assertThrows(StoreException.class, () -> store.get(Path.of("/etc/passwd").toUri(), 0, -1));
        assertThrows(StoreException.class, () -> store.add("../../etc", new ByteArrayInputStream(new byte[1]), 1,
                new Digests()));
    }
}
