package com.xloud.image.store.swift.internal;

import com.xloud.image.api.store.StoreException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An object's bytes {@code [pos, end)} from Swift. When the connection drops or ends early, the read
 * resumes where it stopped with a Range request, up to {@code retries} times with a growing pause;
 * then the reader gets an IOException, never a shorter stream that looks complete.
 */
final class SwiftDownload extends InputStream {
    private static final Logger LOG = LoggerFactory.getLogger(SwiftDownload.class);
    private static final long MAX_PAUSE_MILLIS = 5_000;

    private final SwiftClient client;
    private final String path;
    private final long end;
    private final int retries;
    private long pos;
    private InputStream current;

    SwiftDownload(SwiftClient client, String path, InputStream first, long pos, long end, int retries) {
        this.client = client;
        this.path = path;
        this.current = first;
        this.pos = pos;
        this.end = end;
        this.retries = retries;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= end) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int want = (int) Math.min(len, end - pos);
        for (int attempt = 0; ; attempt++) {
            try {
                if (current == null) {
                    current = reopen();
                }
                int n = current.read(b, off, want);
                if (n < 0) {
                    throw new EOFException("Swift ended " + path + " at byte " + pos + " of " + end);
                }
                pos += n;
                return n;
            } catch (IOException e) {
                closeCurrent();
                if (e instanceof InterruptedIOException || attempt >= retries) {
                    throw new IOException("reading " + path + " from Swift broke off at byte " + pos + " of " + end
                            + (retries > 0 ? " and " + attempt + " attempts to resume failed" : "") + ": "
                            + e.getMessage(), e);
                }
                long pause = Math.min(MAX_PAUSE_MILLIS, 1000L << attempt);
                LOG.warn("reading {} from Swift broke off at byte {} of {} ({}); resuming in {} ms", path, pos, end,
                        e.getMessage(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while resuming a Swift download");
                }
            }
        }
    }

    private InputStream reopen() throws IOException {
        try {
            SwiftClient.Opened o = client.get(path, pos, end - 1);
            if (o == null) {
                throw new IOException(path + " is gone from Swift");
            }
            if (o.status() != 206 && pos > 0) {
                o.body().close();
                throw new IOException("Swift ignored the Range of the resumed read (" + o.status() + ")");
            }
            return o.body();
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // the connection is already broken
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closeCurrent();
        pos = end;
    }
}
