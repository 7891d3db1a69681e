package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** {@code GET /v2/images/{id}/history}: every event of the image, in order (owner or admin). */
@Path("/v2/images/{id}/history")
public final class HistoryResource {
    private final ImageService images;

    HistoryResource(ImageService images) {
        this.images = images;
    }

    @GET
    public Response history(@Context ContainerRequestContext req, @PathParam("id") String id) {
        List<Map<String, Object>> events = images.history(RequestIdentity.of(req), id).stream()
                .map(AuditResource::json).toList();
        return Response.ok(Map.of("image_id", id, "events", events), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
