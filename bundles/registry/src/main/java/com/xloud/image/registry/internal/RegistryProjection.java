package com.xloud.image.registry.internal;

import com.xloud.image.api.events.CopyFinished;
import com.xloud.image.api.events.CopyStarted;
import com.xloud.image.api.events.ImageActivated;
import com.xloud.image.api.events.ImageCreated;
import com.xloud.image.api.events.ImageDataStored;
import com.xloud.image.api.events.ImageDeactivated;
import com.xloud.image.api.events.ImageDeleted;
import com.xloud.image.api.events.ImageHashed;
import com.xloud.image.api.events.ImageReactivated;
import com.xloud.image.api.events.ImageStaged;
import com.xloud.image.api.events.ImportFailed;
import com.xloud.image.api.events.ImportProgressed;
import com.xloud.image.api.events.ImportStarted;
import com.xloud.image.api.events.ImportSucceeded;
import com.xloud.image.api.events.StagingFailed;
import com.xloud.image.api.events.StagingStarted;
import com.xloud.image.api.events.MemberAdded;
import com.xloud.image.api.events.MemberRemoved;
import com.xloud.image.api.events.MemberStatusChanged;
import com.xloud.image.api.events.ImageUpdated;
import com.xloud.image.api.events.TagAdded;
import com.xloud.image.api.events.TagRemoved;
import com.xloud.image.api.events.SignatureRejected;
import com.xloud.image.api.events.UploadFailed;
import com.xloud.image.api.events.UploadRefused;
import com.xloud.image.api.events.UploadStarted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.EventHandler;

/**
 * Translates image events into registry rows (the image, its properties, tags and locations; the
 * helpers here serve {@link SharingProjection} and {@link ImportProjection} too). It decides nothing: every rule was checked by the
 * aggregate before the event existed. It runs in the unit of work that appends the event, on the
 * same connection, so a failure here rolls the event back too.
 */
public final class RegistryProjection {

    /** Image attributes an {@link ImageUpdated} may carry, by wire name = column name. */
    private static final Set<String> UPDATABLE = Set.of("name", "visibility", "protected", "os_hidden",
            "disk_format", "container_format", "min_ram", "min_disk", "owner");

    private final ConnectionProvider connections;

    public RegistryProjection(ConnectionProvider connections) {
        this.connections = connections;
    }

    /** The connection of the current unit of work, for the projections that build on this one. */
    Connection connection() throws SQLException {
        return connections.getConnection();
    }

    @EventHandler
    public void on(ImageCreated e) throws SQLException {
        Connection c = connections.getConnection();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO images (id, name, status, visibility, protected,"
                + " os_hidden, owner, disk_format, container_format, min_ram, min_disk, created_at, updated_at)"
                + " VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.name());
            ps.setString(3, e.visibility());
            ps.setBoolean(4, e.isProtected());
            ps.setBoolean(5, e.osHidden());
            ps.setString(6, e.owner());
            ps.setString(7, e.diskFormat());
            ps.setString(8, e.containerFormat());
            ps.setInt(9, e.minRam());
            ps.setInt(10, e.minDisk());
            ps.setObject(11, ts(e.origin().at()));
            ps.setObject(12, ts(e.origin().at()));
            ps.executeUpdate();
        }
        upsertProperties(c, e.imageId(), e.properties());
        insertTags(c, e.imageId(), e.tags());
        ImageDocuments.refreshDocuments(c, e.imageId());
    }

    @EventHandler
    public void on(ImageUpdated e) throws SQLException {
        Connection c = connections.getConnection();
        StringBuilder sql = new StringBuilder("UPDATE images SET updated_at = ?");
        for (String attribute : e.attributes().keySet()) {
            if (!UPDATABLE.contains(attribute)) {
                throw new IllegalArgumentException("attribute " + attribute + " cannot be projected");
            }
            sql.append(", `").append(attribute).append("` = ?");
        }
        sql.append(" WHERE id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setObject(i++, ts(e.origin().at()));
            for (Object value : e.attributes().values()) {
                ps.setObject(i++, value);
            }
            ps.setString(i, e.imageId());
            ps.executeUpdate();
        }
        upsertProperties(c, e.imageId(), e.propertiesSet());
        if (!e.propertiesRemoved().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_properties WHERE image_id = ? AND name = ?")) {
                for (String name : e.propertiesRemoved()) {
                    ps.setString(1, e.imageId());
                    ps.setString(2, name);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (e.tags() != null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_tags WHERE image_id = ?")) {
                ps.setString(1, e.imageId());
                ps.executeUpdate();
            }
            insertTags(c, e.imageId(), e.tags());
        }
        if (!e.propertiesSet().isEmpty() || !e.propertiesRemoved().isEmpty() || e.tags() != null) {
            ImageDocuments.refreshDocuments(c, e.imageId());
        }
    }

    @EventHandler
    public void on(TagAdded e) throws SQLException {
        tagChange("INSERT IGNORE INTO image_tags (image_id, tag) VALUES (?, ?)", e.imageId(), e.tag(), e.origin().at());
    }

    @EventHandler
    public void on(TagRemoved e) throws SQLException {
        tagChange("DELETE FROM image_tags WHERE image_id = ? AND tag = ?", e.imageId(), e.tag(), e.origin().at());
    }

    private void tagChange(String sql, String imageId, String tag, Instant at) throws SQLException {
        Connection c = connections.getConnection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, imageId);
            ps.setString(2, tag);
            ps.executeUpdate();
        }
        touch(c, imageId, at);
        ImageDocuments.refreshDocuments(c, imageId);
    }

    @EventHandler
    public void on(UploadStarted e) throws SQLException {
        update(e.imageId(), e.origin().at(), "status = 'saving', store_id = ?, upload_node = ?", e.storeId(),
                e.origin().nodeId());
    }

    @EventHandler
    public void on(ImageDataStored e) throws SQLException {
        update(e.imageId(), e.origin().at(), "size = ?, virtual_size = ?, checksum = ?, os_hash_algo = ?,"
                + " os_hash_value = ?, store_id = ?, location = ?, upload_node = NULL", e.size(), e.virtualSize(), e.checksum(),
                e.hashAlgo(), e.hashValue(), e.storeId(), e.location());
        LocationProjection.add(connections.getConnection(), e.imageId(), e.storeId(), e.location(), e.origin().at());
    }

    @EventHandler
    public void on(ImageHashed e) throws SQLException {
        update(e.imageId(), e.origin().at(), "checksum = ?, os_hash_algo = ?, os_hash_value = ?", e.checksum(),
                e.hashAlgo(), e.hashValue());
    }

    @EventHandler
    public void on(ImageActivated e) throws SQLException {
        update(e.imageId(), e.origin().at(), "status = 'active'");
    }

    @EventHandler
    public void on(UploadFailed e) throws SQLException {
        requeue(e.imageId(), e.origin().at());
    }

    @EventHandler
    public void on(SignatureRejected e) throws SQLException {
        requeue(e.imageId(), e.origin().at());
    }

    @EventHandler
    public void on(UploadRefused e) throws SQLException {
        requeue(e.imageId(), e.origin().at());
    }

    /** Data that went away before the image became active (failed, refused): the image is queued again. */
    private void requeue(String imageId, java.time.Instant at) throws SQLException {
        update(imageId, at, "status = 'queued', size = NULL, virtual_size = NULL, checksum = NULL,"
                + " os_hash_algo = NULL, os_hash_value = NULL, store_id = NULL, location = NULL, upload_node = NULL");
        LocationProjection.clear(connections.getConnection(), imageId);
    }

    @EventHandler
    public void on(ImageDeleted e) throws SQLException {
        update(e.imageId(), e.origin().at(), "status = 'deleted', deleted = TRUE, deleted_at = ?",
                ts(e.origin().at()));
    }

    @EventHandler
    public void on(ImageDeactivated e) throws SQLException {
        update(e.imageId(), e.origin().at(), "status = 'deactivated'");
    }

    @EventHandler
    public void on(ImageReactivated e) throws SQLException {
        update(e.imageId(), e.origin().at(), "status = 'active'");
    }
    void update(String id, Instant at, String assignments, Object... values) throws SQLException {
        Connection c = connections.getConnection();
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET " + assignments + ", updated_at = ? WHERE id = ?")) {
            int i = 1;
            for (Object v : values) {
                ps.setObject(i++, v);
            }
            ps.setObject(i++, ts(at));
            ps.setString(i, id);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no registry row for image " + id);
            }
        }
    }

    static void touch(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET updated_at = ? WHERE id = ?")) {
            ps.setObject(1, ts(at));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** Removes one property of an image (its JSON copy is refreshed by the caller). */
    static void removeProperty(Connection c, String id, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_properties WHERE image_id = ? AND name = ?")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    static void upsertProperties(Connection c, String id, Map<String, String> properties) throws SQLException {
        if (properties.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO image_properties (image_id, name, value)"
                + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)")) {
            for (Map.Entry<String, String> p : properties.entrySet()) {
                ps.setString(1, id);
                ps.setString(2, p.getKey());
                ps.setString(3, p.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void insertTags(Connection c, String id, Collection<String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO image_tags (image_id, tag) VALUES (?, ?)")) {
            for (String tag : tags) {
                ps.setString(1, id);
                ps.setString(2, tag);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** DATETIME columns hold UTC, whatever the JVM's zone. */
    static LocalDateTime ts(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
