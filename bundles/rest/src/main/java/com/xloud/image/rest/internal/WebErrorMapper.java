package com.xloud.image.rest.internal;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Jersey's own refusals (unknown route, wrong method, bad media type) in Glance's body, headers kept. */
final class WebErrorMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String message = switch (status) {
            case 404 -> "The resource could not be found.";
            case 405 -> "The method is not allowed for this resource.";
            case 415 -> "The request media type is not supported by this server.";
            case 406 -> "The requested response media type is not supported.";
            default -> e.getMessage();
        };
        Response.ResponseBuilder b = ErrorBody.of(status, message);
        original.getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Allow")) {
                b.header("Allow", allowed(values));
            } else if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return b.build();
    }

    /**
     * The methods a resource really has, as Glance lists them ("DELETE, GET, PATCH"): without the
     * HEAD and OPTIONS that JAX-RS adds to every resource.
     */
    static String allowed(java.util.List<Object> values) {
        java.util.TreeSet<String> methods = new java.util.TreeSet<>();
        for (Object v : values) {
            for (String m : String.valueOf(v).split(",")) {
                String method = m.trim().toUpperCase(java.util.Locale.ROOT);
                if (!method.isEmpty() && !method.equals("HEAD") && !method.equals("OPTIONS")) {
                    methods.add(method);
                }
            }
        }
        return String.join(", ", methods);
    }
}
