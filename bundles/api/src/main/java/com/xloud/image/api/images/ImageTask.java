package com.xloud.image.api.images;

import java.time.Instant;
import java.util.Map;

/** An import task, as Glance's /v2/tasks shows it. {@code result} and {@code expiresAt} are null until it ends. */
public record ImageTask(String id, String type, String status, String owner, String imageId, Map<String, Object> input,
                        Map<String, Object> result, String message, String userId, String requestId,
                        Instant createdAt, Instant updatedAt, Instant expiresAt) {
}
