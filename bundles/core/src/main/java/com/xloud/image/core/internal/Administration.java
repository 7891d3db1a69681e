package com.xloud.image.core.internal;

import com.xloud.image.api.images.AdminService;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.registry.ImageRegistry;
import java.util.List;
import java.util.Map;

/** What operators ask a node: the audit trail, the registry rebuild, the image cache, the detailed health. */
final class Administration implements AdminService {
    private final ImageAccess images;
    private final ImageRegistry registry;
    private final AccessPolicy access;
    private final CacheAdmin cacheAdmin;
    private final RegistryRebuild rebuild;
    private final java.util.function.Supplier<com.xloud.image.api.cache.ImageCache> cache;
    private final java.util.function.Supplier<Map<String, Object>> health;

    Administration(ImageAccess images, CacheAdmin cacheAdmin, RegistryRebuild rebuild, java.util.function.Supplier<Map<String, Object>> health) {
        this.images = images;
        this.registry = images.registry();
        this.access = images.access();
        this.cacheAdmin = cacheAdmin;
        this.rebuild = rebuild;
        this.cache = images.cache();
        this.health = health;
    }

    @Override
    public List<com.xloud.image.api.images.ImageEventRecord> audit(RequestContext ctx,
                                                                    com.xloud.image.api.images.AuditQuery query) {
        access.require("audit", ctx);
        if (query.limit() < 0) {
            throw ImageException.badRequest("limit param must be positive");
        }
        return registry.audit(query);
    }

    /** Rebuilds the registry on the calling thread (see {@link RegistryRebuild}) and returns its final state. */
    public Map<String, Object> rebuildRegistryNow() {
        return rebuild.runNow("local");
    }

    @Override
    public Map<String, Object> rebuildRegistry(RequestContext ctx) {
        access.require("registry_rebuild", ctx);
        return rebuild.start(ctx.userId() == null ? "admin" : ctx.userId());
    }

    @Override
    public Map<String, Object> registryRebuildStatus(RequestContext ctx) {
        access.require("registry_rebuild", ctx);
        return rebuild.status();
    }

    @Override
    public boolean cacheEnabled() {
        return cache.get() != null;
    }

    @Override
    public Map<String, Object> cacheState(RequestContext ctx) {
        return cacheAdmin.state(ctx);
    }

    @Override
    public void cacheImage(RequestContext ctx, String id) {
        cacheAdmin.queue(ctx, () -> images.visible(ctx, id));
    }

    @Override
    public void uncacheImage(RequestContext ctx, String id) {
        cacheAdmin.delete(ctx, () -> images.visible(ctx, id));
    }

    @Override
    public void clearCache(RequestContext ctx, String target) {
        cacheAdmin.clear(ctx, target);
    }

    @Override
    public Map<String, Object> cleanCache(RequestContext ctx) {
        return cacheAdmin.clean(ctx);
    }

    @Override
    public Map<String, Object> pruneCache(RequestContext ctx) {
        return cacheAdmin.prune(ctx);
    }

    @Override
    public Map<String, Object> healthReport(RequestContext ctx) {
        access.require("health_report", ctx);
        return health.get();
    }
}
