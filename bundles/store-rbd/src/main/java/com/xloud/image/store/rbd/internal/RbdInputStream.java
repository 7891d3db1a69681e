package com.xloud.image.store.rbd.internal;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import java.io.IOException;
import java.io.InputStream;

/** Reads an RBD snapshot from an offset to an end, a chunk at a time; closing closes the image. */
final class RbdInputStream extends InputStream {
    private final Rbd rbd;
    private final RbdImage image;
    private final long end;
    private final byte[] chunk;
    private long position;
    private int chunkStart;
    private int chunkLength;
    private boolean closed;

    RbdInputStream(Rbd rbd, RbdImage image, long offset, long end, int chunkSize) {
        this.rbd = rbd;
        this.image = image;
        this.position = offset;
        this.end = end;
        this.chunk = new byte[chunkSize];
    }

    private boolean fill() throws IOException {
        if (chunkStart < chunkLength) {
            return true;
        }
        if (position >= end || closed) {
            return false;
        }
        int want = (int) Math.min(chunk.length, end - position);
        int n = image.read(position, chunk, want);
        if (n <= 0) {
            throw new IOException("RBD read at " + position + " returned " + n);
        }
        position += n;
        chunkStart = 0;
        chunkLength = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk[chunkStart++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunkLength - chunkStart);
        System.arraycopy(chunk, chunkStart, b, off, n);
        chunkStart += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                rbd.close(image);
            } catch (RbdException e) {
                throw new IOException("closing the RBD image failed: " + e.getMessage(), e);
            }
        }
    }
}
