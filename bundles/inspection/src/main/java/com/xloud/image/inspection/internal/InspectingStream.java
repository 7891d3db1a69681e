package com.xloud.image.inspection.internal;

import com.xloud.image.api.store.ChunkFilterInputStream;
import com.xloud.image.api.upload.UploadRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Image data on its way into a store, inspected as it passes (no second read): the head of the
 * image is kept (256 KiB, more only for a vhdx whose metadata lies further in) and judged as soon
 * as it is complete; data that does not match its declared disk format, or is unsafe, makes the
 * next read fail, so the store drops what it wrote. After the end, {@link #result()} gives the
 * format and virtual size.
 */
public final class InspectingStream extends ChunkFilterInputStream {
    private static final int FIRST = 256 * 1024;
    private static final int MAX = 8 << 20;

    /** The data was refused: the upload answers 415, an import fails with this reason. */
    public static final class Rejected extends UploadRefusedException {
        public Rejected(String message) {
            super(message, 415);
        }
    }

    private final String diskFormat;
    private final long expected;
    private byte[] head = new byte[FIRST];
    private int captured;
    private int needed = FIRST;
    private long count;
    private DiskFormats.Inspection inspection;
    private String rejection;
    private final boolean requireMatch;

    /** {@code expected}: the announced size, or -1. */
    public InspectingStream(InputStream in, String diskFormat, long expected) {
        this(in, diskFormat, expected, true);
    }

    /** {@code requireMatch} false: only unsafe data is refused, data of another format passes. */
    public InspectingStream(InputStream in, String diskFormat, long expected, boolean requireMatch) {
        super(in);
        this.diskFormat = diskFormat;
        this.expected = expected;
        this.requireMatch = requireMatch;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (rejection != null) {
            throw new Rejected(rejection);
        }
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
            if (inspection == null) {
                capture(b, off, n);
            }
        } else if (n < 0 && inspection == null) {
            judge(true);
        }
        if (rejection != null) {
            throw new Rejected(rejection);
        }
        return n;
    }

    private void capture(byte[] b, int off, int n) {
        while (n > 0 && inspection == null) {
            int take = Math.min(n, needed - captured);
            if (take > 0) {
                if (captured + take > head.length) {
                    head = Arrays.copyOf(head, Math.min(MAX, Math.max(captured + take, head.length * 2)));
                }
                System.arraycopy(b, off, head, captured, take);
                captured += take;
                off += take;
                n -= take;
            }
            if (captured >= needed) {
                int more = vhdxMetadataEnd();
                if (more > needed && more <= MAX) {
                    needed = more; // the vhdx metadata table lies further in: go on filling the head
                } else {
                    judge(false);
                }
            }
        }
    }

    /** For a vhdx, how far the head must reach to include its metadata table; 0 otherwise. */
    private int vhdxMetadataEnd() {
        if (captured < 8 || !new String(head, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("vhdxfile")) {
            return 0;
        }
        int table = 192 * 1024;
        if (captured < table + 16) {
            return table + 64 * 1024;
        }
        ByteBuffer le = ByteBuffer.wrap(head, 0, captured).order(ByteOrder.LITTLE_ENDIAN);
        byte[] metadata = DiskFormats.guid("8B7CA206-4790-4B9A-B8FE-575F050F886E");
        int entries = Math.min(le.getInt(table + 8), 2047);
        for (int i = 0; i < entries && table + 16 + i * 32 + 32 <= captured; i++) {
            int at = table + 16 + i * 32;
            if (Arrays.equals(head, at, at + 16, metadata, 0, 16)) {
                long end = le.getLong(at + 16) + Math.min(Integer.toUnsignedLong(le.getInt(at + 24)), 1 << 20);
                return end > MAX ? 0 : (int) end;
            }
        }
        return 0;
    }

    private void judge(boolean complete) {
        long total = complete ? count : expected;
        inspection = DiskFormats.inspect(head, captured, total);
        rejection = DiskFormats.verdict(diskFormat, inspection, requireMatch);
        head = null; // judged: the head is not kept
    }

    /** The format and virtual size (raw: the byte count), once the stream was read to its end. */
    public DiskFormats.Inspection result() {
        if (inspection == null) {
            judge(true);
        }
        if (inspection.format().equals("raw")) {
            return new DiskFormats.Inspection("raw", count, null);
        }
        return inspection;
    }

    /**
     * The virtual size to record: the inspected one when the data is what its disk_format says (or
     * none is declared); for data stored although it is another format, the byte count of a raw
     * image and nothing for the others, since the declared format's reading of it means nothing.
     */
    public Long virtualSize() {
        DiskFormats.Inspection found = result();
        if (diskFormat == null || DiskFormats.verdict(diskFormat, found, true) == null) {
            return found.virtualSize();
        }
        return diskFormat.equals("raw") ? count : null;
    }

    /** Why the data was refused, or null. */
    public String rejection() {
        return rejection;
    }
}
