package com.xloud.image.itests;

import com.xloud.image.launcher.EmbeddedMariaDb;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A node started the way a user starts it: {@code ./xloud run --port P --data-dir D}. */
final class Node implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("xloud.home", "..")).toAbsolutePath().normalize();

    final int port;
    final Path dataDir;
    final Path log;
    final Process process;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Node(int port, Path dataDir, Path log, Process process) {
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.process = process;
    }

    static Node start(Path dataDir, String... extraArgs) throws Exception {
        int port = EmbeddedMariaDb.freePort();
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("node.out");
        List<String> cmd = new java.util.ArrayList<>(List.of(HOME.resolve("xloud").toString(), "run", "--port",
                Integer.toString(port), "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(HOME.toFile());
        pb.environment().put("XLOUD_NO_BUILD", "1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        Node node = new Node(port, dataDir, log, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the node exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.readString(log).contains("ready on http://127.0.0.1:" + port)) {
                return node;
            }
            Thread.sleep(200);
        }
        node.close();
        throw new IllegalStateException("the node did not become ready:\n" + Files.readString(log));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** SIGTERM, as Ctrl-C or a service manager sends it; waits for the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IllegalStateException("the node did not stop within 90 s of SIGTERM");
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}
