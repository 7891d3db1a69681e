package com.xloud.image.metadefs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.rest.RestResource;
import com.xloud.image.metadefs.internal.CatalogQueries.Definition;
import com.xloud.image.metadefs.internal.NamespaceCommands.Kind;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /v2/metadefs/namespaces/{namespace}/tags}: a namespace's tags, one or many, listed, renamed, removed. */
@Component(service = RestResource.class)
@Path("/v2/metadefs/namespaces/{namespace}/tags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class MetadefTagsResource implements RestResource {
    private final MetadefCatalog catalog;

    @Activate
    public MetadefTagsResource(@Reference MetadefCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public Map<String, Object> tags(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                    @QueryParam("limit") String limit, @QueryParam("marker") String marker,
                                    @QueryParam("sort_key") String sortKey, @QueryParam("sort_dir") String sortDir) {
        int n = limit == null || limit.isEmpty() ? -1 : MetadefsResource.positive(limit);
        String dir = MetadefsResource.sortDir(sortDir);
        String key = sortKey == null ? "created_at" : sortKey;
        if (!CatalogQueries.TAG_SORT_KEYS.contains(key)) {
            throw ImageException.badRequest("Invalid sort key: " + key + ". It must be one of the following: "
                    + String.join(", ", CatalogQueries.TAG_SORT_KEYS) + ".");
        }
        return Map.of("tags", catalog.tags(MetadefsResource.caller(req), namespace, key, dir.equals("asc"), marker, n).stream()
                .map(t -> Map.of("name", t.name())).toList());
    }

    @POST
    public Response createTags(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                               @HeaderParam("X-Openstack-Append") String append, JsonNode body) {
        if (!body.isObject() || !body.path("tags").isArray()) {
            throw ImageException.badRequest("Provided object does not match schema 'tags': 'tags' is a required property");
        }
        MetadefInput.readOnly(body, MetadefInput.TIMES);
        List<String> names = new ArrayList<>();
        for (JsonNode t : body.get("tags")) {
            catalog.schemas.validate("tag", t);
            names.add(t.get("name").asText());
        }
        List<Definition> tags = catalog.addTags(MetadefsResource.caller(req), namespace, names, bool(append));
        return MetadefsResource.created(Map.of("tags", tags.stream().map(MetadefViews::tag).toList()));
    }

    /** oslo's bool_from_string: true, 1, yes, on, y, t (any case) are true; anything else false. */
    static boolean bool(String value) {
        if (value == null) {
            return false;
        }
        return List.of("1", "t", "true", "on", "y", "yes").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    @POST
    @Path("{name}")
    public Response createTag(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                              @PathParam("name") String name, @HeaderParam("Content-Length") String length,
                              @HeaderParam("Transfer-Encoding") String encoding) {
        if (length != null && !length.strip().equals("0") || encoding != null) {
            throw ImageException.badRequest("A body is not expected with this request.");
        }
        checkTagName(name);
        return MetadefsResource.created(MetadefViews.tag(catalog.add(MetadefsResource.caller(req), namespace, Kind.TAG, name, null)));
    }

    private void checkTagName(String name) {
        catalog.schemas.validate("tag", catalog.json.createObjectNode().put("name", name));
    }

    @GET
    @Path("{name}")
    public Map<String, Object> tag(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                   @PathParam("name") String name) {
        return MetadefViews.tag(catalog.get(MetadefsResource.caller(req), namespace, Kind.TAG, name));
    }

    @PUT
    @Path("{name}")
    public Map<String, Object> updateTag(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                                         @PathParam("name") String name, JsonNode body) {
        MetadefInput.readOnly(body, MetadefInput.TIMES);
        catalog.schemas.validate("tag", body);
        return MetadefViews.tag(catalog.update(MetadefsResource.caller(req), namespace, Kind.TAG, name, body.get("name").asText(), null));
    }

    @DELETE
    @Path("{name}")
    public Response deleteTag(@Context ContainerRequestContext req, @PathParam("namespace") String namespace,
                              @PathParam("name") String name) {
        catalog.remove(MetadefsResource.caller(req), namespace, Kind.TAG, name);
        return Response.noContent().build();
    }

    @DELETE
    public Response deleteTags(@Context ContainerRequestContext req, @PathParam("namespace") String namespace) {
        catalog.remove(MetadefsResource.caller(req), namespace, Kind.TAG, null);
        return Response.noContent().build();
    }
}
