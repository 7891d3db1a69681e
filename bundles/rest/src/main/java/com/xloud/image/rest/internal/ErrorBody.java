package com.xloud.image.rest.internal;

import com.xloud.image.api.images.TextLimits;
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
        body.put("message", message == null ? null : wellFormed(message));
        body.put("code", status + " " + title);
        body.put("title", title);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
    }

    /**
     * A message that quotes refused input may hold half of a surrogate pair, which no UTF-8 body
     * can carry: it is shown as U+FFFD instead of failing the answer.
     */
    static String wellFormed(String s) {
        if (TextLimits.wellFormed(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 413 -> "Request Entity Too Large";
            case 416 -> "Requested Range Not Satisfiable";
            default -> "Error";
        };
    }
}
