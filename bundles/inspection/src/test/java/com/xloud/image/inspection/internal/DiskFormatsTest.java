package com.xloud.image.inspection.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Headers crafted byte by byte, as each format's specification lays them out. */
class DiskFormatsTest {
    static final long GIB = 1L << 30;

    static byte[] qcow2(int version, long backingOffset, long incompatible, long size) {
        ByteBuffer b = ByteBuffer.allocate(65536).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {'Q', 'F', 'I', (byte) 0xfb}).putInt(version).putLong(backingOffset).putInt(backingOffset == 0 ? 0 : 8)
                .putInt(16).putLong(size);
        b.putLong(72, incompatible);
        if (backingOffset != 0) {
            b.put((int) backingOffset, "base.img".getBytes(StandardCharsets.US_ASCII));
        }
        return b.array();
    }

    static byte[] vmdk(String createType, String extent) {
        ByteBuffer b = ByteBuffer.allocate(65536).order(ByteOrder.LITTLE_ENDIAN);
        b.put("KDMV".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(3).putLong(2 * 1024 * 1024) // capacity: 1 GiB
                .putLong(128).putLong(1).putLong(20); // grain size, descriptor at sector 1, 20 sectors
        String descriptor = "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\""
                + createType + "\"\n\n# Extent description\n" + extent + "\n";
        b.put(512, descriptor.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    static byte[] vhd(long size) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.BIG_ENDIAN);
        b.put("conectix".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, size).putLong(48, size);
        return b.array();
    }

    static byte[] vhdx(long size) {
        ByteBuffer b = ByteBuffer.allocate(2048 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put("vhdxfile".getBytes(StandardCharsets.US_ASCII));
        int table = 192 * 1024;
        b.put(table, "regi".getBytes(StandardCharsets.US_ASCII));
        b.putInt(table + 8, 2);
        b.put(table + 16, DiskFormats.guid("2DC27766-F623-4200-9D64-115E9BFD4A08")); // BAT
        b.putLong(table + 32, 3 << 20);
        b.put(table + 48, DiskFormats.guid("8B7CA206-4790-4B9A-B8FE-575F050F886E")); // metadata
        int metadata = 1 << 20;
        b.putLong(table + 64, metadata).putInt(table + 72, 1 << 20);
        b.put(metadata, "metadata".getBytes(StandardCharsets.US_ASCII));
        b.putShort(metadata + 10, (short) 1);
        b.put(metadata + 32, DiskFormats.guid("2FA54224-CD1B-4876-B211-5DBED83BF4B8"));
        b.putInt(metadata + 48, 65536);
        b.putLong(metadata + 65536, size);
        return b.array();
    }

    static byte[] vdi(long size) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put("<<< Oracle VM VirtualBox Disk Image >>>\n".getBytes(StandardCharsets.US_ASCII));
        b.putInt(0x40, 0xbeda107f).putLong(0x170, size);
        return b.array();
    }

    static byte[] iso(int blocks) {
        ByteBuffer b = ByteBuffer.allocate(40 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x8000, (byte) 1).put(0x8001, "CD001".getBytes(StandardCharsets.US_ASCII));
        b.putInt(0x8000 + 80, blocks).putShort(0x8000 + 128, (short) 2048);
        return b.array();
    }

    static DiskFormats.Inspection inspect(byte[] data) {
        return DiskFormats.inspect(data, data.length, data.length);
    }

    @Test
    void eachFormatAndItsVirtualSize() {
        assertEquals(new DiskFormats.Inspection("qcow2", GIB, null), inspect(qcow2(3, 0, 0, GIB)));
        assertEquals(new DiskFormats.Inspection("qcow2", GIB, null), inspect(qcow2(2, 0, 0, GIB)));
        assertEquals(new DiskFormats.Inspection("vmdk", GIB, null),
                inspect(vmdk("monolithicSparse", "RW 2097152 SPARSE \"disk.vmdk\"")));
        assertEquals(new DiskFormats.Inspection("vmdk", GIB, null),
                inspect(vmdk("streamOptimized", "RW 2097152 SPARSE \"disk.vmdk\"")));
        assertEquals(new DiskFormats.Inspection("vhd", 5 * GIB, null), inspect(vhd(5 * GIB)));
        assertEquals(new DiskFormats.Inspection("vhdx", 7 * GIB, null), inspect(vhdx(7 * GIB)));
        assertEquals(new DiskFormats.Inspection("vdi", 3 * GIB, null), inspect(vdi(3 * GIB)));
        assertEquals(new DiskFormats.Inspection("iso", 100L * 2048, null), inspect(iso(100)));
        byte[] raw = new byte[5000];
        new Random(1).nextBytes(raw);
        assertEquals(new DiskFormats.Inspection("raw", 5000L, null), inspect(raw));
    }

    @Test
    void unsafeImages() {
        assertTrue(inspect(qcow2(3, 512, 0, GIB)).unsafe().contains("backing file"));
        assertTrue(inspect(qcow2(3, 0, 0x4, GIB)).unsafe().contains("external data file"));
        assertTrue(inspect(qcow2(7, 0, 0, GIB)).unsafe().contains("version"));
        assertTrue(inspect(vmdk("monolithicFlat", "RW 2097152 FLAT \"disk-flat.vmdk\" 0")).unsafe() != null);
        assertTrue(inspect(vmdk("monolithicSparse", "RW 2097152 SPARSE \"a.vmdk\"\nRW 2097152 SPARSE \"b.vmdk\""))
                .unsafe().contains("2 extents"));
        assertTrue(inspect(vmdk("twoGbMaxExtentSparse", "RW 2097152 SPARSE \"s001.vmdk\"")).unsafe() != null);
        assertTrue(inspect("# Disk DescriptorFile\nRW 1 FLAT \"/etc/shadow\" 0\n".getBytes(StandardCharsets.US_ASCII))
                .unsafe().contains("descriptor"));
    }

    @Test
    void verdicts() {
        assertNull(DiskFormats.verdict("qcow2", inspect(qcow2(3, 0, 0, GIB))));
        assertTrue(DiskFormats.verdict("raw", inspect(qcow2(3, 0, 0, GIB))).contains("does not match"),
                "a qcow2 uploaded as raw is refused (CVE-2024-32498)");
        assertTrue(DiskFormats.verdict("qcow2", inspect(new byte[4096])).contains("raw"));
        assertTrue(DiskFormats.verdict("qcow2", inspect(qcow2(3, 512, 0, GIB))).contains("unsafe"));
        assertNull(DiskFormats.verdict("raw", inspect(iso(10))), "an ISO is a raw disk");
        assertNull(DiskFormats.verdict("iso", inspect(iso(10))));
        assertTrue(DiskFormats.verdict("iso", inspect(new byte[40000])) != null);
        assertNull(DiskFormats.verdict("ami", inspect(new byte[100])), "no inspector for ami");
        assertTrue(DiskFormats.verdict("vhd", inspect(vdi(GIB))).contains("vdi"));
    }

    @Test
    void theStreamJudgesOnTheWayAndStopsRefusedData() throws Exception {
        // a qcow2 declared raw: the read that completes the head fails, later bytes are never read
        byte[] qcow = new byte[2 << 20];
        System.arraycopy(qcow2(3, 0, 0, GIB), 0, qcow, 0, 1024);
        InspectingStream refused = new InspectingStream(new ByteArrayInputStream(qcow), "raw", qcow.length);
        InspectingStream.Rejected r = assertThrows(InspectingStream.Rejected.class,
                () -> refused.transferTo(java.io.OutputStream.nullOutputStream()));
        assertTrue(r.getMessage().contains("qcow2"), r.getMessage());
        // raw data beyond the head passes whole, and its virtual size is its length
        byte[] raw = new byte[3 << 20];
        new Random(2).nextBytes(raw);
        InspectingStream ok = new InspectingStream(new ByteArrayInputStream(raw), "raw", -1);
        assertArrayEquals(raw, ok.readAllBytes());
        assertEquals(new DiskFormats.Inspection("raw", (long) raw.length, null), ok.result());
        // a small qcow2 judged at its end
        InspectingStream small = new InspectingStream(new ByteArrayInputStream(qcow2(3, 0, 0, GIB)), "qcow2", -1);
        small.readAllBytes();
        assertEquals(GIB, small.result().virtualSize());
        // a vhdx whose metadata lies beyond the first 256 KiB is read far enough to find its size
        InputStream vhdx = new ByteArrayInputStream(vhdx(9 * GIB));
        InspectingStream far = new InspectingStream(vhdx, "vhdx", -1);
        byte[] odd = new byte[7777]; // reads that straddle the first 256 KiB, as network reads do
        while (far.read(odd, 0, odd.length) >= 0) {
            continue;
        }
        assertEquals(9 * GIB, far.result().virtualSize());
    }
}
