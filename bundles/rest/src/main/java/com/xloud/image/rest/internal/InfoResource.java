package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /v2/info/*}: what this deployment offers and what the caller uses. */
@Path("/v2/info")
@Produces(MediaType.APPLICATION_JSON)
public final class InfoResource {
    private final ImageService images;

    InfoResource(ImageService images) {
        this.images = images;
    }

    @GET
    @Path("import")
    public Map<String, Object> importMethods() {
        Map<String, Object> methods = new java.util.LinkedHashMap<>();
        methods.put("description", "Import methods available.");
        methods.put("type", "array");
        methods.put("value", images.importMethods());
        return Map.of("import-methods", methods);
    }

    @GET
    @Path("usage")
    public Map<String, Object> usage(@Context ContainerRequestContext req) {
        return Map.of("usage", images.usage(RequestIdentity.of(req)));
    }
}
