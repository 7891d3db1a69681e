package com.xloud.image.api.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter of image data that only needs to see reads of byte ranges: a one-byte read goes
 * through {@link #read(byte[], int, int)} too, so the filter has one place that sees every byte.
 */
public class ChunkFilterInputStream extends FilterInputStream {
    public ChunkFilterInputStream(InputStream in) {
        super(in);
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
