package com.xloud.image.registry.internal;

import com.xloud.image.api.images.TextLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.axonframework.eventhandling.EventHandler;
import com.xloud.image.api.events.CopyFinished;
import com.xloud.image.api.events.CopyStarted;
import com.xloud.image.api.events.ImageStaged;
import com.xloud.image.api.events.ImportFailed;
import com.xloud.image.api.events.ImportProgressed;
import com.xloud.image.api.events.ImportStarted;
import com.xloud.image.api.events.ImportSucceeded;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.events.StagingFailed;
import com.xloud.image.api.events.StagingStarted;

/**
 * Translates staging, import and copy events into the image's status and os_glance_* properties
 * and into the tasks table, in the unit of work that appends them.
 */
public final class ImportProjection {
    private final RegistryProjection images;

    ImportProjection(RegistryProjection images) {
        this.images = images;
    }

    /**
     * Glance's import bookkeeping properties, visible on the image; the task's lock only while the
     * task runs (Glance drops it when the task ends, whatever the outcome).
     */
    private static final String TASK_PROPERTY = "os_glance_import_task";
    private static final String IMPORTING_PROPERTY = "os_glance_importing_to_stores";
    private static final String FAILED_PROPERTY = "os_glance_failed_import";

    /** How long a finished task stays listed (Glance: task_time_to_live, 48 h). */
    private static final java.time.Duration TASK_TTL = java.time.Duration.ofHours(48);


    @EventHandler
    public void on(CopyStarted e) throws SQLException {
        Connection c = images.connection();
        RegistryProjection.upsertProperties(c, e.imageId(), Map.of(TASK_PROPERTY, e.taskId(), IMPORTING_PROPERTY,
                String.join(",", e.stores()), FAILED_PROPERTY, ""));
        ImageDocuments.refreshDocuments(c, e.imageId());
        RegistryProjection.touch(c, e.imageId(), e.origin().at());
        insertTask(c, e.taskId(), e.imageId(), e.input(), e.origin());
    }

    @EventHandler
    public void on(CopyFinished e) throws SQLException {
        Connection c = images.connection();
        RegistryProjection.upsertProperties(c, e.imageId(), Map.of(IMPORTING_PROPERTY, "", FAILED_PROPERTY, String.join(",", e.failedStores())));
        RegistryProjection.removeProperty(c, e.imageId(), TASK_PROPERTY);
        ImageDocuments.refreshDocuments(c, e.imageId());
        RegistryProjection.touch(c, e.imageId(), e.origin().at());
        endOrTouchTask(e.taskId(), e.succeeded() ? "success" : "failure",
                e.succeeded() ? Json.write(Map.of("image_id", e.imageId())) : null, e.message(), e.origin().at());
    }

    @EventHandler
    public void on(StagingStarted e) throws SQLException {
        images.update(e.imageId(), e.origin().at(), "status = 'uploading', upload_node = ?", e.origin().nodeId());
    }

    @EventHandler
    public void on(ImageStaged e) throws SQLException {
        images.update(e.imageId(), e.origin().at(), "staged_size = ?", e.size());
    }

    @EventHandler
    public void on(StagingFailed e) throws SQLException {
        images.update(e.imageId(), e.origin().at(), "status = 'queued', staged_size = NULL, upload_node = NULL");
    }

    @EventHandler
    public void on(ImportStarted e) throws SQLException {
        images.update(e.imageId(), e.origin().at(), "status = 'importing', upload_node = ?", e.origin().nodeId());
        Connection c = images.connection();
        RegistryProjection.upsertProperties(c, e.imageId(), Map.of(TASK_PROPERTY, e.taskId(), IMPORTING_PROPERTY, e.storeId(),
                FAILED_PROPERTY, ""));

        ImageDocuments.refreshDocuments(c, e.imageId());
        insertTask(c, e.taskId(), e.imageId(), e.input(), e.origin());
    }

    @EventHandler
    public void on(ImportProgressed e) throws SQLException {
        if (e.stagedBytes() != null) {
            images.update(e.imageId(), e.origin().at(), "staged_size = ?", e.stagedBytes());
        }
        endOrTouchTask(e.taskId(), null, null, null, e.origin().at());
    }

    @EventHandler
    public void on(ImportSucceeded e) throws SQLException {
        Connection c = images.connection();
        images.update(e.imageId(), e.origin().at(), "staged_size = NULL, upload_node = NULL");
        RegistryProjection.upsertProperties(c, e.imageId(), Map.of(IMPORTING_PROPERTY, "", FAILED_PROPERTY,
                String.join(",", e.failedStores())));
        RegistryProjection.removeProperty(c, e.imageId(), TASK_PROPERTY);
        ImageDocuments.refreshDocuments(c, e.imageId());
        endOrTouchTask(e.taskId(), "success", Json.write(Map.of("image_id", e.imageId())), "", e.origin().at());
    }

    @EventHandler
    public void on(ImportFailed e) throws SQLException {
        Connection c = images.connection();
        images.update(e.imageId(), e.origin().at(), "status = 'queued', staged_size = NULL, upload_node = NULL, size = NULL,"
                + " virtual_size = NULL, checksum = NULL, os_hash_algo = NULL, os_hash_value = NULL, store_id = NULL,"
                + " location = NULL");
        RegistryProjection.upsertProperties(c, e.imageId(), Map.of(IMPORTING_PROPERTY, "", FAILED_PROPERTY, e.storeId()));
        RegistryProjection.removeProperty(c, e.imageId(), TASK_PROPERTY);
        ImageDocuments.refreshDocuments(c, e.imageId());
        LocationProjection.clear(c, e.imageId());
        endOrTouchTask(e.taskId(), "failure", null, e.reason(), e.origin().at());
    }

    private static void insertTask(Connection c, String taskId, String imageId, Map<String, Object> input,
                                   Origin origin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (id, type, status, owner, image_id, input_json,"
                + " message, user_id, request_id, created_at, updated_at) VALUES (?, 'api_image_import', 'processing',"
                + " ?, ?, ?, '', ?, ?, ?, ?)")) {
            ps.setString(1, taskId);
            ps.setString(2, origin.projectId());
            ps.setString(3, imageId);
            ps.setString(4, Json.write(input));
            ps.setString(5, origin.userId());
            ps.setString(6, origin.requestId());
            ps.setObject(7, RegistryProjection.ts(origin.at()));
            ps.setObject(8, RegistryProjection.ts(origin.at()));
            ps.executeUpdate();
        }
    }


    /** Updates a task's time; with a final status also its result, message and expiry. */
    private void endOrTouchTask(String taskId, String status, String resultJson, String message, Instant at)
            throws SQLException {
        Connection c = images.connection();
        String sql = status == null ? "UPDATE tasks SET updated_at = ? WHERE id = ?"
                : "UPDATE tasks SET updated_at = ?, status = ?, result_json = ?, message = ?, expires_at = ? WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, RegistryProjection.ts(at));
            if (status == null) {
                ps.setString(2, taskId);
            } else {
                ps.setString(2, status);
                ps.setString(3, resultJson);
                ps.setString(4, TextLimits.truncate(message, TextLimits.MESSAGE));
                ps.setObject(5, RegistryProjection.ts(at.plus(TASK_TTL)));
                ps.setString(6, taskId);
            }
            ps.executeUpdate();
        }
    }
}
