package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.StagedElsewhereException;
import jakarta.ws.rs.Consumes;
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
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Interoperable import (API 2.6): {@code PUT /stage}, {@code POST /import}, and the image's tasks. */
@Path("/v2/images")
@Produces(MediaType.APPLICATION_JSON)
public final class ImportResource {
    private final ImportService images;
    private final ObjectMapper json;
    private final JsonBodies bodies;
    private final Forwarder forwarder;

    ImportResource(ImportService images, ObjectMapper json, Forwarder forwarder) {
        this.forwarder = forwarder;
        this.images = images;
        this.json = json;
        this.bodies = new JsonBodies(json);
    }

    @PUT
    @Path("{id}/stage")
    @Consumes(MediaType.WILDCARD)
    public Response stage(@Context ContainerRequestContext req, @PathParam("id") String id,
                          @HeaderParam("Content-Length") String contentLength,
                          @HeaderParam("x-openstack-image-size") String announcedSize,
                          @HeaderParam("X-Image-Meta-Store") String store, InputStream body) {
        images.stage(RequestIdentity.of(req), id, body,
                ImageDataResource.expectedSize(req, contentLength, announcedSize), store);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/import")
    @Consumes(MediaType.WILDCARD)
    public Response importImage(@Context ContainerRequestContext req, @PathParam("id") String id,
                                @HeaderParam("X-Image-Meta-Store") String store, InputStream body) throws IOException {
        JsonNode request = bodies.read(body);
        JsonNode method = request.get("method");
        if (!request.isObject() || method == null || !method.isObject() || !method.path("name").isTextual()) {
            throw ImageException.badRequest("Import request requires a 'method' object with a 'name'.");
        }
        JsonNode uri = method.get("uri");
        if (uri != null && !uri.isTextual()) {
            throw ImageException.badRequest("'uri' must be a string.");
        }
        List<String> stores = new ArrayList<>();
        JsonNode storeList = request.get("stores");
        if (storeList != null && !storeList.isNull()) {
            if (!storeList.isArray()) {
                throw ImageException.badRequest("'stores' must be a list of store ids.");
            }
            storeList.forEach(s -> stores.add(s.asText()));
        }
        if (stores.isEmpty() && store != null && !store.isBlank()) {
            stores.add(store.strip());
        }
        // the task's input as Glance records it: the image, the request as sent, the stores asked for
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("image_id", id);
        input.put("import_req", json.convertValue(request, LinkedHashMap.class));
        input.put("backend", stores.isEmpty() ? java.util.Collections.singletonList(null) : List.copyOf(stores));
        JsonNode all = request.get("all_stores");
        JsonNode mustSucceed = request.get("all_stores_must_succeed");
        if (all != null && !all.isBoolean() || mustSucceed != null && !mustSucceed.isBoolean()) {
            throw ImageException.badRequest("'all_stores' and 'all_stores_must_succeed' must be true or false.");
        }
        try {
            images.importImage(RequestIdentity.of(req), id, method.get("name").asText(), uri == null ? null : uri.asText(),
                    stores, all != null && all.asBoolean(), mustSucceed == null || mustSucceed.asBoolean(), input);
        } catch (StagedElsewhereException elsewhere) {
            return forwarder.forward(req, elsewhere, json.writeValueAsBytes(request));
        }
        return Response.accepted().build();
    }

    @GET
    @Path("{id}/tasks")
    public Map<String, Object> tasks(@Context ContainerRequestContext req, @PathParam("id") String id) {
        return Map.of("tasks", images.imageTasks(RequestIdentity.of(req), id).stream().map(TasksResource::row).toList());
    }
}
