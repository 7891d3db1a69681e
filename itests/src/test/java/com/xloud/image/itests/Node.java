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
        return startOn(EmbeddedMariaDb.freePort(), dataDir, extraArgs);
    }

    /** A node on a port chosen beforehand (when other services must know it before the node starts). */
    static Node startOn(int port, Path dataDir, String... extraArgs) throws Exception {
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
        try {
            Await.until("node start", Duration.ofSeconds(120), () -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the node exited with " + p.exitValue() + ":\n" + Files.readString(log));
                }
                return Files.readString(log);
            }, out -> out.contains("ready on http://127.0.0.1:" + port));
            return node;
        } catch (AssertionError | Exception e) {
            node.close();
            throw e;
        }
    }

    /** What a command printed (stdout and stderr) and its exit code. */
    record Run(int exit, String out) {
    }

    /**
     * Runs a reference client with {@code home} as HOME (no cached schema), without OS_* variables,
     * and with stdin closed (glanceclient reads image data from any open stdin); a non-zero exit fails.
     */
    static String cli(Path home, List<String> command) throws Exception {
        Run run = run(home, command);
        if (run.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + run.exit() + ":\n" + run.out());
        }
        return run.out();
    }

    /** {@link #cli} that returns a failure too, for the tests of the clients' error paths. */
    static Run run(Path home, List<String> command) throws Exception {
        Files.createDirectories(home);
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c", "exec \"$@\" <&-", "sh"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Run(p.exitValue(), out);
    }

    /** The {@code glance} command line against this node, for {@link #cli} or {@link #run}. */
    List<String> glanceCommand(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("glance", "--os-image-api-version", "2",
                "--os-image-url", url(), "--os-auth-token", "dummy"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code glance --os-image-api-version 2} against this node. */
    String glance(Path home, String... args) throws Exception {
        return cli(home, glanceCommand(args));
    }

    /** {@code openstack} without Keystone against this node. */
    String openstack(Path home, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openstack", "--os-auth-type", "none", "--os-endpoint", url()));
        cmd.addAll(List.of(args));
        return cli(home, cmd);
    }

    /** The status of an image as an admin sees it. */
    String status(String id) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/v2/images/" + id).body())
                .get("status").asText();
    }

    /**
     * A copy of distribution/etc in {@code dir} with {@code files} (name to content) added or
     * replaced: the configuration a test starts its node with.
     */
    static Path configDir(Path dir, java.util.Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        try (var existing = Files.list(HOME.resolve("distribution/etc"))) {
            for (Path f : existing.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (var f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return dir;
    }

    /**
     * Turns the REST configuration in {@code etc} to {@code auth.mode = keystone} against
     * {@code auth} (a Keystone of keystone.sh, whose glance user is this service's own), with
     * {@code cacheSeconds} of token cache.
     */
    static void keystoneMode(Path etc, String auth, int cacheSeconds) throws IOException {
        Path rest = etc.resolve("com.xloud.image.rest.cfg");
        Files.writeString(rest, Files.readString(rest).replace("auth.mode = noauth", "auth.mode = keystone")
                .replace("keystone.auth.url =", "keystone.auth.url = " + auth)
                .replace("keystone.password =", "keystone.password = glancepw")
                .replace("keystone.token.cache.time = 300", "keystone.token.cache.time = " + cacheSeconds));
    }

    /** The jar of a bundle of the assembly, by artifact id. */
    /** The default bundle set ({@code features/file-node.features}) without {@code bundles}, written to {@code file}. */
    static Path featuresWithout(Path file, java.util.Collection<String> bundles) throws IOException {
        Files.write(file, Files.readAllLines(HOME.resolve("features/file-node.features")).stream()
                .filter(l -> !bundles.contains(l.strip())).toList());
        return file;
    }

    static Path bundleJar(String artifact) throws IOException {
        try (var files = Files.list(HOME.resolve("distribution/assembly/target/xloud/bundles"))) {
            return files.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(artifact)
                    + "-[0-9].*\\.jar")).findFirst().orElseThrow(() -> new AssertionError("no " + artifact + " jar"));
        }
    }

    /**
     * A bundle jar as its vendor would ship an update, written to {@code out}: another
     * Bundle-Version, and the text of some entries changed ({@code edits}: entry name to change).
     */
    static Path upgraded(Path jar, Path out, String version,
                         java.util.Map<String, java.util.function.UnaryOperator<String>> edits) throws IOException {
        return BundleUpdates.repacked(jar, out, version, (name, bytes) -> {
            var edit = edits.get(name);
            return edit == null ? bytes : edit.apply(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        });
    }

    /** Drops a bundle jar into the node's deploy folder whole at once (FileInstall never sees half a jar). */
    void deploy(Path jar) throws IOException {
        deploy(jar, jar.getFileName().toString());
    }

    /** Drops a jar under another name: a new version under the name of the running one replaces it. */
    void deploy(Path jar, String name) throws IOException {
        Path tmp = dataDir.resolve(name + ".part");
        Files.copy(jar, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, dataDir.resolve("deploy").resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Takes a bundle jar out of the deploy folder: FileInstall uninstalls the bundle. */
    void undeploy(Path jar) throws IOException {
        Files.delete(dataDir.resolve("deploy").resolve(jar.getFileName()));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A request that asks for JSON, as openstacksdk does (errors then come as Glance's JSON body). */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
    }

    /** A raw, bare image named {@code name}, with {@code members} (",\"key\":value..." or "") in its body; its id. */
    String createRaw(String name, String members) throws IOException, InterruptedException {
        HttpResponse<String> r = postJson("/v2/images", "{\"name\":\"" + name + "\",\"disk_format\":\"raw\","
                + "\"container_format\":\"bare\"" + members + "}");
        if (r.statusCode() != 201) {
            throw new AssertionError("creating an image: " + r.statusCode() + " " + r.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("id").asText();
    }

    /** One of the concerns {@code GET /v2/x-admin/health} lists: its name, bundle, version and state. */
    com.fasterxml.jackson.databind.JsonNode concern(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/v2/x-admin/health");
        if (r.statusCode() != 200) {
            throw new AssertionError("the health report: " + r.statusCode() + " " + r.body());
        }
        for (var c : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("concerns")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no concern " + name + " in " + r.body());
    }

    /** {@code data} PUT to the image's {@code what}: {@code file} (upload) or {@code stage}. */
    HttpResponse<String> putData(String id, String what, byte[] data) throws IOException, InterruptedException {
        return send(request("/v2/images/" + id + "/" + what).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
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
