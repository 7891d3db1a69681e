package com.xloud.image.core.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.policy.PolicyEnforcer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who may do what: the visibility rules of Glance's database layer (who sees an image at all),
 * and the policy (the {@link PolicyEnforcer} service: Glance's actions and defaults, overridable by
 * a policy file) that governs each action on what the caller sees. Without that service nothing is
 * allowed: 503, naming the bundle.
 */
final class AccessPolicy {
    private final Supplier<PolicyEnforcer> policy;

    AccessPolicy(Supplier<PolicyEnforcer> policy) {
        this.policy = policy;
    }

    static boolean owns(RequestContext ctx, Image image) {
        return image.owner() != null && Objects.equals(image.owner(), ctx.projectId());
    }

    /** Visibility, members aside: admins see all, owners theirs, everyone the public and community images. */
    static boolean canSee(RequestContext ctx, Image image) {
        if (ctx.isAdmin() || owns(ctx, image)) {
            return true;
        }
        return image.visibility().equals("public") || image.visibility().equals("community");
    }

    /** What a policy rule may ask of an image: {@code project_id} is its owner, {@code member_id} the caller's project when it is a member. */
    static Map<String, Object> target(Image image, String memberId) {
        Map<String, Object> t = new HashMap<>();
        t.put("id", image.id());
        t.put("project_id", image.owner());
        t.put("owner", image.owner());
        t.put("visibility", image.visibility());
        t.put("protected", image.isProtected());
        t.put("member_id", memberId);
        return t;
    }

    boolean allows(String action, RequestContext ctx, Map<String, Object> target) {
        PolicyEnforcer enforcer = policy.get();
        if (enforcer == null) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, PolicyEnforcer.ABSENT);
        }
        return enforcer.allows(action, ctx, target);
    }

    /** A denied action answers 403 with Glance's policy wording. */
    void require(String action, RequestContext ctx, Map<String, Object> target) {
        if (!allows(action, ctx, target)) {
            throw ImageException.forbidden("You are not authorized to complete " + action + " action.");
        }
    }

    /** Actions on no image in particular (tasks, audit, cache, …): the caller's own project is the target. */
    void require(String action, RequestContext ctx) {
        Map<String, Object> t = new HashMap<>();
        t.put("project_id", ctx.projectId());
        require(action, ctx, t);
    }
}
