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
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry on MariaDB: its projections and queries ({@link RegistryDatabase} has the pool and the migrations). */
@Component(service = ImageRegistry.class, configurationPid = "com.xloud.image.registry",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RegistryConfig.class)
public final class MariaDbRegistry implements ImageRegistry {
    /** Framework property the launcher sets when it started the embedded MariaDB. */
    public static final String EMBEDDED_URL_PROPERTY = "xloud.db.embedded.url";

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbRegistry.class);

    private final HikariDataSource dataSource;
    /** Unpooled: for the one connection of a rebuild, which changes its default schema. */
    private final DataSource direct;
    private final ConnectionProvider connections;
    private final List<Object> projections;
    private final TaskRows tasks;

    @Activate
    public MariaDbRegistry(BundleContext context, RegistryConfig config) {
        this(RegistryDatabase.resolveUrl(context, config), config.db_user(), config.db_password(), config.db_pool_size(),
                config.db_connection_timeout());
    }

    public MariaDbRegistry(String url, String user, String password, int poolSize, long connectionTimeoutMs) {
        this.direct = RegistryDatabase.mariadb(url, user, password);
        this.dataSource = RegistryDatabase.migratedPool(url, user, password, poolSize, connectionTimeoutMs);
        this.tasks = new TaskRows(dataSource);
        this.connections = new UnitOfWorkAwareConnectionProviderWrapper(() -> {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            return c;
        });
        RegistryProjection images = new RegistryProjection(RegistryDatabase.gated(connections));
        this.projections = List.of(images, new SharingProjection(images), new ImportProjection(images),
                new LocationProjection(images), new MetadefsProjection(images));
        LOG.info("registry ready on {}", url.replaceAll("password=[^&]*", "password=***"));
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

    @Override
    public Optional<ImageTask> task(String taskId) {
        return tasks.task(taskId);
    }

    @Override
    public List<ImageTask> tasksOf(String imageId) {
        return tasks.tasksOf(imageId);
    }

    @Override
    public List<ImageTask> tasks(int limit, String marker) {
        return tasks.tasks(limit, marker);
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

    static ImageException unavailable(SQLException e) {
        LOG.error("registry query failed", e);
        return new ImageException(ImageException.Kind.UNAVAILABLE, "The image registry is unavailable");
    }
}
