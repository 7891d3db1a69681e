package com.xloud.image.api.images;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The image use cases. Every change becomes an event; every read comes from the registry.
 * Failures are {@link ImageException}s.
 */
public interface ImageService {

    /** Creates a queued image from the request body's attributes (already JSON-decoded). */
    Image create(RequestContext ctx, Map<String, Object> attributes);

    Image get(RequestContext ctx, String id);

    ImagePage list(RequestContext ctx, ImageQuery query);

    /** Applies the whole patch or nothing. */
    Image update(RequestContext ctx, String id, List<PatchOperation> operations);

    void delete(RequestContext ctx, String id);

    void addTag(RequestContext ctx, String id, String tag);

    void removeTag(RequestContext ctx, String id, String tag);

    /**
     * Streams {@code data} into {@code storeId} (null: the default store); {@code expectedSize} is
     * -1 when unknown. On any failure partial data is removed and the image is back in {@code queued}.
     */
    void upload(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId);

    /**
     * Glance 2.17 add location: a queued image takes its data from {@code url} in the store that
     * claims it and becomes active; {@code validationData} (os_hash_algo, os_hash_value) or null,
     * then the digests are computed in the background.
     */
    void addLocation(RequestContext ctx, String id, Object url, Object validationData);

    /** Glance 2.17 get locations (admin or service role): {@code url} and {@code metadata.store} each. */
    List<Map<String, Object>> locations(RequestContext ctx, String id);

    /** The live stores ({@code detail}: type, weight and properties too, admins only). */
    List<StoreInfo> stores(RequestContext ctx, boolean detail);

    /** Opens the image data; null when the image has no data yet (Glance answers 204). */
    ImageDownload download(RequestContext ctx, String id, ByteRange range);

    /** Shares a {@code shared} image with a project; the membership starts pending. */
    ImageMember addMember(RequestContext ctx, String id, String memberId);

    /** The owner (and admins) see every member; a member sees its own membership only. */
    List<ImageMember> members(RequestContext ctx, String id);

    ImageMember member(RequestContext ctx, String id, String memberId);

    /** The member itself (or an admin) accepts, rejects or resets its membership; the owner may not. */
    ImageMember updateMember(RequestContext ctx, String id, String memberId, String status);

    void removeMember(RequestContext ctx, String id, String memberId);

    void deactivate(RequestContext ctx, String id);

    void reactivate(RequestContext ctx, String id);

    /** glance-direct: streams the data into the staging area; the image is uploading until imported. */
    void stage(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId);

    /**
     * Starts an import task ({@code method}: glance-direct or web-download with {@code uri}) into
     * {@code stores} (empty: the default store), or copy-image into {@code stores} or all stores; {@code body} is the request as the client sent it,
     * kept as the task's input. Returns the task id.
     */
    String importImage(RequestContext ctx, String id, String method, String uri, List<String> stores,
                       boolean allStores, boolean allStoresMustSucceed, Map<String, Object> body);

    /** DELETE /v2/stores/{store}/{id}: takes the data out of one store; the last copy cannot go (403). */
    void deleteFromStore(RequestContext ctx, String storeId, String id);

    /** The import methods this deployment offers (GET /v2/info/import and the create header). */
    List<String> importMethods();

    /** The import tasks of an image the caller can see. */
    List<ImageTask> imageTasks(RequestContext ctx, String id);

    /** Admin: one task. */
    ImageTask task(RequestContext ctx, String taskId);

    /** Admin: tasks, newest first. */
    List<ImageTask> tasks(RequestContext ctx, int limit, String marker);

    /**
     * Admin: Glance's task API, type {@code import}: creates an image from {@code image_properties}
     * and imports {@code import_from} into it (web-download). Returns the task.
     */
    ImageTask createTask(RequestContext ctx, String type, Map<String, Object> input);

    /** The caller's project quotas: per quota its limit (-1: unlimited) and usage, as Glance's /v2/info/usage. */
    Map<String, Object> usage(RequestContext ctx);

    /** Every event of an image in order (owner or admin; a deleted image's history: admin). */
    List<ImageEventRecord> history(RequestContext ctx, String id);

    /** The image as it was at {@code at}, rebuilt from its events (owner or admin, as its history). */
    Image getAsOf(RequestContext ctx, String id, java.time.Instant at);

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

    /** What of {@code image}'s locations {@code ctx} is shown in image bodies; nothing by default. */
    default LocationView locationView(RequestContext ctx, Image image) {
        return LocationView.NONE;
    }

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

    /** This node's name, as events and other nodes know it. */
    String nodeId();

    /** True when the registry database answers. */
    boolean healthy();
}
