package com.xloud.image.api.images;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored image event as the audit trail shows it: its place in the event store
 * ({@code index}, global; {@code sequence}, in the image's stream), its type, who caused it from
 * where and when, and what it changed (the event's own fields).
 */
public record ImageEventRecord(long index, String imageId, long sequence, String type, Instant at, String userId,
                               String projectId, List<String> roles, String nodeId, String requestId,
                               Map<String, Object> changes) {
}
