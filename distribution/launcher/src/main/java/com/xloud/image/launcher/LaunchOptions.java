package com.xloud.image.launcher;

import java.nio.file.Path;

/** The command line of {@code ./xloud run}. */
record LaunchOptions(Path home, Path dataDir, Path configDir, Path deployDir, Path features, String host, int port,
                     String nodeId) {

    static final String USAGE = """
            usage: xloud run [options]
              --port N           HTTP port (default 9292)
              --host ADDR        address to listen on (default 127.0.0.1)
              --data-dir DIR     database, image files, logs, OSGi cache (default ./data)
              --config-dir DIR   etc/*.cfg and logback.xml (default distribution/etc)
              --deploy-dir DIR   bundles dropped in here start at runtime (default <data-dir>/deploy)
              --features NAME    bundle set to install: a profile in features/ (file-node, rbd-node,
                                 swift-node, full) or a feature file (default file-node)
              --node-id NAME     this node's name in events and logs (default node-<port>)
            """;

    static LaunchOptions parse(Path home, String[] args) {
        Path data = home.resolve("data");
        Path config = home.resolve("distribution/etc");
        Path deploy = null;
        Path features = home.resolve("features/file-node.features");
        String host = "127.0.0.1";
        int port = 9292;
        String node = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = port(v);
                case "--host" -> host = v;
                case "--data-dir" -> data = Path.of(v);
                case "--config-dir" -> config = Path.of(v);
                case "--deploy-dir" -> deploy = Path.of(v);
                case "--features" -> features = features(home, v);
                case "--node-id" -> node = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        data = data.toAbsolutePath().normalize();
        return new LaunchOptions(home, data, config.toAbsolutePath().normalize(),
                (deploy == null ? data.resolve("deploy") : deploy).toAbsolutePath().normalize(),
                features.toAbsolutePath().normalize(), host, port, node == null ? "node-" + port : node);
    }

    /** A feature file, or the name of a profile in features/ ("swift-node" for features/swift-node.features). */
    static Path features(Path home, String v) {
        Path named = home.resolve("features").resolve(v.endsWith(".features") ? v : v + ".features");
        if (!v.contains("/") && java.nio.file.Files.isRegularFile(named)) {
            return named;
        }
        Path file = Path.of(v);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no feature file " + v + " (nor " + named + ")");
        }
        return file;
    }

    private static int port(String v) {
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port takes a number from 0 to 65535, got " + v);
        }
    }
}
