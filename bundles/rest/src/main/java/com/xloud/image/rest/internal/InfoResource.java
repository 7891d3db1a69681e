package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageDataService;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.StoreInfo;
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
    private final ImageDataService data;
    private final ImportService imports;

    InfoResource(ImageService images, ImageDataService data, ImportService imports) {
        this.data = data;
        this.imports = imports;
        this.images = images;
    }

    @GET
    @Path("import")
    public Map<String, Object> importMethods() {
        Map<String, Object> methods = new java.util.LinkedHashMap<>();
        methods.put("description", "Import methods available.");
        methods.put("type", "array");
        methods.put("value", imports.importMethods());
        return Map.of("import-methods", methods);
    }

    @GET
    @Path("stores")
    public Map<String, Object> stores(@Context ContainerRequestContext req) {
        return Map.of("stores", data.stores(RequestIdentity.of(req), false).stream().map(s -> store(s, false)).toList());
    }

    @GET
    @Path("stores/detail")
    public Map<String, Object> storesDetail(@Context ContainerRequestContext req) {
        return Map.of("stores", data.stores(RequestIdentity.of(req), true).stream().map(s -> store(s, true)).toList());
    }

    /** Glance writes the flags as strings, and only when true. */
    private static Map<String, Object> store(StoreInfo s, boolean detail) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", s.id());
        out.put("description", s.description());
        if (s.isDefault()) {
            out.put("default", "true");
        }
        if (s.readOnly()) {
            out.put("read-only", "true");
        }
        if (detail) {
            out.put("type", s.type());
            out.put("weight", s.weight());
            out.put("properties", s.properties());
            // beyond Glance: whether the store can serve right now
            out.put("health", Map.of("available", s.available(), "detail", s.healthDetail()));
            out.put("bundle", s.bundle());
        }
        return out;
    }

    @GET
    @Path("usage")
    public Map<String, Object> usage(@Context ContainerRequestContext req) {
        return Map.of("usage", images.usage(RequestIdentity.of(req)));
    }
}
