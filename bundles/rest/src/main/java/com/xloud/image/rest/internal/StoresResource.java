package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageDataService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** {@code DELETE /v2/stores/{store}/{id}} (API 2.10): the image's data leaves one store. */
@Path("/v2/stores")
public final class StoresResource {
    private final ImageDataService images;

    StoresResource(ImageDataService images) {
        this.images = images;
    }

    @DELETE
    @Path("{store}/{id}")
    public Response delete(@Context ContainerRequestContext req, @PathParam("store") String store,
                           @PathParam("id") String id) {
        images.deleteFromStore(RequestIdentity.of(req), store, id);
        return Response.noContent().build();
    }
}
