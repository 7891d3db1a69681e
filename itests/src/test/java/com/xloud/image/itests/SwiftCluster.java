package com.xloud.image.itests;

import com.xloud.image.launcher.EmbeddedMariaDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real single-node Swift (itests/scripts/swift.sh) in a directory of the test's, on free loopback ports. */
final class SwiftCluster implements AutoCloseable {
    private static final Path SCRIPT = Node.HOME.resolve("itests/scripts/swift.sh");
    static final String USER = "test:tester";
    static final String KEY = "tester-s3cret";
    final Path dir;
    final String authAddress;

    private SwiftCluster(Path dir, String authAddress) {
        this.dir = dir;
        this.authAddress = authAddress;
    }

    static SwiftCluster start(Path dir) throws Exception {
        Map<String, String> ports = Map.of("SWIFT_PROXY_PORT", free(), "SWIFT_ACCOUNT_PORT", free(),
                "SWIFT_CONTAINER_PORT", free(), "SWIFT_OBJECT_PORT", free(), "SWIFT_MEMCACHED_PORT", free());
        String out = run(List.of("bash", SCRIPT.toString(), "up"), dir, ports);
        String[] lines = out.strip().split("\n");
        return new SwiftCluster(dir, lines[lines.length - 1].strip());
    }

    private static String free() throws java.io.IOException {
        return Integer.toString(EmbeddedMariaDb.freePort());
    }

    private static String run(List<String> command, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SWIFT_DIR", dir.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** Runs the {@code swift} CLI as the test user and returns its output; a failure throws. */
    String swift(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swift"));
        cmd.addAll(List.of(args));
        return run(cmd, dir, Map.of("ST_AUTH", authAddress, "ST_USER", USER, "ST_KEY", KEY));
    }

    /** The objects of {@code container} whose names start with {@code prefix}. */
    List<String> list(String container, String prefix) throws Exception {
        String out = swift("list", container, "--prefix", prefix);
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    void stopProxy() throws Exception {
        run(List.of("bash", SCRIPT.toString(), "proxy-stop"), dir, Map.of());
    }

    void startProxy() throws Exception {
        run(List.of("bash", SCRIPT.toString(), "proxy-start"), dir, Map.of());
    }

    /** Empties memcached: tempauth forgets every token it gave, so Swift answers 401 to them. */
    void forgetTokens() throws Exception {
        run(List.of("bash", SCRIPT.toString(), "forget-tokens"), dir, Map.of());
    }

    @Override
    public void close() throws Exception {
        run(List.of("bash", SCRIPT.toString(), "down"), dir, Map.of());
    }
}
