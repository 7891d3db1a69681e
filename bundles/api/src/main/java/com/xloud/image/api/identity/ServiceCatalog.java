package com.xloud.image.api.identity;

import com.xloud.image.api.images.RequestContext;
import java.io.IOException;
import java.util.Optional;

/**
 * The service catalog as the caller's token sees it (Glance: the request context's
 * {@code service_catalog}, which keystonemiddleware fills in). Used by glance-download to find
 * the image service of another region.
 */
public interface ServiceCatalog {

    /**
     * The URL of the endpoint of a service {@code type} (such as {@code image}) in {@code region}
     * (compared without regard to case) with {@code endpointInterface} ({@code public},
     * {@code internal} or {@code admin}); empty when the caller's catalog has none.
     *
     * @throws IOException when the catalog cannot be read (the identity service is unreachable,
     *                     or refuses the caller's token)
     */
    Optional<String> endpoint(RequestContext caller, String type, String region, String endpointInterface)
            throws IOException;
}
