package com.xloud.image.rest.internal;

import com.xloud.image.api.images.AdminService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Glance's cache API (2.14, clean and prune 2.18), admin only, about this node's cache:
 * {@code GET/DELETE /v2/cache}, {@code PUT/DELETE /v2/cache/{id}}, {@code POST /v2/cache/clean},
 * {@code POST /v2/cache/prune}.
 */
@Path("/v2/cache")
@Produces(MediaType.APPLICATION_JSON)
public final class CacheResource {
    private final AdminService images;

    CacheResource(AdminService images) {
        this.images = images;
    }

    @GET
    public Map<String, Object> state(@Context ContainerRequestContext req) {
        return images.cacheState(RequestIdentity.of(req));
    }

    @DELETE
    public Response clear(@Context ContainerRequestContext req,
                          @HeaderParam("x-image-cache-clear-target") String target) {
        images.clearCache(RequestIdentity.of(req), target);
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}")
    public Response queue(@Context ContainerRequestContext req, @PathParam("id") String id) {
        images.cacheImage(RequestIdentity.of(req), id);
        return Response.accepted().build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context ContainerRequestContext req, @PathParam("id") String id) {
        images.uncacheImage(RequestIdentity.of(req), id);
        return Response.noContent().build();
    }

    /**
     * Glance 2.18's list of the nodes caching an image needs its centralized_db driver; this cache
     * keeps its index on each node's own disk (as Glance's sqlite and xattr drivers), so Glance's
     * answer for those drivers: 409.
     */
    @GET
    @Path("nodes/{id}")
    public Response nodes(@Context ContainerRequestContext req, @PathParam("id") String id) {
        images.cacheState(RequestIdentity.of(req)); // 404 without a cache, 403 for non-admins
        return ErrorBody.of(409, "Listing the nodes that cache image " + id + " needs the centralized_db cache"
                + " driver; each node's cache keeps its index on its own disk: ask each node (GET /v2/cache).").build();
    }

    @POST
    @Path("clean")
    public Map<String, Object> clean(@Context ContainerRequestContext req) {
        return images.cleanCache(RequestIdentity.of(req));
    }

    @POST
    @Path("prune")
    public Map<String, Object> prune(@Context ContainerRequestContext req) {
        return images.pruneCache(RequestIdentity.of(req));
    }
}
