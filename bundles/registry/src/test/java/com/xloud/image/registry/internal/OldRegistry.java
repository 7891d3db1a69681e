package com.xloud.image.registry.internal;

import com.xloud.image.launcher.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/** A registry as an earlier release left it: a database of its own, migrated up to one version. */
final class OldRegistry {
    private OldRegistry() {
    }

    /** Creates database {@code name} with {@code charset}, migrates it up to {@code target}; returns its JDBC URL. */
    static String create(EmbeddedMariaDb db, String name, String charset, String target) throws Exception {
        String url = db.jdbcUrl().replace("/scratch", "/" + name);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET " + charset);
        }
        Flyway.configure(OldRegistry.class.getClassLoader()).dataSource(url, db.user(), "")
                .locations("classpath:db/migration/xloud").table("schema_history").target(target)
                .javaMigrations(new DocumentsRewrite()).load().migrate();
        return url;
    }
}
