package com.xloud.image.registry.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.registry.RegistryCopy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry tables once more, empty, in the schema {@code <db>_rebuild}, created from the live
 * tables' own definitions (keys and foreign keys included). One connection of its own (not from
 * the pool) writes them and holds
 * the rebuild lock (a MariaDB named lock, so one rebuild runs at a time across nodes) until the
 * copy is closed.
 */
final class SchemaCopy implements RegistryCopy {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCopy.class);
    /** Parents before children: the order the tables are created and renamed in. */
    static final List<String> TABLES = List.of("images", "image_properties", "image_tags", "image_members",
            "image_locations", "image_stray_data", "tasks", "metadef_namespaces", "metadef_objects",
            "metadef_properties", "metadef_tags", "metadef_resource_types", "metadef_namespace_resource_types");

    private final DataSource pool;
    private final Connection work;
    private final String live;
    private final String copy;
    private final String previous;
    private final String lockName;
    private final List<Object> projections;
    private boolean swapped;

    private SchemaCopy(DataSource pool, Connection work, String live, String lockName) {
        this.pool = pool;
        this.work = work;
        this.live = live;
        this.copy = live + "_rebuild";
        this.previous = live + "_previous";
        this.lockName = lockName;
        RegistryProjection images = new RegistryProjection(() -> work);
        this.projections = List.of(images, new SharingProjection(images), new ImportProjection(images),
                new LocationProjection(images), new MetadefsProjection(images));
    }

    /** {@code direct} gives the copy's own connection (never pooled: it changes its schema), {@code pool} the gate's. */
    static SchemaCopy create(DataSource direct, DataSource pool) {
        Connection work = null;
        try {
            work = direct.getConnection();
            String live = work.getCatalog();
            if (live == null || !live.matches("[A-Za-z0-9_]{1,48}")) {
                throw new IllegalStateException("the registry database name " + live + " cannot carry a rebuild schema");
            }
            String lockName = live + ".registry_rebuild";
            if (!namedLock(work, lockName)) {
                throw ImageException.conflict("A registry rebuild is already running.");
            }
            SchemaCopy c = new SchemaCopy(pool, work, live, lockName);
            try {
                c.createTables();
                work.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(work);
            throw new IllegalStateException("the rebuild tables could not be created: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(work);
            throw e;
        }
    }

    private static boolean namedLock(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    private static String q(String identifier) {
        return "`" + identifier + "`";
    }

    private void createTables() throws SQLException {
        try (Statement s = work.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + q(copy));
            s.execute("CREATE DATABASE " + q(copy));
            List<String> ddl = new ArrayList<>();
            for (String t : TABLES) {
                try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + q(live) + "." + q(t))) {
                    rs.next();
                    ddl.add(rs.getString(2));
                }
            }
            work.setCatalog(copy);
            for (String create : ddl) {
                // the definitions name their tables without a schema: they land in the copy's
                s.execute(create);
            }
        }
        LOG.info("registry rebuild: empty tables created in {}", copy);
    }

    @Override
    public List<Object> projections() {
        return projections;
    }

    @Override
    public void commit() {
        try {
            work.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the rebuild tables failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Boolean> swap(Runnable catchUp) {
        try (Connection gate = pool.getConnection()) {
            gate.setAutoCommit(false);
            try {
                try (Statement s = gate.createStatement()) {
                    s.executeQuery("SELECT id FROM registry_gate WHERE id = 1 FOR UPDATE").close();
                }
                catchUp.run();
                commit();
                Map<String, Boolean> same = compare();
                try (Statement s = work.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + q(previous));
                    s.execute("CREATE DATABASE " + q(previous));
                    List<String> moves = new ArrayList<>();
                    for (String t : TABLES) {
                        moves.add(q(live) + "." + q(t) + " TO " + q(previous) + "." + q(t));
                    }
                    for (String t : TABLES) {
                        moves.add(q(copy) + "." + q(t) + " TO " + q(live) + "." + q(t));
                    }
                    s.execute("RENAME TABLE " + String.join(", ", moves));
                }
                swapped = true;
                try (Statement s = gate.createStatement()) {
                    s.executeUpdate("UPDATE registry_gate SET rebuilt_at = UTC_TIMESTAMP(6) WHERE id = 1");
                }
                gate.commit();
                LOG.info("registry rebuild: rebuilt tables swapped in; the replaced ones are in {}", previous);
                return same;
            } catch (RuntimeException | SQLException e) {
                gate.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("swapping the rebuilt registry tables failed: " + e.getMessage(), e);
        }
    }

    /** Per table: whether the copy and the live table hold the same rows (CHECKSUM TABLE … EXTENDED). */
    private Map<String, Boolean> compare() throws SQLException {
        Map<String, Boolean> same = new LinkedHashMap<>();
        try (Statement s = work.createStatement()) {
            for (String t : TABLES) {
                try (ResultSet rs = s.executeQuery("CHECKSUM TABLE " + q(live) + "." + q(t) + ", " + q(copy) + "."
                        + q(t) + " EXTENDED")) {
                    rs.next();
                    long a = rs.getLong(2);
                    rs.next();
                    long b = rs.getLong(2);
                    same.put(t, a == b);
                }
            }
        }
        return same;
    }

    @Override
    public void close() {
        try {
            if (!work.getAutoCommit()) {
                work.rollback();
                work.setAutoCommit(true);
            }
            work.setCatalog(live);
            try (Statement s = work.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + q(copy));
            }
            try (var ps = work.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                ps.setString(1, lockName);
                ps.executeQuery().close();
            }
        } catch (SQLException e) {
            LOG.warn("registry rebuild: cleaning up {} failed ({}); the next rebuild starts it afresh", copy,
                    e.getMessage());
        } finally {
            closeQuietly(work);
        }
        if (!swapped) {
            LOG.info("registry rebuild: {} dropped, the live tables were not replaced", copy);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
        }
    }
}
