package com.xloud.image.registry.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.flywaydb.core.Flyway;
import org.osgi.framework.BundleContext;

/**
 * The registry's database: which one (the configured URL or the embedded MariaDB the launcher
 * started), its connection pool, the schema migrations run at start, and the gate the projection
 * passes while a registry rebuild swaps tables.
 */
final class RegistryDatabase {
    private static final String GATE_PASSED = MariaDbRegistry.class.getName() + ".gate";

    private RegistryDatabase() {
    }

    /** The pool, its schema migrated to the latest version (a migration that fails closes it). */
    static HikariDataSource migratedPool(String url, String user, String password, int poolSize, long connectionTimeoutMs) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("registry");
        hc.setDataSource(mariadb(url, user, password));
        hc.setMaximumPoolSize(poolSize);
        hc.setConnectionTimeout(connectionTimeoutMs);
        hc.setAutoCommit(true);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource pool = new HikariDataSource(hc);
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /**
     * The projection's connections: the first use in a unit of work reads the gate row in share
     * mode, which waits while a rebuild swaps the tables (it holds the row exclusively then).
     */
    static ConnectionProvider gated(ConnectionProvider connections) {
        return () -> {
            Connection c = connections.getConnection();
            if (org.axonframework.messaging.unitofwork.CurrentUnitOfWork.isStarted()
                    && org.axonframework.messaging.unitofwork.CurrentUnitOfWork.get().root().resources()
                    .putIfAbsent(GATE_PASSED, Boolean.TRUE) == null) {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT id FROM registry_gate WHERE id = 1 LOCK IN SHARE MODE").close();
                }
            }
            return c;
        };
    }

    static String resolveUrl(BundleContext context, RegistryConfig config) {
        if (!config.db_url().isBlank()) {
            return config.db_url();
        }
        String embedded = context.getProperty(MariaDbRegistry.EMBEDDED_URL_PROPERTY);
        if (embedded == null || embedded.isBlank()) {
            throw new IllegalStateException("db.url is not set in etc/com.xloud.image.registry.cfg and no embedded"
                    + " MariaDB was started");
        }
        return embedded;
    }

    static DataSource mariadb(String url, String user, String password) {
        try {
            org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource(url);
            ds.setUser(user);
            if (password != null && !password.isEmpty()) {
                ds.setPassword(password);
            }
            return ds;
        } catch (SQLException e) {
            throw new IllegalStateException("invalid db.url " + url + ": " + e.getMessage(), e);
        }
    }

    static void migrate(DataSource ds) {
        ClassLoader loader = MariaDbRegistry.class.getClassLoader();
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            Flyway.configure(loader)
                    .dataSource(ds)
                    .locations("classpath:db/migration/xloud")
                    .table("schema_history")
                    .javaMigrations(new DocumentsRewrite(), new ImportLocksDropped())
                    .load()
                    .migrate();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
