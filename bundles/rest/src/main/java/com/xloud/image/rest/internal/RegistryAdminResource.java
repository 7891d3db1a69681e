package com.xloud.image.rest.internal;

import com.xloud.image.api.images.AdminService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/**
 * Beyond Glance, admin only: {@code POST /v2/x-admin/registry/rebuild} starts rebuilding the
 * registry from the event store (202, with the progress document and its {@code Location});
 * {@code GET} on the same path follows it (409 on POST while one runs).
 */
@Path("/v2/x-admin/registry")
@Produces(MediaType.APPLICATION_JSON)
public final class RegistryAdminResource {
    private final AdminService images;

    RegistryAdminResource(AdminService images) {
        this.images = images;
    }

    @POST
    @Path("rebuild")
    public Response rebuild(@Context ContainerRequestContext req, @Context UriInfo uri) {
        Map<String, Object> started = images.rebuildRegistry(RequestIdentity.of(req));
        return Response.accepted(started).location(uri.getRequestUri()).build();
    }

    @GET
    @Path("rebuild")
    public Map<String, Object> progress(@Context ContainerRequestContext req) {
        return images.registryRebuildStatus(RequestIdentity.of(req));
    }
}
