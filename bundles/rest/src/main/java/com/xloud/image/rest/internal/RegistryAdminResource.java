package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageService;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Beyond Glance, admin only: {@code POST /v2/x-admin/registry/rebuild} replays the event store into the registry. */
@Path("/v2/x-admin/registry")
@Produces(MediaType.APPLICATION_JSON)
public final class RegistryAdminResource {
    private final ImageService images;

    RegistryAdminResource(ImageService images) {
        this.images = images;
    }

    @POST
    @Path("rebuild")
    public Map<String, Object> rebuild(@Context ContainerRequestContext req) {
        return images.rebuildRegistry(RequestIdentity.of(req));
    }
}
