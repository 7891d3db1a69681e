package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /healthcheck} as oslo.middleware answers it: 200 "OK", or 503 when the registry
 * database does not answer, no policy runs (the node would refuse every request: a load balancer
 * sends them elsewhere) or the operator placed the disable file.
 */
@jakarta.ws.rs.Path("/healthcheck")
public final class HealthResource {
    private final ImageService images;
    private final Path disableFile;
    private final java.util.function.BooleanSupplier policyRuns;

    HealthResource(ImageService images, Path disableFile, java.util.function.BooleanSupplier policyRuns) {
        this.images = images;
        this.disableFile = disableFile;
        this.policyRuns = policyRuns;
    }

    /**
     * oslo.middleware's healthcheck as Glance runs it: plain "OK" (or the reason for a 503), and
     * {@code {"detailed": false, "reasons": [...]}} for a caller that asks for JSON.
     */
    @GET
    public Response check(@jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext req) {
        String accept = AcceptHeader.of(req);
        int status = 200;
        String reason = "OK";
        if (disableFile != null && Files.exists(disableFile)) {
            status = 503;
            reason = "DISABLED BY FILE";
        } else if (!images.healthy()) {
            status = 503;
            reason = "DATABASE UNAVAILABLE";
        } else if (!policyRuns.getAsBoolean()) {
            status = 503;
            reason = "POLICY UNAVAILABLE";
        }
        if (ErrorFormats.bestOffer(accept, List.of("text/plain", "application/json"), "text/plain")
                .equals("application/json")) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("detailed", false);
            body.put("reasons", List.of(reason));
            return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.status(status).entity(reason).type(MediaType.TEXT_PLAIN_TYPE).build();
    }
}
