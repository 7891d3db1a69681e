package com.xloud.image.cache.internal;

import com.xloud.image.api.cache.CacheCandidate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image being written into {@code incomplete/} while it streams to a client, with the digest
 * it must end with (md5 when the image has a checksum, else its multihash). Written by the
 * reading thread; {@link #discard} may come from any thread and ends the fill.
 */
final class Fill {
    private static final Logger LOG = LoggerFactory.getLogger(Fill.class);

    private final DiskImageCache cache;
    private final CacheCandidate image;
    private final Path file;
    private final FileChannel out;
    private final MessageDigest digest;
    private final String expected;
    private final long started = System.nanoTime();
    private long count;
    private volatile boolean over;

    Fill(DiskImageCache cache, CacheCandidate image, Path file) throws IOException {
        this.cache = cache;
        this.image = image;
        this.file = file;
        boolean md5 = image.md5() != null;
        try {
            this.digest = MessageDigest.getInstance(md5 ? "MD5" : javaName(image.hashAlgo()));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("unknown hash algorithm " + image.hashAlgo(), e);
        }
        this.expected = (md5 ? image.md5() : image.hashValue()).toLowerCase(java.util.Locale.ROOT);
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    private static String javaName(String glance) throws NoSuchAlgorithmException {
        return switch (glance) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw new NoSuchAlgorithmException(glance);
        };
    }

    CacheCandidate image() {
        return image;
    }

    Path file() {
        return file;
    }

    long elapsedNanos() {
        return System.nanoTime() - started;
    }

    boolean active() {
        return !over;
    }

    /** Tees {@code n} bytes; at the image's last byte the fill ends (committed or rejected). */
    void write(byte[] b, int off, int n) {
        if (over) {
            return;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(b, off, n);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        } catch (IOException e) {
            if (!over) {
                LOG.warn("image cache: writing {} failed ({}); the download goes on uncached", image.imageId(),
                        e.getMessage());
                cache.abandoned(this);
            }
            return;
        }
        digest.update(b, off, n);
        count += n;
        if (count > image.size()) {
            over = true;
            close();
            cache.reject(this, "more than the image's " + image.size() + " bytes");
        } else if (count == image.size()) {
            end();
        }
    }

    private void end() {
        over = true;
        close();
        String got = HexFormat.of().formatHex(digest.digest());
        if (got.equals(expected)) {
            cache.commit(this);
        } else {
            cache.reject(this, "digest " + got + ", expected " + expected);
        }
    }

    /** The stream stopped before the end: nothing is kept. */
    void stopped() {
        if (!over) {
            cache.abandoned(this);
        }
    }

    /** Ends the fill and removes its file. */
    void discard() {
        over = true;
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("image cache: {} not removed: {}", file, e.getMessage());
        }
    }

    private void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is removed or renamed next
        }
    }
}
