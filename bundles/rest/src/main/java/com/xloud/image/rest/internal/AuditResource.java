package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.AuditQuery;
import com.xloud.image.api.images.ImageEventRecord;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.AdminService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail, beyond Glance: {@code GET /v2/images/{id}/history} (owner or admin) and admin
 * {@code GET /v2/audit} (filters, keyset pages, newest or oldest first, JSON lines export).
 */
@Path("/v2/audit")
public final class AuditResource {
    private final AdminService images;
    private final ObjectMapper json;

    AuditResource(AdminService images, ObjectMapper json) {
        this.images = images;
        this.json = json;
    }

    @GET
    public Response audit(@Context ContainerRequestContext req, @QueryParam("project") String project,
                          @QueryParam("user") String user, @QueryParam("image") String image,
                          @QueryParam("type") String type, @QueryParam("since") String since,
                          @QueryParam("until") String until, @QueryParam("limit") String limit,
                          @QueryParam("marker") String marker, @QueryParam("order") String order,
                          @QueryParam("format") String format) {
        boolean ascending = "asc".equals(order);
        if (order != null && !ascending && !"desc".equals(order)) {
            throw ImageException.badRequest("order must be asc or desc");
        }
        int n = limit == null ? 100 : number(limit, "limit").intValue();
        n = Math.min(n, 10_000);
        AuditQuery query = new AuditQuery(project, user, image, type, time(since, "since"), time(until, "until"), n,
                marker == null ? null : number(marker, "marker"), ascending);
        List<ImageEventRecord> events = images.audit(RequestIdentity.of(req), query);
        if ("jsonl".equals(format)) {
            StreamingOutput lines = out -> {
                for (ImageEventRecord e : events) {
                    out.write(json.writeValueAsBytes(json(e)));
                    out.write('\n');
                }
            };
            return Response.ok(lines, "application/x-ndjson").build();
        }
        if (format != null) {
            throw ImageException.badRequest("format must be jsonl (or absent for JSON)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", events.stream().map(AuditResource::json).toList());
        if (events.size() == n && n > 0) {
            String raw = req.getUriInfo().getRequestUri().getRawQuery();
            body.put("next", "/v2/audit?" + (raw == null ? "" : raw.replaceAll("(^|&)marker=[^&]*", "") + "&")
                    .replaceFirst("^&", "") + "marker=" + events.get(events.size() - 1).index());
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Long number(String v, String name) {
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ImageException.badRequest(name + " must be a whole number, got '" + v + "'");
        }
    }

    private static Instant time(String v, String name) {
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ImageException.badRequest(name + " must be an ISO 8601 time like 2026-01-02T03:04:05Z, got '" + v + "'");
        }
    }

    static Map<String, Object> json(ImageEventRecord e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", e.index());
        m.put("image_id", e.imageId());
        m.put("sequence", e.sequence());
        m.put("type", e.type());
        m.put("at", e.at() == null ? null : e.at().toString());
        m.put("user_id", e.userId());
        m.put("project_id", e.projectId());
        m.put("roles", e.roles());
        m.put("node_id", e.nodeId());
        m.put("request_id", e.requestId());
        m.put("changes", e.changes());
        return m;
    }
}
