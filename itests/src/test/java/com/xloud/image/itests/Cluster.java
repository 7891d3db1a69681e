package com.xloud.image.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Several nodes behind HAProxy, started and driven by {@code haproxy/cluster.sh} (the script the
 * README gives operators): a shared MariaDB, a shared single-node Swift, the nodes, HAProxy.
 */
final class Cluster implements AutoCloseable {
    static final Path SCRIPT = Node.HOME.resolve("haproxy/cluster.sh");

    final Path dir;
    final int frontPort;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> env;

    private Cluster(Path dir, int frontPort, Map<String, String> env) {
        this.dir = dir;
        this.frontPort = frontPort;
        this.env = env;
    }

    static Cluster up(Path dir, int nodes, int stallSeconds) throws Exception {
        int front = com.xloud.image.launcher.EmbeddedMariaDb.freePort();
        Cluster c = new Cluster(dir, front, Map.of("CLUSTER_DIR", dir.toString(), "FRONT_PORT",
                Integer.toString(front), "STALL_SECONDS", Integer.toString(stallSeconds), "STORE", "swift"));
        try {
            c.run("up", Integer.toString(nodes));
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Runs {@code cluster.sh args}; a non-zero exit fails with the script's output. */
    String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cluster.sh " + String.join(" ", args) + " timed out:\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("cluster.sh " + String.join(" ", args) + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    private Properties settings() throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(dir.resolve("cluster.env"))) {
            p.load(r);
        }
        return p;
    }

    int nodePort(int k) throws IOException {
        return Integer.parseInt(settings().getProperty("NODE" + k + "_PORT"));
    }

    String swiftAuth() throws IOException {
        return settings().getProperty("SWIFT_AUTH");
    }

    String front() {
        return "http://127.0.0.1:" + frontPort;
    }

    String node(int k) throws IOException {
        return "http://127.0.0.1:" + nodePort(k);
    }

    Path log(int k) {
        return dir.resolve("node" + k).resolve("node.log");
    }

    HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        run("down");
    }
}
