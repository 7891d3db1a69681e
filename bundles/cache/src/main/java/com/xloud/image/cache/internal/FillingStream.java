package com.xloud.image.cache.internal;

import com.xloud.image.api.store.ChunkFilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The store's stream of an image, teed into a {@link Fill} as the client reads it. */
final class FillingStream extends ChunkFilterInputStream {
    private final Fill fill;

    FillingStream(InputStream in, Fill fill) {
        super(in);
        this.fill = fill;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            fill.stopped();
            throw e;
        }
        if (n > 0) {
            fill.write(b, off, n);
        } else if (n < 0) {
            fill.stopped(); // ended short of the image's size
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        fill.stopped(); // skipped bytes cannot be cached
        return super.skip(n);
    }

    @Override
    public void close() throws IOException {
        fill.stopped();
        super.close();
    }
}
