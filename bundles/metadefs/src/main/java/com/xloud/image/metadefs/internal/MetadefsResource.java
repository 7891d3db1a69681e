package com.xloud.image.metadefs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.rest.RestResource;
import com.xloud.image.metadefs.internal.CatalogQueries.Definition;
import com.xloud.image.metadefs.internal.CatalogQueries.NamespaceQuery;
import com.xloud.image.metadefs.internal.NamespaceCommands.Kind;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /v2/metadefs}: Glance's metadata definitions API, served by the REST bundle beside the Image API. */
@Component(service = RestResource.class)
@Path("/v2/metadefs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class MetadefsResource implements RestResource {

    private final MetadefCatalog catalog;

    @Activate
    public MetadefsResource(@Reference MetadefCatalog catalog) {
        this.catalog = catalog;
    }

    static RequestContext caller(ContainerRequestContext req) {
        return (RequestContext) req.getProperty(REQUEST_CONTEXT);
    }

    static Response created(Object body) {
        return Response.status(201).entity(body).build();
    }

    // ---- namespaces

    @GET
    @Path("namespaces")
    public Map<String, Object> namespaces(@Context ContainerRequestContext req, @Context UriInfo uri,
                                          @QueryParam("limit") String limit, @QueryParam("marker") String marker,
                                          @QueryParam("sort_key") String sortKey, @QueryParam("sort_dir") String sortDir,
                                          @QueryParam("visibility") String visibility,
                                          @QueryParam("resource_types") String resourceTypes) {
        RequestContext ctx = caller(req);
        int n = limit(limit);
        String dir = sortDir(sortDir);
        if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
            throw ImageException.badRequest("Invalid visibility value: " + visibility);
        }
        String key = sortKey == null ? "created_at" : sortKey;
        if (!CatalogQueries.NAMESPACE_SORT_KEYS.contains(key)) {
            throw ImageException.badRequest("Invalid sort key: " + key + ". It must be one of the following: "
                    + String.join(", ", CatalogQueries.NAMESPACE_SORT_KEYS) + ".");
        }
        List<String> types = resourceTypes == null ? List.of() : Arrays.stream(resourceTypes.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        NamespaceQuery q = new NamespaceQuery(visibility, types, key, dir.equals("asc"),
                marker == null ? null : catalog.marker(ctx, marker), n);
        List<Map<String, Object>> page = catalog.listNamespaces(ctx, q);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespaces", page);
        String query = queryWithout(uri, "marker");
        if (page.size() == n && n > 0) {
            String last = (String) page.get(page.size() - 1).get("namespace");
            body.put("next", MetadefViews.NAMESPACES + "?" + (query.isEmpty() ? "" : query + "&") + "marker="
                    + URLEncoder.encode(last, StandardCharsets.UTF_8));
        }
        body.put("schema", "/v2/schemas/metadefs/namespaces");
        body.put("first", MetadefViews.NAMESPACES + (query.isEmpty() ? "" : "?" + query));
        return body;
    }

    static String sortDir(String sortDir) {
        String dir = sortDir == null ? "desc" : sortDir;
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw ImageException.badRequest("Invalid sort direction: " + dir);
        }
        return dir;
    }

    /** A non-negative integer parameter (400 otherwise, with Glance's words). */
    static int positive(String limit) {
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ImageException.badRequest("limit param must be an integer");
        }
        if (n < 0) {
            throw ImageException.badRequest("limit param must be positive");
        }
        return n;
    }

    private static int limit(String limit) {
        if (limit == null) {
            return MetadefCatalog.DEFAULT_LIMIT;
        }
        return Math.min(positive(limit), MetadefCatalog.MAX_LIMIT);
    }

    /** The request's query string without {@code name}, parameters in their order, as Glance builds its links. */
    private static String queryWithout(UriInfo uri, String name) {
        String raw = uri.getRequestUri().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String part : raw.split("&")) {
            String key = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
            if (!key.equals(name) && !part.isEmpty()) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    @POST
    @Path("namespaces")
    public Response createNamespace(@Context ContainerRequestContext req, @Context UriInfo uri, JsonNode body) {
        Map<String, Object> ns = catalog.createNamespace(caller(req), body);
        return Response.status(201).entity(ns)
                .header("Location", uri.getBaseUri().resolve("v2/metadefs/namespaces/").toString() + ns.get("namespace"))
                .build();
    }

    @GET
    @Path("namespaces/{namespace}")
    public Map<String, Object> namespace(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                         @QueryParam("resource_type") String resourceType) {
        return catalog.showNamespace(caller(req), namespace, resourceType);
    }

    @PUT
    @Path("namespaces/{namespace}")
    public Map<String, Object> updateNamespace(@Context ContainerRequestContext req,
                                               @PathParam("namespace") String namespace, JsonNode body) {
        return catalog.updateNamespace(caller(req), namespace, body);
    }

    @DELETE
    @Path("namespaces/{namespace}")
    public Response deleteNamespace(@Context ContainerRequestContext req, @PathParam("namespace") String namespace) {
        catalog.deleteNamespace(caller(req), namespace);
        return Response.noContent().build();
    }

    // ---- objects

    @GET
    @Path("namespaces/{namespace}/objects")
    public Map<String, Object> objects(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                       @QueryParam("limit") String limit, @QueryParam("sort_dir") String sortDir,
                                       @QueryParam("visibility") String visibility) {
        // Glance checks these and then lists every object, unpaged
        if (limit != null && positive(limit) == 0) {
            throw ImageException.badRequest("limit param must be positive");
        }
        sortDir(sortDir);
        if (visibility != null && !List.of("public", "private", "shared").contains(visibility)) {
            throw ImageException.badRequest("Invalid visibility value: " + visibility);
        }
        List<Definition> objects = catalog.list(caller(req), namespace, Kind.OBJECT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("objects", objects.stream().map(o -> MetadefViews.object(namespace, o, null)).toList());
        body.put("schema", "v2/schemas/metadefs/objects");
        return body;
    }

    @POST
    @Path("namespaces/{namespace}/objects")
    public Response createObject(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                 JsonNode body) {
        MetadefInput.readOnly(body, MetadefInput.READ_ONLY);
        catalog.schemas.validate("object", body);
        String name = body.get("name").asText();
        Definition d = catalog.add(caller(req), namespace, Kind.OBJECT, name,
                MetadefInput.objectDefinition(catalog.json, body));
        return created(MetadefViews.object(namespace, d, null));
    }

    @GET
    @Path("namespaces/{namespace}/objects/{name}")
    public Map<String, Object> object(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                      @PathParam("name") String name) {
        return MetadefViews.object(namespace, catalog.get(caller(req), namespace, Kind.OBJECT, name), null);
    }

    @PUT
    @Path("namespaces/{namespace}/objects/{name}")
    public Map<String, Object> updateObject(@Context ContainerRequestContext req,
                                            @PathParam("namespace") String namespace, @PathParam("name") String name,
                                            JsonNode body) {
        MetadefInput.readOnly(body, MetadefInput.READ_ONLY);
        catalog.schemas.validate("object", body);
        Definition d = catalog.update(caller(req), namespace, Kind.OBJECT, name, body.get("name").asText(),
                MetadefInput.objectDefinition(catalog.json, body));
        return MetadefViews.object(namespace, d, null);
    }

    @DELETE
    @Path("namespaces/{namespace}/objects/{name}")
    public Response deleteObject(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                 @PathParam("name") String name) {
        catalog.remove(caller(req), namespace, Kind.OBJECT, name);
        return Response.noContent().build();
    }

    @DELETE
    @Path("namespaces/{namespace}/objects")
    public Response deleteObjects(@Context ContainerRequestContext req, @PathParam("namespace") String namespace) {
        catalog.remove(caller(req), namespace, Kind.OBJECT, null);
        return Response.noContent().build();
    }

    // ---- properties

    @GET
    @Path("namespaces/{namespace}/properties")
    public Map<String, Object> properties(@Context ContainerRequestContext req, @PathParam("namespace") String namespace) {
        return Map.of("properties", MetadefViews.properties(catalog.list(caller(req), namespace, Kind.PROPERTY), null));
    }

    @POST
    @Path("namespaces/{namespace}/properties")
    public Response createProperty(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                   JsonNode body) {
        MetadefInput.readOnly(body, MetadefInput.TIMES);
        catalog.schemas.validate("property", body);
        String name = body.get("name").asText();
        Definition d = catalog.add(caller(req), namespace, Kind.PROPERTY, name,
                MetadefInput.propertyDefinition(catalog.json, body));
        return created(MetadefViews.property(d.name(), d));
    }

    @GET
    @Path("namespaces/{namespace}/properties/{name}")
    public Map<String, Object> property(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                        @PathParam("name") String name,
                                        @QueryParam("resource_type") String resourceType) {
        RequestContext ctx = caller(req);
        String stored = resourceType == null || resourceType.isEmpty() ? name
                : catalog.unprefixed(ctx, namespace, resourceType, name);
        Definition d = catalog.get(ctx, namespace, Kind.PROPERTY, stored);
        return MetadefViews.property(d.name(), d);
    }

    @PUT
    @Path("namespaces/{namespace}/properties/{name}")
    public Map<String, Object> updateProperty(@Context ContainerRequestContext req,
                                              @PathParam("namespace") String namespace,
                                              @PathParam("name") String name, JsonNode body) {
        MetadefInput.readOnly(body, MetadefInput.TIMES);
        catalog.schemas.validate("property", body);
        Definition d = catalog.update(caller(req), namespace, Kind.PROPERTY, name, body.get("name").asText(),
                MetadefInput.propertyDefinition(catalog.json, body));
        return MetadefViews.property(d.name(), d);
    }

    @DELETE
    @Path("namespaces/{namespace}/properties/{name}")
    public Response deleteProperty(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                   @PathParam("name") String name) {
        catalog.remove(caller(req), namespace, Kind.PROPERTY, name);
        return Response.noContent().build();
    }

    @DELETE
    @Path("namespaces/{namespace}/properties")
    public Response deleteProperties(@Context ContainerRequestContext req, @PathParam("namespace") String namespace) {
        catalog.remove(caller(req), namespace, Kind.PROPERTY, null);
        return Response.noContent().build();
    }

    // ---- resource types

    @GET
    @Path("resource_types")
    public Map<String, Object> resourceTypes(@Context ContainerRequestContext req) {
        return Map.of("resource_types", catalog.resourceTypes(caller(req)).stream().map(MetadefViews::resourceType)
                .toList());
    }

    @GET
    @Path("namespaces/{namespace}/resource_types")
    public Map<String, Object> associations(@Context ContainerRequestContext req,
                                            @PathParam("namespace") String namespace) {
        return Map.of("resource_type_associations", catalog.associations(caller(req), namespace).stream()
                .map(MetadefViews::association).toList());
    }

    @POST
    @Path("namespaces/{namespace}/resource_types")
    public Response associate(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                              JsonNode body) {
        MetadefInput.readOnly(body, MetadefInput.TIMES);
        catalog.schemas.validate("resource_type", body);
        return created(MetadefViews.association(catalog.associate(caller(req), namespace,
                MetadefInput.association(body))));
    }

    @DELETE
    @Path("namespaces/{namespace}/resource_types/{name}")
    public Response dissociate(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                               @PathParam("name") String name) {
        catalog.dissociate(caller(req), namespace, name);
        return Response.noContent().build();
    }
}
