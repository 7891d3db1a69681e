package com.xloud.image.data.internal;

import com.xloud.image.api.store.ChunkFilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as the store reads it: remembers whether reading the client failed (a
 * disconnect) and stops at the size cap, so the cause of a failed upload is known afterwards.
 */
final class UploadBody extends ChunkFilterInputStream {
    private final long cap;
    private long count;
    private boolean clientFailed;
    private boolean tooLarge;

    UploadBody(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            clientFailed = true;
            throw e;
        }
        if (n > 0) {
            count += n;
            if (count > cap) {
                tooLarge = true;
                throw new IOException("Image exceeds the storage quota: the limit is " + cap + " bytes");
            }
        }
        return n;
    }

    boolean clientFailed() {
        return clientFailed;
    }

    boolean tooLarge() {
        return tooLarge;
    }

    long count() {
        return count;
    }
}
