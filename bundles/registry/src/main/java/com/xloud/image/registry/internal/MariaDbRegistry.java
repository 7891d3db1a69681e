package com.xloud.image.registry.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageMember;
import com.xloud.image.api.images.ImagePage;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageTask;
import com.xloud.image.api.images.ProjectUsage;
import com.xloud.image.registry.ImageRegistry;
import com.xloud.image.registry.StrayCounts;
import com.xloud.image.registry.StrayData;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.flywaydb.core.Flyway;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry on MariaDB: pool, migrations at start, projection and queries. */
@Component(service = ImageRegistry.class, configurationPid = "com.xloud.image.registry",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RegistryConfig.class)
public final class MariaDbRegistry implements ImageRegistry {
    /** Framework property the launcher sets when it started the embedded MariaDB. */
    public static final String EMBEDDED_URL_PROPERTY = "xloud.db.embedded.url";

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbRegistry.class);
    private static final String GATE_PASSED = MariaDbRegistry.class.getName() + ".gate";

    private final HikariDataSource dataSource;
    /** Unpooled: for the one connection of a rebuild, which changes its default schema. */
    private final DataSource direct;
    private final ConnectionProvider connections;
    private final List<Object> projections;

    @Activate
    public MariaDbRegistry(BundleContext context, RegistryConfig config) {
        this(resolveUrl(context, config), config.db_user(), config.db_password(), config.db_pool_size(),
                config.db_connection_timeout());
    }

    public MariaDbRegistry(String url, String user, String password, int poolSize, long connectionTimeoutMs) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("registry");
        this.direct = mariadb(url, user, password);
        hc.setDataSource(mariadb(url, user, password));
        hc.setMaximumPoolSize(poolSize);
        hc.setConnectionTimeout(connectionTimeoutMs);
        hc.setAutoCommit(true);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        this.dataSource = new HikariDataSource(hc);
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        this.connections = new UnitOfWorkAwareConnectionProviderWrapper(() -> {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            return c;
        });
        RegistryProjection images = new RegistryProjection(gated(connections));
        this.projections = List.of(images, new SharingProjection(images), new ImportProjection(images),
                new LocationProjection(images), new MetadefsProjection(images));
        LOG.info("registry ready on {}", url.replaceAll("password=[^&]*", "password=***"));
    }

    /**
     * The projection's connections: the first use in a unit of work reads the gate row in share
     * mode, which waits while a rebuild swaps the tables (it holds the row exclusively then).
     */
    private static ConnectionProvider gated(ConnectionProvider connections) {
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

    private static String resolveUrl(BundleContext context, RegistryConfig config) {
        if (!config.db_url().isBlank()) {
            return config.db_url();
        }
        String embedded = context.getProperty(EMBEDDED_URL_PROPERTY);
        if (embedded == null || embedded.isBlank()) {
            throw new IllegalStateException("db.url is not set in etc/com.xloud.image.registry.cfg and no embedded"
                    + " MariaDB was started");
        }
        return embedded;
    }

    private static DataSource mariadb(String url, String user, String password) {
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

    private static void migrate(DataSource ds) {
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

    @Deactivate
    public void close() {
        dataSource.close();
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public ConnectionProvider connections() {
        return connections;
    }

    @Override
    public List<Object> projections() {
        return projections;
    }

    @Override
    public Optional<Image> find(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ImageRows.COLUMNS + " FROM images i WHERE i.id = ?")) {
            ps.setString(1, id);
            return ImageRows.read(ps).stream().findFirst();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ImagePage list(ImageQuery query, String projectId, boolean admin, Image marker) {
        try (Connection c = dataSource.getConnection()) {
            return ImageListing.list(c, query, projectId, admin, marker);
        } catch (IllegalArgumentException e) {
            throw ImageException.badRequest(e.getMessage());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<ImageMember> members(String imageId) {
        return memberQuery("SELECT image_id, member_id, status, created_at, updated_at FROM image_members"
                + " WHERE image_id = ? ORDER BY member_id", imageId);
    }

    @Override
    public Optional<ImageMember> member(String imageId, String memberId) {
        return memberQuery("SELECT image_id, member_id, status, created_at, updated_at FROM image_members"
                + " WHERE image_id = ? AND member_id = ?", imageId, memberId).stream().findFirst();
    }

    private List<ImageMember> memberQuery(String sql, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ImageRows.bind(ps, List.of((Object[]) args));
            List<ImageMember> members = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new ImageMember(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC),
                            rs.getObject(5, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC)));
                }
            }
            return members;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Finished tasks live until their expiry (Glance: task_time_to_live), then leave every listing. */
    private static final String LIVE_TASK = "(expires_at IS NULL OR expires_at > UTC_TIMESTAMP(6))";

    private static final String TASK_COLUMNS = "id, type, status, owner, image_id, input_json, result_json, message,"
            + " user_id, request_id, created_at, updated_at, expires_at";

    @Override
    public Optional<ImageTask> task(String taskId) {
        return taskQuery("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?", taskId).stream().findFirst();
    }

    @Override
    public List<ImageTask> tasksOf(String imageId) {
        return taskQuery("SELECT " + TASK_COLUMNS + " FROM tasks WHERE image_id = ? AND " + LIVE_TASK
                + " ORDER BY created_at DESC, id DESC", imageId);
    }

    @Override
    public List<ImageTask> tasks(int limit, String marker) {
        if (marker == null) {
            return taskQuery("SELECT " + TASK_COLUMNS + " FROM tasks WHERE " + LIVE_TASK
                    + " ORDER BY created_at DESC, id DESC LIMIT " + Math.max(0, limit));
        }
        if (task(marker).isEmpty()) {
            throw ImageException.badRequest("Invalid marker. Task " + marker + " could not be found.");
        }
        return taskQuery("SELECT " + TASK_COLUMNS + " FROM tasks t WHERE " + LIVE_TASK + " AND (t.created_at, t.id) <"
                + " (SELECT m.created_at, m.id FROM tasks m WHERE m.id = ?) ORDER BY created_at DESC, id DESC LIMIT "
                + Math.max(0, limit), marker);
    }

    private List<ImageTask> taskQuery(String sql, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ImageRows.bind(ps, List.of((Object[]) args));
            List<ImageTask> tasks = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.time.LocalDateTime expires = rs.getObject(13, java.time.LocalDateTime.class);
                    tasks.add(new ImageTask(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Json.map(rs.getString(6)), Json.map(rs.getString(7)), rs.getString(8),
                            rs.getString(9), rs.getString(10),
                            rs.getObject(11, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC),
                            rs.getObject(12, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC),
                            expires == null ? null : expires.toInstant(java.time.ZoneOffset.UTC)));
                }
            }
            return tasks;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<com.xloud.image.api.images.ImageEventRecord> history(String imageId) {
        try (Connection c = dataSource.getConnection()) {
            return AuditTrail.history(c, imageId);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<com.xloud.image.api.images.ImageEventRecord> audit(com.xloud.image.api.images.AuditQuery query) {
        try (Connection c = dataSource.getConnection()) {
            return AuditTrail.audit(c, query);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ProjectUsage usage(String projectId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(CASE WHEN location IS NOT NULL THEN size END), 0),"
                     + " COALESCE(SUM(staged_size), 0), COUNT(*),"
                     + " COALESCE(SUM(status IN ('saving', 'uploading', 'importing')), 0)"
                     + " FROM images WHERE owner <=> ? AND deleted = FALSE")) {
            ps.setString(1, projectId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ProjectUsage(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Image> uploadingThrough(String nodeId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ImageRows.COLUMNS
                     + " FROM images i WHERE i.status IN ('saving', 'uploading', 'importing') AND i.upload_node = ?")) {
            ps.setString(1, nodeId);
            return ImageRows.read(ps);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public com.xloud.image.registry.RegistryCopy copy() {
        return SchemaCopy.create(direct, dataSource);
    }

    @Override
    public void nodeAlive(String nodeId, String url) {
        execute("INSERT INTO nodes (node_id, url, started_at, seen_at) VALUES (?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
                + " ON DUPLICATE KEY UPDATE url = VALUES(url), seen_at = UTC_TIMESTAMP(6)", nodeId, url);
    }

    @Override
    public Optional<String> nodeUrl(String nodeId) {
        return single("SELECT url FROM nodes WHERE node_id = ?", nodeId);
    }

    @Override
    public Optional<String> transferNode(String imageId) {
        return single("SELECT upload_node FROM images WHERE id = ?", imageId);
    }

    private Optional<String> single(String sql, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void transferProgress(String imageId, String nodeId, long bytes) {
        execute("INSERT INTO transfer_heartbeats (image_id, node_id, bytes, beat_at) VALUES (?, ?, ?, UTC_TIMESTAMP(6))"
                + " ON DUPLICATE KEY UPDATE node_id = VALUES(node_id), bytes = VALUES(bytes), beat_at = UTC_TIMESTAMP(6)",
                imageId, nodeId, bytes);
    }

    @Override
    public void transferEnded(String imageId) {
        execute("DELETE FROM transfer_heartbeats WHERE image_id = ?", imageId);
    }

    private void execute(String sql, Object... values) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Image> stalledTransfers(java.time.Duration stall) {
        long micros = stall.toNanos() / 1000;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ImageRows.COLUMNS + " FROM images i"
                     + " LEFT JOIN transfer_heartbeats h ON h.image_id = i.id"
                     + " WHERE (i.status IN ('saving', 'importing')"
                     + "   AND COALESCE(h.beat_at, i.updated_at) < UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND)"
                     + " OR (i.status = 'uploading' AND h.beat_at < UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND)"
                     + " ORDER BY i.updated_at LIMIT 100")) {
            ps.setLong(1, micros);
            ps.setLong(2, micros);
            return ImageRows.read(ps);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Data of deleted images still in a store, as a derived table {@code d}: their locations and what they left behind. */
    private static final String DELETED_DATA = "(SELECT l.image_id, l.store_id, l.location FROM image_locations l"
            + " JOIN images i ON i.id = l.image_id WHERE i.deleted = TRUE"
            + " UNION SELECT s.image_id, s.store_id, s.location FROM image_stray_data s"
            + " JOIN images i ON i.id = s.image_id WHERE i.deleted = TRUE) d";

    @Override
    public List<StrayData> strayData(String afterImageId, String afterLocation, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT d.image_id, d.store_id, d.location FROM " + DELETED_DATA
                     + " WHERE (d.image_id, d.location) > (?, ?) ORDER BY d.image_id, d.location LIMIT ?")) {
            ps.setString(1, afterImageId);
            ps.setString(2, afterLocation);
            ps.setInt(3, limit);
            List<StrayData> found = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new StrayData(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public StrayCounts strayCounts() {
        Map<String, Long> waiting = new java.util.TreeMap<>();
        Map<String, Long> kept = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SELECT d.store_id, COUNT(*) FROM " + DELETED_DATA
                    + " GROUP BY d.store_id")) {
                while (rs.next()) {
                    waiting.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (java.sql.ResultSet rs = s.executeQuery("SELECT s.store_id, COUNT(*) FROM image_stray_data s"
                    + " JOIN images i ON i.id = s.image_id WHERE i.deleted = FALSE GROUP BY s.store_id")) {
                while (rs.next()) {
                    kept.put(rs.getString(1), rs.getLong(2));
                }
            }
            return new StrayCounts(waiting, kept);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long eventCount() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM DomainEventEntry")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    static boolean sortable(String key) {
        return ImageListing.sortable(key);
    }

    private static ImageException unavailable(SQLException e) {
        LOG.error("registry query failed", e);
        return new ImageException(ImageException.Kind.UNAVAILABLE, "The image registry is unavailable");
    }
}
