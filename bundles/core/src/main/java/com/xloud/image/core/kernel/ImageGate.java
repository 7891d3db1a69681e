package com.xloud.image.core.kernel;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.RequestContext;

/**
 * What a use case asks before it acts on an image: which image the caller names and may see or
 * change (Glance's visibility and the policy), whether the policy allows an action, the project
 * quotas, and who the caller is in an event.
 */
public interface ImageGate {
    /** The image {@code id} if the caller may see it; 404 otherwise (Glance hides what one may not see). */
    Image visible(RequestContext ctx, String id);

    /** A visible image the caller may {@code action} (403 otherwise, in Glance's words). */
    Image modifiable(RequestContext ctx, String id, String action);

    /** 403 unless the policy allows {@code action} on {@code image} to the caller. */
    void require(String action, RequestContext ctx, Image image);

    /**
     * 403 unless the policy allows {@code action} on {@code image} to the caller, the image's target
     * without the caller's membership (as Glance checks the actions on locations).
     */
    void requireWithoutMembership(String action, RequestContext ctx, Image image);

    /** 403 unless the policy allows {@code action}, which concerns no image, to the caller. */
    void require(String action, RequestContext ctx);

    /** 413 when {@code delta} more of {@code quota} would take {@code project} past its limit. */
    void enforce(String project, String quota, long delta);

    /** Who does what, as an event records it. */
    Origin origin(RequestContext ctx);
}
