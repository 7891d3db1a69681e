package com.xloud.image.core.kernel;

import com.xloud.image.api.store.DataDigests;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoredImage;

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
 * {@value #IN_FLIGHT} blocks wait per digest and the blocks are reused once both digests are
 * done with them: memory stays flat whatever the image size, and a stream faster than the
 * digests waits for them.
 */
public final class Hashing implements DataDigests, AutoCloseable {
    private static final int BLOCK = 1 << 20;
    private static final int IN_FLIGHT = 4;
    private static final Block END = new Block(new byte[0]);

    private final String algorithm;
    private final Digester md5;
    private final Digester multihash;
    /** Blocks both digests are done with, ready to be filled again. */
    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(IN_FLIGHT * 2 + 2);
    private int allocated;
    private Block block;
    private int filled;
    private long bytes;
    private boolean finished;
    private boolean md5FromStore;

    public Hashing(String algorithm) {
        this.algorithm = algorithm;
        try {
            this.md5 = new Digester(MessageDigest.getInstance("MD5"), free);
            this.multihash = new Digester(MessageDigest.getInstance(javaName(algorithm)), free);
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

            /** Skipped bytes are still image data: they are read through the digests, not jumped over. */
            @Override
            public long skip(long n) throws IOException {
                byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
                long left = n;
                while (left > 0) {
                    int r = read(buf, 0, (int) Math.min(buf.length, left));
                    if (r < 0) {
                        break;
                    }
                    left -= r;
                }
                return n - left;
            }
        };
    }

    private void update(byte[] buf, int off, int len) throws IOException {
        bytes += len;
        while (len > 0) {
            if (block == null) {
                block = nextBlock();
            }
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(buf, off, block.data, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                handOver(block, BLOCK);
                block = null;
                filled = 0;
            }
        }
    }

    /** A reused block, or a new one while fewer than the queues can hold exist. */
    private Block nextBlock() throws IOException {
        Block b = free.poll();
        if (b != null) {
            return b;
        }
        if (allocated < IN_FLIGHT * 2 + 2) {
            allocated++;
            return new Block(new byte[BLOCK]);
        }
        try {
            while ((b = free.poll(1, TimeUnit.SECONDS)) == null) {
                md5.checkAlive();
                multihash.checkAlive();
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    private void handOver(Block b, int length) throws IOException {
        b.length = length;
        b.pending.set(md5FromStore ? 1 : 2);
        try {
            if (!md5FromStore) {
                md5.feed(b);
            }
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

    /**
     * The store will report the md5 of the data itself, from its storage: this digest stops
     * computing it. Call before the first byte is read through {@link #wrap(InputStream)}.
     */
    @Override
    public void md5FromStore() {
        if (bytes > 0) {
            throw new IllegalStateException("the md5 digest has already started");
        }
        md5FromStore = true;
    }

    /** Ends both digests; call once, after the stream is exhausted. */
    @Override
    public StoredImage result(URI location, Map<String, String> metadata) {
        if (md5FromStore) {
            throw new IllegalStateException("the store took the md5 over: it passes it to result");
        }
        return finish(location, metadata, null);
    }

    /**
     * Ends the multihash of a store that took the md5 over ({@link #md5FromStore()}); {@code md5}
     * is its storage's md5 of the data, as hex (an HTTP ETag's quotes are dropped). Anything but
     * an md5 is refused: the image's checksum must be one.
     */
    @Override
    public StoredImage result(URI location, Map<String, String> metadata, String md5) {
        if (!md5FromStore) {
            throw new IllegalStateException("the md5 is computed here: call result(location, metadata)");
        }
        String plain = md5 == null ? "" : md5.strip().replace("\"", "").toLowerCase(java.util.Locale.ROOT);
        if (!plain.matches("[0-9a-f]{32}")) {
            close();
            throw new StoreException("the store reported no md5 of the data (it answered \"" + md5 + "\")");
        }
        return finish(location, metadata, plain);
    }

    private StoredImage finish(URI location, Map<String, String> metadata, String storeMd5) {
        if (finished) {
            throw new IllegalStateException("the digests are already final");
        }
        finished = true;
        try {
            if (filled > 0) {
                handOver(block, filled);
                block = null;
            }
            HexFormat hex = HexFormat.of();
            String md5Hex = storeMd5 != null ? storeMd5 : hex.formatHex(md5.finish());
            return new StoredImage(location, bytes, md5Hex, algorithm, hex.formatHex(multihash.finish()), metadata);
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

    /** A block of data on its way through both digests. */
    private static final class Block {
        final byte[] data;
        int length;
        final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

        Block(byte[] data) {
            this.data = data;
        }
    }

    /** One digest on its own daemon thread, fed blocks through a short queue. */
    private static final class Digester {
        private final MessageDigest digest;
        private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(IN_FLIGHT);
        private final BlockingQueue<Block> free;
        private Thread thread;
        private volatile byte[] result;
        private volatile Throwable failure;

        Digester(MessageDigest digest, BlockingQueue<Block> free) {
            this.digest = digest;
            this.free = free;
        }

        void checkAlive() throws IOException {
            if (thread != null && !thread.isAlive()) {
                throw new IOException("the " + digest.getAlgorithm() + " digest stopped", failure);
            }
        }

        void feed(Block b) throws InterruptedException, IOException {
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
                    Block b = queue.poll(60, TimeUnit.SECONDS);
                    if (b == null || b == END) {
                        if (b == END) {
                            result = digest.digest();
                        }
                        return;
                    }
                    digest.update(b.data, 0, b.length);
                    if (b.pending.decrementAndGet() == 0) {
                        free.offer(b);
                    }
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
