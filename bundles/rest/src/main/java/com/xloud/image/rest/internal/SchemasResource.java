package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code /v2/schemas/image} and {@code /v2/schemas/images}: the JSON schemas clients build their options from. */
@Path("/v2/schemas")
@Produces(MediaType.APPLICATION_JSON)
public final class SchemasResource {
    private final JsonNode image;
    private final JsonNode images;

    SchemasResource(ObjectMapper json) {
        try (InputStream in = SchemasResource.class.getResourceAsStream("/schemas/image.json")) {
            this.image = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the image schema is missing from the bundle", e);
        }
        ObjectNode list = json.createObjectNode();
        list.put("name", "images");
        ObjectNode props = list.putObject("properties");
        ObjectNode imagesProp = props.putObject("images");
        imagesProp.put("type", "array");
        imagesProp.set("items", image);
        props.putObject("schema").put("type", "string");
        props.putObject("first").put("type", "string");
        props.putObject("next").put("type", "string");
        var links = list.putArray("links");
        links.addObject().put("rel", "first").put("href", "{first}");
        links.addObject().put("rel", "next").put("href", "{next}");
        links.addObject().put("rel", "describedby").put("href", "{schema}");
        this.images = list;
    }

    @GET
    @Path("image")
    public JsonNode image() {
        return image;
    }

    @GET
    @Path("images")
    public JsonNode images() {
        return images;
    }
}
