package com.xloud.image.api.rest;

/**
 * A JAX-RS root resource (a class annotated with {@code @Path}) contributed by a bundle. Its
 * methods find the caller as the {@link com.xloud.image.api.images.RequestContext} in the request
 * property {@link #REQUEST_CONTEXT}; a {@code JsonNode} entity parameter is read with the Image
 * API's body rules (size limit, messages for cut or malformed bodies); an {@link
 * com.xloud.image.api.images.ImageException} it throws becomes Glance's error answer.
 */
public interface RestResource {
    /** The request property that holds the caller's {@code RequestContext}. */
    String REQUEST_CONTEXT = "xloud.request.context";
}
