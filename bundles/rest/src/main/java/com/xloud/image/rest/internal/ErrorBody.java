package com.xloud.image.rest.internal;

import com.xloud.image.api.images.TextLimits;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Glance's error answers. Built as an {@link Error} entity; {@link Negotiation} writes it in the
 * representation the request's {@code Accept} asks for ({@link ErrorFormats}).
 */
final class ErrorBody {
    /** An error answer before it is written: status, its title and the message for the client. */
    record Error(int status, String title, String message) {
    }

    private ErrorBody() {
    }

    static Response.ResponseBuilder of(int status, String message) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? titleOf(status) : type.getReasonPhrase();
        return Response.status(status).entity(new Error(status, title, message));
    }

    /** Writes every {@link Error} entity as the request accepts it; runs for aborted requests too. */
    @jakarta.annotation.Priority(jakarta.ws.rs.Priorities.ENTITY_CODER)
    static final class Negotiation implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext req, ContainerResponseContext resp) {
            if (resp.getEntity() instanceof Error e) {
                ErrorFormats.Rendered r = ErrorFormats.render(AcceptHeader.of(req), e.status(), e.title(),
                        e.message());
                resp.setEntity(r.body(), new java.lang.annotation.Annotation[0], MediaType.valueOf(r.contentType()));
                resp.getHeaders().putSingle("Content-Type", r.contentType());
            }
        }
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
