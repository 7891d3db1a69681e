package com.xloud.image.metadefs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.rest.RestResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /v2/schemas/metadefs/*}: Glance's JSON schemas of the catalog's documents, to everyone (as the image schemas). */
@Component(service = RestResource.class)
@Path("/v2/schemas/metadefs")
@Produces(MediaType.APPLICATION_JSON)
public final class MetadefSchemasResource implements RestResource {
    private final MetadefSchemas schemas;

    @Activate
    public MetadefSchemasResource(@Reference MetadefCatalog catalog) {
        this.schemas = catalog.schemas;
    }

    @GET
    @Path("{name}")
    public JsonNode schema(@PathParam("name") String name) {
        JsonNode doc = schemas.document(name);
        if (doc == null) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "The resource could not be found.");
        }
        return doc;
    }
}
