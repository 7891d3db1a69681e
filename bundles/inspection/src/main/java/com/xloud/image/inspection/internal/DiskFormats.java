package com.xloud.image.inspection.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Recognises a disk image from its first bytes, as Glance's format inspector does since its 2024
 * fix: raw, qcow2, vmdk, vhd, vhdx, vdi and iso, with the virtual size each header tells, and the
 * features that make an image unsafe to hand to a hypervisor (a qcow2 backing file or external
 * data file, a vmdk whose extents live in other files).
 */
public final class DiskFormats {
    /** Bytes of the start of an image that suffice for every check here (vhdx metadata may sit at 2 MiB). */
    public static final int HEAD = 4 << 20;
    private static final int ISO_DESCRIPTOR = 0x8000;
    private static final int VHDX_REGION_TABLE = 192 * 1024;

    private DiskFormats() {
    }

    /** What the head of an image says. {@code unsafe} is null for a safe image, else why not. */
    public record Inspection(String format, Long virtualSize, String unsafe) {
    }

    /**
     * Inspects {@code head} ({@code length} bytes: the whole image when {@code complete}, else its
     * first {@link #HEAD} bytes) of an image of {@code total} bytes (-1 when unknown).
     */
    public static Inspection inspect(byte[] head, int length, long total) {
        ByteBuffer b = ByteBuffer.wrap(head, 0, length).order(ByteOrder.BIG_ENDIAN);
        if (startsWith(head, length, 0, new byte[] {'Q', 'F', 'I', (byte) 0xfb})) {
            return qcow2(b, length);
        }
        if (startsWith(head, length, 0, "KDMV".getBytes(StandardCharsets.US_ASCII))) {
            return vmdkSparse(head, length);
        }
        if (startsWith(head, length, 0, "# Disk DescriptorFile".getBytes(StandardCharsets.US_ASCII))) {
            return new Inspection("vmdk", null, "a vmdk descriptor file: its extents are other files");
        }
        if (startsWith(head, length, 0, "vhdxfile".getBytes(StandardCharsets.US_ASCII))) {
            return vhdx(head, length);
        }
        if (startsWith(head, length, 0, "conectix".getBytes(StandardCharsets.US_ASCII))) {
            return new Inspection("vhd", length >= 56 ? b.getLong(48) : null, null);
        }
        if (length >= 0x178 && b.order(ByteOrder.LITTLE_ENDIAN).getInt(0x40) == 0xbeda107f) {
            return new Inspection("vdi", b.order(ByteOrder.LITTLE_ENDIAN).getLong(0x170), null);
        }
        b.order(ByteOrder.BIG_ENDIAN);
        if (startsWith(head, length, ISO_DESCRIPTOR + 1, "CD001".getBytes(StandardCharsets.US_ASCII))
                && length >= ISO_DESCRIPTOR + 0x82) {
            ByteBuffer le = ByteBuffer.wrap(head, 0, length).order(ByteOrder.LITTLE_ENDIAN);
            long blocks = Integer.toUnsignedLong(le.getInt(ISO_DESCRIPTOR + 80));
            int blockSize = Short.toUnsignedInt(le.getShort(ISO_DESCRIPTOR + 128));
            return new Inspection("iso", blocks * blockSize, null);
        }
        return new Inspection("raw", total >= 0 ? total : null, null);
    }

    private static boolean startsWith(byte[] head, int length, int at, byte[] magic) {
        if (length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[at + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** qcow2: virtual size at 24; a backing file (offset at 8) or the external data file feature is unsafe. */
    private static Inspection qcow2(ByteBuffer b, int length) {
        if (length < 72) {
            return new Inspection("qcow2", null, "a qcow2 header cut short");
        }
        int version = b.getInt(4);
        long backingOffset = b.getLong(8);
        long size = b.getLong(24);
        if (backingOffset != 0) {
            return new Inspection("qcow2", size, "a qcow2 image with a backing file");
        }
        if (version >= 3 && length >= 80) {
            long incompatible = b.getLong(72);
            if ((incompatible & 0x4) != 0) {
                return new Inspection("qcow2", size, "a qcow2 image with an external data file");
            }
        }
        if (version < 2 || version > 3) {
            return new Inspection("qcow2", size, "qcow2 version " + version + " is not one qemu reads");
        }
        return new Inspection("qcow2", size, null);
    }

    /**
     * vmdk sparse extent: the capacity (sectors at 12) is the virtual size; its embedded
     * descriptor (sector offset at 28, sectors at 36) must describe one sparse extent of a
     * monolithic or stream-optimized disk, nothing in another file.
     */
    private static Inspection vmdkSparse(byte[] head, int length) {
        if (length < 512) {
            return new Inspection("vmdk", null, "a vmdk header cut short");
        }
        ByteBuffer le = ByteBuffer.wrap(head, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        long size = le.getLong(12) * 512;
        long descOffset = le.getLong(28) * 512;
        long descSize = le.getLong(36) * 512;
        if (descOffset <= 0 || descSize <= 0 || descOffset + descSize > length || descSize > 1 << 20) {
            return new Inspection("vmdk", size, "a vmdk whose descriptor is missing or out of reach");
        }
        String descriptor = new String(head, (int) descOffset, (int) descSize, StandardCharsets.US_ASCII)
                .replace("\0", "");
        String createType = null;
        int extents = 0;
        for (String line : descriptor.split("\n")) {
            String l = line.strip();
            if (l.toLowerCase(Locale.ROOT).startsWith("createtype")) {
                createType = l.substring(l.indexOf('=') + 1).strip().replace("\"", "");
            } else if (l.matches("(?i)(RW|RDONLY|NOACCESS)\\s+\\d+\\s+\\S+.*")) {
                extents++;
                String type = l.split("\\s+")[2];
                if (!type.equalsIgnoreCase("SPARSE")) {
                    return new Inspection("vmdk", size, "a vmdk extent of type " + type + " (in another file)");
                }
            }
        }
        if (createType == null || !(createType.equals("monolithicSparse") || createType.equals("streamOptimized"))) {
            return new Inspection("vmdk", size, "vmdk createType " + createType + " spans other files");
        }
        if (extents != 1) {
            return new Inspection("vmdk", size, "a vmdk with " + extents + " extents (only one, in the file itself, is safe)");
        }
        return new Inspection("vmdk", size, null);
    }

    /**
     * vhdx: the region table (192 KiB) points at the metadata region, whose table holds the
     * Virtual Disk Size item.
     */
    private static Inspection vhdx(byte[] head, int length) {
        ByteBuffer le = ByteBuffer.wrap(head, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        if (length < VHDX_REGION_TABLE + 16 || !startsWith(head, length, VHDX_REGION_TABLE,
                "regi".getBytes(StandardCharsets.US_ASCII))) {
            return new Inspection("vhdx", null, "a vhdx without its region table");
        }
        int entries = le.getInt(VHDX_REGION_TABLE + 8);
        byte[] metadataGuid = guid("8B7CA206-4790-4B9A-B8FE-575F050F886E");
        for (int i = 0; i < Math.min(entries, 2047); i++) {
            int at = VHDX_REGION_TABLE + 16 + i * 32;
            if (at + 32 > length) {
                break;
            }
            if (equalsAt(head, at, metadataGuid)) {
                long offset = le.getLong(at + 16);
                return vhdxMetadata(head, length, le, offset);
            }
        }
        return new Inspection("vhdx", null, "a vhdx without a metadata region");
    }

    private static Inspection vhdxMetadata(byte[] head, int length, ByteBuffer le, long offset) {
        if (offset + 32 > length || !startsWith(head, length, (int) offset, "metadata".getBytes(StandardCharsets.US_ASCII))) {
            return new Inspection("vhdx", null, "the vhdx metadata table is out of reach");
        }
        int count = Short.toUnsignedInt(le.getShort((int) offset + 10));
        byte[] sizeGuid = guid("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
        for (int i = 0; i < Math.min(count, 2047); i++) {
            int at = (int) offset + 32 + i * 32;
            if (at + 32 > length) {
                break;
            }
            if (equalsAt(head, at, sizeGuid)) {
                long item = offset + Integer.toUnsignedLong(le.getInt(at + 16));
                if (item + 8 > length) {
                    break;
                }
                return new Inspection("vhdx", le.getLong((int) item), null);
            }
        }
        return new Inspection("vhdx", null, "the vhdx metadata has no virtual disk size");
    }

    private static boolean equalsAt(byte[] head, int at, byte[] what) {
        for (int i = 0; i < what.length; i++) {
            if (head[at + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    /** A GUID as Microsoft lays it out on disk (the first three groups little-endian). */
    static byte[] guid(String text) {
        String[] p = text.split("-");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) Long.parseLong(p[0], 16));
        b.putShort((short) Integer.parseInt(p[1], 16));
        b.putShort((short) Integer.parseInt(p[2], 16));
        b.order(ByteOrder.BIG_ENDIAN);
        b.putShort((short) Integer.parseInt(p[3], 16));
        long last = Long.parseLong(p[4], 16);
        for (int i = 5; i >= 0; i--) {
            b.put((byte) (last >>> (i * 8)));
        }
        return b.array();
    }

    /**
     * Glance's verdict for data declared as {@code diskFormat}: null when it may be stored, else
     * why not. Formats without an inspector (ami, ari, aki, ploop) pass; raw accepts an ISO (an ISO
     * image is a raw disk) but no other container format.
     */
    public static String verdict(String diskFormat, Inspection found) {
        return verdict(diskFormat, found, true);
    }

    /** {@link #verdict(String, Inspection)}; without {@code requireMatch} only an unsafe image is refused. */
    public static String verdict(String diskFormat, Inspection found, boolean requireMatch) {
        if (found.unsafe() != null) {
            return "Image is unsafe: " + found.unsafe();
        }
        if (!requireMatch) {
            return null;
        }
        if (diskFormat == null || java.util.List.of("ami", "ari", "aki", "ploop").contains(diskFormat)) {
            return null;
        }
        if (diskFormat.equals(found.format()) || diskFormat.equals("raw") && found.format().equals("iso")) {
            return null;
        }
        return "Image disk format " + diskFormat + " does not match the data, which is " + found.format();
    }
}
