package com.xloud.image.registry.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageTask;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The registry's import tasks (Glance's tasks table): one, an image's, and all of them newest first. */
final class TaskRows {
    private final DataSource dataSource;

    TaskRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Finished tasks live until their expiry (Glance: task_time_to_live), then leave every listing. */
    private static final String LIVE_TASK = "(expires_at IS NULL OR expires_at > UTC_TIMESTAMP(6))";

    private static final String TASK_COLUMNS = "id, type, status, owner, image_id, input_json, result_json, message,"
            + " user_id, request_id, created_at, updated_at, expires_at";

    Optional<ImageTask> task(String taskId) {
        return taskQuery("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?", taskId).stream().findFirst();
    }

    List<ImageTask> tasksOf(String imageId) {
        return taskQuery("SELECT " + TASK_COLUMNS + " FROM tasks WHERE image_id = ? AND " + LIVE_TASK
                + " ORDER BY created_at DESC, id DESC", imageId);
    }

    List<ImageTask> tasks(int limit, String marker) {
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
            throw MariaDbRegistry.unavailable(e);
        }
    }
}
