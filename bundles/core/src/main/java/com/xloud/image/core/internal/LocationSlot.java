package com.xloud.image.core.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.kernel.LocationChanges;
import java.util.List;
import java.util.Map;

/**
 * The changes to image locations while the locations bundle (com.xloud.image.locations) runs;
 * while it is absent they answer 503 naming it, and nothing is changed.
 */
final class LocationSlot implements LocationChanges {
    static final String ABSENT = "Image locations (bundle com.xloud.image.locations) are not served on this node";

    private volatile LocationChanges current;

    void set(LocationChanges changes) {
        current = changes;
    }

    /** Forgets {@code gone} if it is the one in use (a newer one may have been set already). */
    void unset(LocationChanges gone) {
        if (current == gone) {
            current = null;
        }
    }

    /** The service in use; null while the bundle is absent. */
    LocationChanges current() {
        return current;
    }

    private LocationChanges changes() {
        LocationChanges c = current;
        if (c == null) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, ABSENT);
        }
        return c;
    }

    @Override
    public void patch(RequestContext ctx, Image image, List<PatchOperation> operations) {
        changes().patch(ctx, image, operations);
    }

    @Override
    public void add(RequestContext ctx, Image image, Object url, Object validationData) {
        changes().add(ctx, image, url, validationData);
    }

    @Override
    public List<Map<String, Object>> list(RequestContext ctx, Image image) {
        return changes().list(ctx, image);
    }
}
