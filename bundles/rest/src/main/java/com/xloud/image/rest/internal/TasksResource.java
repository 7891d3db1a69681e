package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.ImageTask;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v2/tasks} (admin): list, create ({@code import}), show; tasks expire, so DELETE is 405. */
@Path("/v2/tasks")
@Produces(MediaType.APPLICATION_JSON)
public final class TasksResource {
    private final ImportService images;
    private final ObjectMapper json;
    private final JsonBodies bodies;

    TasksResource(ImportService images, ObjectMapper json) {
        this.images = images;
        this.json = json;
        this.bodies = new JsonBodies(json);
    }

    @GET
    public Map<String, Object> list(@Context ContainerRequestContext req, @QueryParam("limit") @DefaultValue("25") String limit,
                                    @QueryParam("marker") String marker) {
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ImageException.badRequest("limit param must be an integer");
        }
        if (n < 0) {
            throw ImageException.badRequest("limit param must be positive");
        }
        n = Math.min(n, ListParams.MAX_LIMIT);
        List<ImageTask> tasks = images.tasks(RequestIdentity.of(req), n + 1, marker);
        boolean more = tasks.size() > n;
        List<ImageTask> page = more ? tasks.subList(0, n) : tasks;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", page.stream().map(t -> json(t, false)).toList());
        body.put("first", "/v2/tasks");
        body.put("schema", "/v2/schemas/tasks");
        if (more && !page.isEmpty()) {
            body.put("next", "/v2/tasks?limit=" + n + "&marker=" + page.get(page.size() - 1).id());
        }
        return body;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@Context ContainerRequestContext req, InputStream body) throws IOException {
        JsonNode request = bodies.read(body);
        if (!request.isObject() || !request.path("type").isTextual()) {
            throw ImageException.badRequest("A task needs a 'type' and an 'input'.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> input = request.has("input") && request.get("input").isObject()
                ? json.convertValue(request.get("input"), LinkedHashMap.class) : null;
        ImageTask task = images.createTask(RequestIdentity.of(req), request.get("type").asText(), input);
        return Response.status(201).entity(json(task, true)).build();
    }

    @GET
    @Path("{task}")
    public Map<String, Object> show(@Context ContainerRequestContext req, @PathParam("task") String task) {
        return json(images.task(RequestIdentity.of(req), task), true);
    }

    /**
     * A task as Glance's tasks API writes it: times as ISO seconds with 'Z'; the optional fields
     * only when set; the list (detail false) shows the stub without input, result, message and ids.
     */
    static Map<String, Object> json(ImageTask t, boolean detail) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("type", t.type());
        out.put("status", t.status());
        out.put("owner", t.owner());
        if (detail) {
            out.put("input", t.input());
            out.put("result", t.result());
            out.put("message", t.message());
            putIfSet(out, "image_id", t.imageId());
            putIfSet(out, "request_id", t.requestId());
            putIfSet(out, "user_id", t.userId());
        }
        if (t.expiresAt() != null) {
            out.put("expires_at", ImageJson.time(t.expiresAt()));
        }
        out.put("created_at", ImageJson.time(t.createdAt()));
        out.put("updated_at", ImageJson.time(t.updatedAt()));
        out.put("self", "/v2/tasks/" + t.id());
        out.put("schema", "/v2/schemas/task");
        return out;
    }

    /**
     * A task as {@code GET /v2/images/{id}/tasks} shows it: Glance answers that route with its
     * database rows, so times are Python's isoformat (microseconds, no zone) and the soft-delete
     * columns are there, without self and schema.
     */
    static Map<String, Object> row(ImageTask t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("type", t.type());
        out.put("status", t.status());
        out.put("owner", t.owner());
        out.put("input", t.input());
        out.put("result", t.result());
        out.put("message", t.message());
        out.put("image_id", t.imageId());
        out.put("request_id", t.requestId());
        out.put("user_id", t.userId());
        out.put("expires_at", t.expiresAt() == null ? null : pythonIso(t.expiresAt()));
        out.put("created_at", pythonIso(t.createdAt()));
        out.put("updated_at", pythonIso(t.updatedAt()));
        out.put("deleted", false);
        out.put("deleted_at", null);
        return out;
    }

    /** Python's datetime.isoformat() of a naive UTC time: microseconds only when there are any. */
    static String pythonIso(java.time.Instant at) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(at, java.time.ZoneOffset.UTC);
        String seconds = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        int micros = t.getNano() / 1000;
        return micros == 0 ? seconds : seconds + String.format(".%06d", micros);
    }

    private static void putIfSet(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
