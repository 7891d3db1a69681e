package com.xloud.image.api.images;

import java.time.Instant;

/** Filters of the audit trail (null: any), a page size and the index after (or before) which to read. */
public record AuditQuery(String projectId, String userId, String imageId, String type, Instant since, Instant until,
                         int limit, Long marker, boolean ascending) {
}
