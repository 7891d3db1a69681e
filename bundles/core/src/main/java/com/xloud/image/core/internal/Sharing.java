package com.xloud.image.core.internal;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.TextLimits;
import com.xloud.image.api.images.ImageMember;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.command.AddMember;
import com.xloud.image.core.command.ChangeMemberStatus;
import com.xloud.image.core.command.Limits;
import com.xloud.image.core.command.RemoveMember;
import com.xloud.image.registry.ImageRegistry;
import java.util.List;
import java.util.function.Function;

/**
 * Glance's image members: the owner (or an admin) shares a {@code shared} image with projects;
 * each member (or an admin) accepts, rejects or resets its membership; a member sees only its own entry.
 * The image passed in was already checked to be visible (or modifiable) by the caller.
 */
final class Sharing {
    private final ImageRegistry registry;
    private final EventSourcing events;
    private final Limits limits;
    private final Function<RequestContext, Origin> origins;

    Sharing(ImageRegistry registry, EventSourcing events, Limits limits, Function<RequestContext, Origin> origins) {
        this.registry = registry;
        this.events = events;
        this.limits = limits;
        this.origins = origins;
    }

    ImageMember add(RequestContext ctx, Image image, String memberId) {
        if (memberId == null || memberId.isBlank() || TextLimits.characters(memberId) > TextLimits.IDENTIFIER
                || !TextLimits.wellFormed(memberId)) {
            throw ImageException.badRequest("Provided object does not match schema 'member': the member must be a"
                    + " project id of 1 to 255 characters");
        }
        events.send(new AddMember(image.id(), origins.apply(ctx), memberId, limits));
        return registry.member(image.id(), memberId).orElseThrow();
    }

    List<ImageMember> list(RequestContext ctx, Image image) {
        List<ImageMember> all = registry.members(image.id());
        if (ctx.isAdmin() || AccessPolicy.owns(ctx, image)) {
            return all;
        }
        return all.stream().filter(m -> m.memberId().equals(ctx.projectId())).toList();
    }

    ImageMember show(RequestContext ctx, Image image, String memberId) {
        if (!ctx.isAdmin() && !AccessPolicy.owns(ctx, image) && !memberId.equals(ctx.projectId())) {
            throw notFound(image, memberId);
        }
        return registry.member(image.id(), memberId).orElseThrow(() -> notFound(image, memberId));
    }

    /** The member itself, or an admin (Glance's is_image_member_mutable); the owner gets 403. */
    ImageMember update(RequestContext ctx, Image image, String memberId, String status) {
        if (!ctx.isAdmin() && !memberId.equals(ctx.projectId())) {
            if (registry.member(image.id(), memberId).isEmpty()) {
                throw notFound(image, memberId);
            }
            throw ImageException.forbidden("Only the member " + memberId + " may change the status of its membership.");
        }
        events.send(new ChangeMemberStatus(image.id(), origins.apply(ctx), memberId, status));
        return registry.member(image.id(), memberId).orElseThrow();
    }

    void remove(RequestContext ctx, Image image, String memberId) {
        if (!ctx.isAdmin() && !AccessPolicy.owns(ctx, image)) {
            if (registry.member(image.id(), memberId).isEmpty() || !memberId.equals(ctx.projectId())) {
                throw notFound(image, memberId);
            }
            throw ImageException.forbidden("Only the owner of image " + image.id() + " may remove its members.");
        }
        events.send(new RemoveMember(image.id(), origins.apply(ctx), memberId));
    }

    /** A shared image is visible to its members, whatever their membership status. */
    boolean isMember(RequestContext ctx, Image image) {
        return image.visibility().equals("shared") && ctx.projectId() != null
                && registry.member(image.id(), ctx.projectId()).isPresent();
    }

    private static ImageException notFound(Image image, String memberId) {
        return new ImageException(ImageException.Kind.NOT_FOUND, "Member " + memberId + " not found for image "
                + image.id());
    }
}
