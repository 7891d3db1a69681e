package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImagePage;
import com.xloud.image.api.images.ImageDataService;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v2/images}: list, create, show, update, delete, and tags. */
@Path("/v2/images")
@Produces(MediaType.APPLICATION_JSON)
public final class ImagesResource {
    /** Glance refuses metadata bodies larger than this (max_request_body_size). */
    static final int MAX_BODY = 114688;

    private final ImageService images;
    private final ImageDataService data;
    private final ImportService imports;
    private final ObjectMapper json;
    private final JsonBodies bodies;

    ImagesResource(ImageService images, ImageDataService data, ImportService imports, ObjectMapper json) {
        this.data = data;
        this.imports = imports;
        this.images = images;
        this.json = json;
        this.bodies = new JsonBodies(json);
    }

    @GET
    public Map<String, Object> list(@Context ContainerRequestContext req, @Context UriInfo uri) {
        var params = uri.getQueryParameters();
        ImagePage page = images.list(ctx(req), ListParams.parse(params));
        List<String> order = storeOrder(req);
        List<Map<String, Object>> list = new ArrayList<>(page.images().size());
        RequestContext caller = ctx(req);
        page.images().forEach(i -> list.add(ImageJson.of(i, order, images.locationView(caller, i))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("images", list);
        body.put("first", ListParams.link(uri.getRequestUri().getRawQuery(), null));
        body.put("schema", "/v2/schemas/images");
        if (page.more() && !page.images().isEmpty()) {
            body.put("next", ListParams.link(uri.getRequestUri().getRawQuery(),
                    page.images().get(page.images().size() - 1).id()));
        }
        return body;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@Context ContainerRequestContext req, @Context UriInfo uri, InputStream body)
            throws IOException {
        JsonNode node = readJson(body);
        if (node == null || !node.isObject()) {
            throw ImageException.badRequest("Request body must be a JSON object describing the image.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = json.convertValue(node, LinkedHashMap.class);
        Image image = images.create(ctx(req), attributes);
        return Response.status(201)
                .header("Location", uri.getBaseUriBuilder().path("v2/images").path(image.id()).build())
                .header("OpenStack-image-import-methods", String.join(",", imports.importMethods()))
                .header("OpenStack-image-store-ids", String.join(",", storeOrder(req)))
                .entity(ImageJson.of(image, storeOrder(req), images.locationView(ctx(req), image)))
                .build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> show(@Context ContainerRequestContext req, @PathParam("id") String id,
                                    @jakarta.ws.rs.QueryParam("as_of") String asOf) {
        if (asOf != null) {
            java.time.Instant at;
            try {
                at = java.time.Instant.parse(asOf);
            } catch (java.time.format.DateTimeParseException e) {
                throw ImageException.badRequest("as_of must be an ISO 8601 time like 2026-01-02T03:04:05Z, got '" + asOf + "'");
            }
            Image past = images.getAsOf(ctx(req), id, at);
            return ImageJson.of(past, storeOrder(req), images.locationView(ctx(req), past));
        }
        Image image = images.get(ctx(req), id);
        return ImageJson.of(image, storeOrder(req), images.locationView(ctx(req), image));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> update(@Context ContainerRequestContext req, @PathParam("id") String id,
                                      InputStream body) throws IOException {
        MediaType type = req.getMediaType();
        String base = type == null ? "" : type.getType() + "/" + type.getSubtype();
        boolean draft;
        if (base.equalsIgnoreCase(PatchParser.V21)) {
            draft = false;
        } else if (base.equalsIgnoreCase(PatchParser.V20)) {
            draft = true;
        } else {
            throw new jakarta.ws.rs.WebApplicationException(ErrorBody.of(415, "The request media type " + base
                    + " is not supported by this server.")
                    .header("Accept-Patch", PatchParser.V20 + ", " + PatchParser.V21).build());
        }
        images.get(ctx(req), id);
        List<PatchOperation> ops = PatchParser.parse(json, readJson(body), draft);
        Image updated = images.update(ctx(req), id, ops);
        return ImageJson.of(updated, storeOrder(req), images.locationView(ctx(req), updated));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context ContainerRequestContext req, @PathParam("id") String id) {
        images.delete(ctx(req), id);
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/tags/{tag}")
    public Response addTag(@Context ContainerRequestContext req, @PathParam("id") String id,
                           @PathParam("tag") String tag) {
        images.addTag(ctx(req), id, tag);
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}/tags/{tag}")
    public Response removeTag(@Context ContainerRequestContext req, @PathParam("id") String id,
                              @PathParam("tag") String tag) {
        images.removeTag(ctx(req), id, tag);
        return Response.noContent().build();
    }

    private JsonNode readJson(InputStream body) throws IOException {
        return bodies.read(body);
    }

    /**
     * The live stores' ids, heaviest first: the order of an image's {@code stores}; none while the
     * data bundle is absent (the image is shown all the same).
     */
    private List<String> storeOrder(ContainerRequestContext req) {
        try {
            return data.stores(ctx(req), false).stream().map(com.xloud.image.api.images.StoreInfo::id).toList();
        } catch (ImageException e) {
            if (e.kind() == ImageException.Kind.UNAVAILABLE) {
                return List.of();
            }
            throw e;
        }
    }

    static RequestContext ctx(ContainerRequestContext req) {
        return RequestIdentity.of(req);
    }
}
