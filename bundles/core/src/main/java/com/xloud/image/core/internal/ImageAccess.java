package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.ImageAttributes;
import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.kernel.ImageGate;
import com.xloud.image.registry.ImageRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every use case asks first: which image the caller names and may see or change (Glance's
 * visibility and the policy), who the caller is in an event ({@link Origin}), what of an image it may
 * read (the property protections), and the project quotas.
 */
record ImageAccess(ImageRegistry registry, Settings settings, AccessPolicy access, Protections protections,
                   Sharing sharing, Supplier<ImageCache> cache) implements ImageGate {
    @Override
    public Origin origin(RequestContext ctx) {
        return origin(ctx, settings.nodeId());
    }

    static Origin origin(RequestContext ctx, String nodeId) {
        return new Origin(ctx.userId(), ctx.projectId(), ctx.roles(), nodeId, ctx.requestId(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    @Override
    public Image visible(RequestContext ctx, String id) {
        if (!ImageAttributes.isUuid(id)) {
            throw ImageException.notFound(id);
        }
        Image image = registry.find(id.toLowerCase(java.util.Locale.ROOT)).orElseThrow(() -> ImageException.notFound(id));
        if (image.status() == ImageStatus.DELETED || !canSee(ctx, image)
                || !access.allows("get_image", ctx, target(ctx, image))) {
            throw ImageException.notFound(id); // Glance hides what the caller may not see
        }
        return image;
    }

    /** The policy target of an image for this caller: its owner, visibility, and the caller's membership. */
    Map<String, Object> target(RequestContext ctx, Image image) {
        return AccessPolicy.target(image, sharing.isMember(ctx, image) ? ctx.projectId() : null);
    }

    /** Glance's visibility, members included: a member sees a shared image whatever its membership status. */
    boolean canSee(RequestContext ctx, Image image) {
        return AccessPolicy.canSee(ctx, image) || sharing.isMember(ctx, image);
    }

    @Override
    public Image modifiable(RequestContext ctx, String id, String action) {
        Image image = visible(ctx, id);
        if (!access.allows(action, ctx, target(ctx, image))) {
            throw ImageException.forbidden(AccessPolicy.owns(ctx, image) || ctx.isAdmin()
                    ? "You are not authorized to complete " + action + " action."
                    : "You are not permitted to modify image " + image.id() + ".");
        }
        return image;
    }

    Image readable(RequestContext ctx, Image image) {
        return protections.readable(ctx, image);
    }

    @Override
    public void require(String action, RequestContext ctx, Image image) {
        access.require(action, ctx, target(ctx, image));
    }

    @Override
    public void requireWithoutMembership(String action, RequestContext ctx, Image image) {
        access.require(action, ctx, AccessPolicy.target(image, null));
    }

    @Override
    public void require(String action, RequestContext ctx) {
        access.require(action, ctx);
    }

    /** Per-project quotas cost a usage query only for projects that have a limit. */
    @Override
    public void enforce(String project, String quota, long delta) {
        if (settings.quotas().limit(project, quota) >= 0) {
            settings.quotas().enforce(project, registry.usage(project), quota, delta);
        }
    }

    /** This node's cache forgets the image at once; other nodes' caches at their next sweep. */
    void dropFromCache(String imageId) {
        ImageCache c = cache.get();
        if (c != null) {
            c.remove(imageId);
        }
    }
}
