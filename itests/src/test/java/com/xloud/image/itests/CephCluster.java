package com.xloud.image.itests;

import com.xloud.image.launcher.EmbeddedMariaDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real single-node Ceph (itests/scripts/ceph.sh) in a directory of the test's, on free loopback ports. */
final class CephCluster implements AutoCloseable {
    private static final Path SCRIPT = Node.HOME.resolve("itests/scripts/ceph.sh");
    final Path dir;
    final Path conf;

    private CephCluster(Path dir, Path conf) {
        this.dir = dir;
        this.conf = conf;
    }

    static CephCluster start(Path dir) throws Exception {
        String v2 = Integer.toString(EmbeddedMariaDb.freePort());
        String v1 = Integer.toString(EmbeddedMariaDb.freePort());
        String out = run(List.of("bash", SCRIPT.toString(), "up"), dir, v2, v1);
        String[] lines = out.strip().split("\n");
        return new CephCluster(dir, Path.of(lines[lines.length - 1].strip()));
    }

    private static String run(List<String> command, Path dir, String v2, String v1) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CEPH_DIR", dir.toString());
        pb.environment().put("CEPH_MON_V2_PORT", v2);
        pb.environment().put("CEPH_MON_V1_PORT", v1);
        pb.environment().put("CEPH_CONF", dir.resolve("ceph.conf").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** Runs the {@code rbd} CLI against this cluster and returns its output; a failure throws. */
    String rbd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rbd"));
        cmd.addAll(List.of(args));
        return run(cmd, dir, "0", "0");
    }

    /** Runs the {@code ceph} CLI against this cluster and returns its output; a failure throws. */
    String ceph(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ceph"));
        cmd.addAll(List.of(args));
        return run(cmd, dir, "0", "0");
    }

    @Override
    public void close() throws Exception {
        run(List.of("bash", SCRIPT.toString(), "down"), dir, "0", "0");
    }
}
