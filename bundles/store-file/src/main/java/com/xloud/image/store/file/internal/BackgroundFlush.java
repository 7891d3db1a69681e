package com.xloud.image.store.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Semaphore;

/**
 * Asks the kernel to write a file's dirty pages out while the upload goes on, so that the disk
 * works in parallel with the network and the hashing, and the final fsync finds little left to do.
 * Without it a machine with much memory keeps a whole image dirty until that fsync.
 */
final class BackgroundFlush implements AutoCloseable {
    private final FileChannel channel;
    private final Semaphore requests = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;

    BackgroundFlush(FileChannel channel, String name) {
        this.channel = channel;
        this.thread = new Thread(this::run, "file-store-flush-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Requests a flush; requests made while one runs are folded into the next. */
    void request() {
        if (requests.availablePermits() == 0) {
            requests.release();
        }
    }

    private void run() {
        try {
            while (true) {
                requests.acquire();
                requests.drainPermits();
                if (closed) {
                    return;
                }
                try {
                    channel.force(false);
                } catch (IOException e) {
                    // the final, synchronous force reports any write error
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        requests.release();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
