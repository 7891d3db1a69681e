package com.xloud.image.api.images;

import java.util.List;

/** Sharing an image with other projects: its members and their acceptance. */
public interface SharingService {
    /** Shares a {@code shared} image with a project; the membership starts pending. */
    ImageMember addMember(RequestContext ctx, String id, String memberId);

    /** The owner (and admins) see every member; a member sees its own membership only. */
    List<ImageMember> members(RequestContext ctx, String id);

    ImageMember member(RequestContext ctx, String id, String memberId);

    /** The member itself (or an admin) accepts, rejects or resets its membership; the owner may not. */
    ImageMember updateMember(RequestContext ctx, String id, String memberId, String status);

    void removeMember(RequestContext ctx, String id, String memberId);
}
