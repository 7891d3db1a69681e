package com.xloud.image.api.images;

import java.util.List;
import java.util.Map;

/** What operators ask a node: the audit trail, the registry rebuild, the image cache, the detailed health. */
public interface AdminService {
    /** Admin: events of all images, filtered, keyset-paginated on the event index. */
    List<ImageEventRecord> audit(RequestContext ctx, AuditQuery query);

    /**
     * Admin: starts rebuilding the registry from the event store into fresh tables that are then
     * verified against the live ones and swapped in, while the service goes on; returns the
     * rebuild's progress document ({@code state}, {@code phase}, {@code events}, {@code
     * events_total}, {@code percent}, and when done {@code tables} and {@code unchanged}).
     */
    Map<String, Object> rebuildRegistry(RequestContext ctx);

    /** Admin: the progress of the running or last registry rebuild of this node. */
    Map<String, Object> registryRebuildStatus(RequestContext ctx);

    /** True when this node runs an image cache: the cache API answers and /versions lists 2.18. */
    boolean cacheEnabled();

    /** Admin, GET /v2/cache: {@code cached_images} (image_id, hits, last_accessed, last_modified, size) and {@code queued_images}. */
    Map<String, Object> cacheState(RequestContext ctx);

    /** Admin, PUT /v2/cache/{id}: queues an active image for prefetching (400 when it is not active). */
    void cacheImage(RequestContext ctx, String id);

    /** Admin, DELETE /v2/cache/{id}: out of the cache and the queue. */
    void uncacheImage(RequestContext ctx, String id);

    /** Admin, DELETE /v2/cache: {@code target} cache, queue, or empty for both (else 400). */
    void clearCache(RequestContext ctx, String target);

    /** Admin, POST /v2/cache/clean: removes invalid entries and stalled fills. */
    Map<String, Object> cleanCache(RequestContext ctx);

    /** Admin, POST /v2/cache/prune: {@code total_files_pruned}, {@code total_bytes_pruned}. */
    Map<String, Object> pruneCache(RequestContext ctx);

    /**
     * Admin: this node's detailed health: {@code status} (ok, degraded, down), the database
     * (available, latency, the nodes it knows), each store (available, detail, latency, free
     * space where known) and the cache.
     */
    Map<String, Object> healthReport(RequestContext ctx);
}
