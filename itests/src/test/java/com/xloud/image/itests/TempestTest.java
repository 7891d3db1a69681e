package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenStack's own conformance suite for the Image API: Tempest's {@code tempest.api.image.v2}
 * (Debian's tempest 33) against a node in keystone mode with the test Keystone and Glance's
 * metadata definitions loaded (itests/scripts/tempest.sh), with one file store and with two, each
 * beside a read-only http store as Glance's reference runs. Nothing may fail.
 */
class TempestTest {
    @TempDir
    static Path dir;

    static String run(String mode) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Node.HOME.resolve("itests/scripts/tempest.sh").toString(), "run",
                mode);
        pb.environment().put("WORK", dir.resolve(mode).toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        System.out.println("Tempest (" + mode + "):\n" + out);
        assertEquals(0, exit, "Tempest " + mode + " failed:\n" + out);
        return out;
    }

    static int count(String out, String what) {
        return out.lines().filter(l -> l.strip().startsWith("- " + what + ":")).findFirst()
                .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).strip())).orElse(-1);
    }

    @Test
    void oneFileStore() throws Exception {
        String out = run("single");
        assertEquals(0, count(out, "Failed"), out);
        assertTrue(count(out, "Passed") >= 79, out);
    }

    @Test
    void twoFileStores() throws Exception {
        String out = run("multi");
        assertEquals(0, count(out, "Failed"), out);
        assertTrue(count(out, "Passed") >= 79, out);
    }
}
