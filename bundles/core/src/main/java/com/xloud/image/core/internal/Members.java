package com.xloud.image.core.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageMember;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.images.SharingService;
import java.util.List;

/** Sharing an image: the policy's member rules in front of {@link Sharing}, which keeps the memberships. */
final class Members implements SharingService {
    private final ImageAccess images;
    private final AccessPolicy access;
    private final Sharing sharing;

    Members(ImageAccess images) {
        this.images = images;
        this.access = images.access();
        this.sharing = images.sharing();
    }

    @Override
    public ImageMember addMember(RequestContext ctx, String id, String memberId) {
        return sharing.add(ctx, images.modifiable(ctx, id, "add_member"), memberId);
    }

    @Override
    public List<ImageMember> members(RequestContext ctx, String id) {
        Image image = images.visible(ctx, id);
        access.require("get_members", ctx, images.target(ctx, image));
        return sharing.list(ctx, image);
    }

    @Override
    public ImageMember member(RequestContext ctx, String id, String memberId) {
        Image image = images.visible(ctx, id);
        access.require("get_member", ctx, images.target(ctx, image));
        return sharing.show(ctx, image, memberId);
    }

    @Override
    public ImageMember updateMember(RequestContext ctx, String id, String memberId, String status) {
        Image image = images.visible(ctx, id);
        if (!access.allows("modify_member", ctx, AccessPolicy.target(image, memberId))) {
            throw ImageException.forbidden("You are not permitted to modify the membership of " + memberId
                    + " in image " + image.id() + ".");
        }
        return sharing.update(ctx, image, memberId, status);
    }

    @Override
    public void removeMember(RequestContext ctx, String id, String memberId) {
        Image image = images.visible(ctx, id);
        access.require("delete_member", ctx, images.target(ctx, image));
        sharing.remove(ctx, image, memberId);
    }
}
