package com.xloud.image.rest.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /} (300 Multiple Choices) and {@code GET /versions}: the API versions this node speaks. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class VersionsResource {
    private final java.util.function.BooleanSupplier cache;

    /** {@code cache}: whether the node runs an image cache (then 2.18, the cache API's last version, is current). */
    VersionsResource(java.util.function.BooleanSupplier cache) {
        this.cache = cache;
    }

    /** As Glance lists them with multiple stores (enabled_backends) and without a cache; 2.17 brought the location API. */
    static final List<String> WITH_CACHE = List.of("v2.18");
    static final List<String> VERSIONS = List.of("v2.17", "v2.16", "v2.15", "v2.14", "v2.13", "v2.12", "v2.11", "v2.10", "v2.9",
            "v2.8", "v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0");

    @GET
    public Response root(@Context UriInfo uri) {
        return Response.status(300).entity(versions(uri, cache.getAsBoolean())).build();
    }

    @GET
    @Path("versions")
    public Map<String, Object> versionList(@Context UriInfo uri) {
        return versions(uri, cache.getAsBoolean());
    }

    static Map<String, Object> versions(UriInfo uri, boolean cache) {
        String href = uri.getBaseUriBuilder().path("v2/").build().toString();
        List<String> all = new ArrayList<>(cache ? WITH_CACHE : List.of());
        all.addAll(VERSIONS);
        List<Map<String, Object>> list = new ArrayList<>();
        for (String v : all) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", v);
            entry.put("status", v.equals(all.get(0)) ? "CURRENT" : "SUPPORTED");
            entry.put("links", List.of(Map.of("rel", "self", "href", href)));
            list.add(entry);
        }
        return Map.of("versions", list);
    }
}
