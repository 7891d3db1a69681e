package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageDataService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Set;

/**
 * Glance 2.17's location API: {@code POST /v2/images/{id}/locations} adds the location of data
 * that already exists to a queued image (202), {@code GET} lists an image's locations (admin or
 * service role).
 */
@Path("/v2/images/{id}/locations")
public final class LocationsResource {
    private static final Set<String> MEMBERS = Set.of("url", "validation_data");

    private final ImageDataService images;
    private final ObjectMapper json;
    private final JsonBodies bodies;

    LocationsResource(ImageDataService images, ObjectMapper json) {
        this.images = images;
        this.json = json;
        this.bodies = new JsonBodies(json);
    }

    @POST
    public Response add(@Context ContainerRequestContext req, @PathParam("id") String id, InputStream body)
            throws IOException {
        JsonNode node = bodies.read(body);
        if (!node.isObject()) {
            throw ImageException.badRequest("Request body must be a JSON object with 'url'.");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw ImageException.badRequest("Additional properties are not allowed ('" + name + "' was unexpected)");
            }
        }
        Object url = node.has("url") ? json.convertValue(node.get("url"), Object.class) : null;
        Object validation = node.has("validation_data") ? json.convertValue(node.get("validation_data"), Object.class)
                : null;
        images.addLocation(RequestIdentity.of(req), id, url, validation);
        return Response.accepted().build();
    }

    @GET
    public Response list(@Context ContainerRequestContext req, @PathParam("id") String id) {
        return Response.ok(images.locations(RequestIdentity.of(req), id), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
