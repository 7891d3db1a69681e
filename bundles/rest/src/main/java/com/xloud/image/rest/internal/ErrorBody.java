package com.xloud.image.rest.internal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Glance's JSON error body: {@code {"message", "code", "title"}}. */
final class ErrorBody {
    private ErrorBody() {
    }

    static Response.ResponseBuilder of(int status, String message) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? titleOf(status) : type.getReasonPhrase();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", status + " " + title);
        body.put("title", title);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 413 -> "Request Entity Too Large";
            case 416 -> "Requested Range Not Satisfiable";
            default -> "Error";
        };
    }
}
