package com.xloud.image.core.internal;

import com.xloud.image.api.cache.CachedImage;
import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.RequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Glance's cache API (2.14 to 2.18) over this node's {@link ImageCache}: admin only; without a
 * cache on the node every call answers 404, as Glance does without {@code image_cache_dir}.
 */
final class CacheAdmin {
    private final Supplier<ImageCache> cache;
    private final AccessPolicy access;

    CacheAdmin(Supplier<ImageCache> cache, AccessPolicy access) {
        this.cache = cache;
        this.access = access;
    }

    private ImageCache require(RequestContext ctx, String action) {
        ImageCache c = cache.get();
        if (c == null) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "The image cache is not enabled on this node.");
        }
        access.require(action, ctx);
        return c;
    }

    /** GET /v2/cache: times as seconds since the epoch, as Glance's drivers report them. */
    Map<String, Object> state(RequestContext ctx) {
        ImageCache c = require(ctx, "cache_list");
        List<Map<String, Object>> cached = c.cached().stream().map(CacheAdmin::json).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cached_images", cached);
        out.put("queued_images", c.queued());
        return out;
    }

    private static Map<String, Object> json(CachedImage i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_id", i.imageId());
        m.put("hits", i.hits());
        m.put("last_accessed", i.lastAccessed().toEpochMilli() / 1000.0);
        m.put("last_modified", i.lastModified().toEpochMilli() / 1000.0);
        m.put("size", i.size());
        return m;
    }

    /**
     * PUT /v2/cache/{id}: an active image is queued; the prefetcher caches it on its next run
     * ({@code named}: the visible image, 404 otherwise).
     */
    void queue(RequestContext ctx, Supplier<Image> named) {
        ImageCache c = require(ctx, "cache_image");
        Image image = named.get();
        if (image.status() != ImageStatus.ACTIVE) {
            throw ImageException.badRequest("Image " + image.id() + " is not active (" + image.status().wire()
                    + "); only active images can be cached.");
        }
        c.queue(image.id());
    }

    /** DELETE /v2/cache/{id}: out of the cache and the queue. */
    void delete(RequestContext ctx, Supplier<Image> named) {
        require(ctx, "cache_delete").remove(named.get().id());
    }

    /** DELETE /v2/cache with {@code x-image-cache-clear-target}: cache, queue, or both when empty. */
    void clear(RequestContext ctx, String target) {
        ImageCache c = require(ctx, "cache_delete");
        String t = target == null ? "" : target.strip();
        if (!t.isEmpty() && !t.equals("cache") && !t.equals("queue")) {
            throw ImageException.badRequest("If header 'x-image-cache-clear-target' is provided, it must be"
                    + " either 'cache' or 'queue', not '" + t + "'.");
        }
        c.clear(!t.equals("queue"), !t.equals("cache"));
    }

    /** POST /v2/cache/clean: invalid entries and stalled fills. */
    Map<String, Object> clean(RequestContext ctx) {
        ImageCache.CleanResult r = require(ctx, "cache_clean").clean();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cleaned_images", r.files());
        out.put("cleaned_size", r.bytes());
        return out;
    }

    /** POST /v2/cache/prune: least recently used entries until the cache is within its size. */
    Map<String, Object> prune(RequestContext ctx) {
        ImageCache.PruneResult r = require(ctx, "cache_prune").prune();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_files_pruned", r.files());
        out.put("total_bytes_pruned", r.bytes());
        return out;
    }
}
