package com.xloud.image.api.images;

import java.util.List;
import java.util.Map;

/**
 * The image lifecycle and its metadata: create, show, list, change, tag, deactivate, delete, and
 * an image's history. Every change becomes an event; every read comes from the registry.
 * Failures are {@link ImageException}s. The other use cases are {@link ImageDataService},
 * {@link ImportService}, {@link SharingService} and {@link AdminService}.
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

    void deactivate(RequestContext ctx, String id);

    void reactivate(RequestContext ctx, String id);

    /** Every event of an image in order (owner or admin; a deleted image's history: admin). */
    List<ImageEventRecord> history(RequestContext ctx, String id);

    /** The image as it was at {@code at}, rebuilt from its events (owner or admin, as its history). */
    Image getAsOf(RequestContext ctx, String id, java.time.Instant at);

    /** The caller's project quotas: per quota its limit (-1: unlimited) and usage, as Glance's /v2/info/usage. */
    Map<String, Object> usage(RequestContext ctx);

    /** What of {@code image}'s locations {@code ctx} is shown in image bodies; nothing by default. */
    default LocationView locationView(RequestContext ctx, Image image) {
        return LocationView.NONE;
    }

    /** This node's name, as events and other nodes know it. */
    String nodeId();

    /** True when the registry database answers. */
    boolean healthy();
}
