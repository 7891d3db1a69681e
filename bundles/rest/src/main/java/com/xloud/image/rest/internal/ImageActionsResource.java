package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageService;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** {@code POST /v2/images/{id}/actions/deactivate|reactivate} (API 2.3). */
@Path("/v2/images/{id}/actions")
public final class ImageActionsResource {
    private final ImageService images;

    ImageActionsResource(ImageService images) {
        this.images = images;
    }

    @POST
    @Path("deactivate")
    public Response deactivate(@Context ContainerRequestContext req, @PathParam("id") String id) {
        images.deactivate(RequestIdentity.of(req), id);
        return Response.noContent().build();
    }

    @POST
    @Path("reactivate")
    public Response reactivate(@Context ContainerRequestContext req, @PathParam("id") String id) {
        images.reactivate(RequestIdentity.of(req), id);
        return Response.noContent().build();
    }
}
