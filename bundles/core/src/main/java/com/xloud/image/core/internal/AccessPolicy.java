package com.xloud.image.core.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import java.util.Objects;

/** Glance's default visibility and ownership rules: who sees an image, who may change it. */
final class AccessPolicy {
    private AccessPolicy() {
    }

    static boolean owns(RequestContext ctx, Image image) {
        return image.owner() != null && Objects.equals(image.owner(), ctx.projectId());
    }

    static boolean canSee(RequestContext ctx, Image image) {
        if (ctx.isAdmin() || owns(ctx, image)) {
            return true;
        }
        return image.visibility().equals("public") || image.visibility().equals("community");
    }

    /** A visible image the caller may not change answers 403; an invisible one 404 (existence stays hidden). */
    static void requireModify(RequestContext ctx, Image image) {
        if (!ctx.isAdmin() && !owns(ctx, image)) {
            throw ImageException.forbidden("You are not permitted to modify image " + image.id() + ".");
        }
    }

    /** Admin-only actions answer 403 with Glance's policy wording. */
    static void requireAdmin(RequestContext ctx, String action) {
        if (!ctx.isAdmin()) {
            throw ImageException.forbidden("You are not authorized to complete " + action + " action.");
        }
    }
}
