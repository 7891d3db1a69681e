package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code /v2/schemas/{image,images,member,members,task,tasks}}: the JSON schemas clients build their options
 * from. The single-entity schemas are resources of this bundle; the list schemas wrap them.
 */
@Path("/v2/schemas")
@Produces(MediaType.APPLICATION_JSON)
public final class SchemasResource {
    private final JsonNode image;
    private final JsonNode images;
    private final JsonNode member;
    private final JsonNode members;
    private final JsonNode task;
    private final JsonNode tasks;

    SchemasResource(ObjectMapper json) {
        this.image = load(json, "image");
        this.member = load(json, "member");
        this.images = list(json, "images", image, "first", "next");
        this.members = list(json, "members", member);
        this.task = load(json, "task");
        this.tasks = load(json, "tasks"); // Glance's own list document: its items omit input, result and message
    }

    private static JsonNode load(ObjectMapper json, String name) {
        try (InputStream in = SchemasResource.class.getResourceAsStream("/schemas/" + name + ".json")) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the " + name + " schema is missing from the bundle", e);
        }
    }

    private static JsonNode list(ObjectMapper json, String name, JsonNode item, String... links) {
        ObjectNode list = json.createObjectNode();
        list.put("name", name);
        ObjectNode props = list.putObject("properties");
        ObjectNode items = props.putObject(name);
        items.put("type", "array");
        items.set("items", item);
        props.putObject("schema").put("type", "string");
        for (String link : links) {
            props.putObject(link).put("type", "string");
        }
        ArrayNode linkList = list.putArray("links");
        for (String link : links) {
            linkList.addObject().put("rel", link).put("href", "{" + link + "}");
        }
        linkList.addObject().put("rel", "describedby").put("href", "{schema}");
        return list;
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

    @GET
    @Path("member")
    public JsonNode member() {
        return member;
    }

    @GET
    @Path("members")
    public JsonNode members() {
        return members;
    }

    @GET
    @Path("task")
    public JsonNode task() {
        return task;
    }

    @GET
    @Path("tasks")
    public JsonNode tasks() {
        return tasks;
    }
}
