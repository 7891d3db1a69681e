package com.xloud.image.core.kernel;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import java.util.List;
import java.util.Map;

/**
 * The changes to an image's locations, a service of the locations bundle that the image service
 * calls: Glance's JSON-patch on {@code /locations}, and its add-location and list-locations calls
 * (for services such as Cinder and Nova). While no such service runs, these calls answer 503.
 */
public interface LocationChanges {
    /** The operations on {@code /locations} of one PATCH, applied in order, all or none. */
    void patch(RequestContext ctx, Image image, List<PatchOperation> operations);

    /** POST /v2/images/{id}/locations: a location a store serves, for a queued image. */
    void add(RequestContext ctx, Image image, Object url, Object validationData);

    /** GET /v2/images/{id}/locations: the image's locations with their metadata. */
    List<Map<String, Object>> list(RequestContext ctx, Image image);
}
