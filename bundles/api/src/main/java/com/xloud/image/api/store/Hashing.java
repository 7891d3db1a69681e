package com.xloud.image.api.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The digests Glance records for an image (md5 as {@code checksum}, and the multihash, sha512 by
 * default), computed while the data streams through {@link #wrap(InputStream)}: no second pass.
 *
 * <p>The two digests run on two threads of their own, each fed 1 MiB blocks copied off the
 * stream, so hashing costs the upload the time of the slower digest, not of both. At most
 * {@value #IN_FLIGHT} blocks wait per digest: memory stays bounded whatever the image size, and a
 * stream faster than the digests waits for them.
 */
public final class Hashing implements AutoCloseable {
    private static final int BLOCK = 1 << 20;
    private static final int IN_FLIGHT = 4;
    private static final byte[] END = new byte[0];

    private final String algorithm;
    private final Digester md5;
    private final Digester multihash;
    private byte[] block = new byte[BLOCK];
    private int filled;
    private long bytes;
    private boolean finished;

    public Hashing(String algorithm) {
        this.algorithm = algorithm;
        try {
            this.md5 = new Digester(MessageDigest.getInstance("MD5"));
            this.multihash = new Digester(MessageDigest.getInstance(javaName(algorithm)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported hashing algorithm " + algorithm, e);
        }
    }

    private static String javaName(String glanceName) {
        return switch (glanceName) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw new IllegalArgumentException("unsupported hashing algorithm " + glanceName);
        };
    }

    /** A stream that feeds every byte read through both digests. */
    public InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    update(buf, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) {
                throw new UnsupportedOperationException("a hashed stream cannot skip");
            }
        };
    }

    private void update(byte[] buf, int off, int len) throws IOException {
        bytes += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(buf, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                handOver(block);
                block = new byte[BLOCK];
                filled = 0;
            }
        }
    }

    private void handOver(byte[] b) throws IOException {
        try {
            md5.feed(b);
            multihash.feed(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    public String algorithm() {
        return algorithm;
    }

    public long bytes() {
        return bytes;
    }

    /** Ends both digests; call once, after the stream is exhausted. */
    public StoredImage result(URI location, Map<String, String> metadata) {
        if (finished) {
            throw new IllegalStateException("the digests are already final");
        }
        finished = true;
        try {
            if (filled > 0) {
                byte[] last = new byte[filled];
                System.arraycopy(block, 0, last, 0, filled);
                handOver(last);
            }
            HexFormat hex = HexFormat.of();
            return new StoredImage(location, bytes, hex.formatHex(md5.finish()), algorithm,
                    hex.formatHex(multihash.finish()), metadata);
        } catch (IOException | InterruptedException e) {
            close();
            throw new StoreException("hashing did not complete: " + e.getMessage(), e);
        }
    }

    /** Stops the digest threads of an upload that will not complete; harmless after {@link #result}. */
    @Override
    public void close() {
        md5.abort();
        multihash.abort();
    }

    /** One digest on its own daemon thread, fed blocks through a short queue. */
    private static final class Digester {
        private final MessageDigest digest;
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(IN_FLIGHT);
        private Thread thread;
        private volatile byte[] result;
        private volatile Throwable failure;

        Digester(MessageDigest digest) {
            this.digest = digest;
        }

        void feed(byte[] b) throws InterruptedException, IOException {
            if (thread == null) {
                thread = new Thread(this::run, "hashing-" + digest.getAlgorithm());
                thread.setDaemon(true);
                thread.start();
            }
            while (!queue.offer(b, 1, TimeUnit.SECONDS)) {
                if (!thread.isAlive()) {
                    throw new IOException("the " + digest.getAlgorithm() + " digest stopped", failure);
                }
            }
        }

        private void run() {
            try {
                while (true) {
                    // an abandoned upload (no result, no close) lets its threads end after a minute
                    byte[] b = queue.poll(60, TimeUnit.SECONDS);
                    if (b == null || b == END) {
                        if (b == END) {
                            result = digest.digest();
                        }
                        return;
                    }
                    digest.update(b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        byte[] finish() throws InterruptedException, IOException {
            if (thread == null) {
                return digest.digest();
            }
            feed(END);
            thread.join();
            if (result == null) {
                throw new IOException("the " + digest.getAlgorithm() + " digest did not finish", failure);
            }
            return result;
        }

        void abort() {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
