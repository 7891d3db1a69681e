package com.xloud.image.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Glance's router matches paths exactly: {@code GET /v2/images/} (an empty image id) and
 * {@code DELETE /v2/images/} are 404s there, where JAX-RS would take them for {@code /v2/images}.
 * A path under /v2 ending in '/' names no resource (the version root {@code /v2/} aside).
 */
@PreMatching
@Priority(jakarta.ws.rs.Priorities.AUTHENTICATION + 10) // after the caller is known, as Glance routes after auth
final class TrailingSlash implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext req) {
        String path = req.getUriInfo().getRequestUri().getRawPath();
        if (path.startsWith("/v2/") && path.length() > "/v2/".length() && path.endsWith("/")) {
            req.abortWith(ErrorBody.of(404, "The resource could not be found.").build());
        }
    }
}
