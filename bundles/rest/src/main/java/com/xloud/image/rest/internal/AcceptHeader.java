package com.xloud.image.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Glance answers JSON whatever the request's {@code Accept} says, and never 406; the Accept
 * only chooses how an error or the healthcheck is written. So the header is kept aside for those
 * ({@link #of}) and Jersey matches resources as if any type were accepted.
 */
@PreMatching
@Priority(50)
final class AcceptHeader implements ContainerRequestFilter {
    private static final String PROPERTY = "xloud.accept";

    @Override
    public void filter(ContainerRequestContext req) {
        String accept = req.getHeaderString("Accept");
        if (accept != null) {
            req.setProperty(PROPERTY, accept);
            req.getHeaders().putSingle("Accept", "*/*");
        }
    }

    /** The Accept the client sent, or null. */
    static String of(ContainerRequestContext req) {
        Object accept = req.getProperty(PROPERTY);
        return accept instanceof String s ? s : req.getHeaderString("Accept");
    }
}
