package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /healthcheck} as oslo.middleware answers it: 200 "OK", or 503 when the registry
 * database does not answer or the operator placed the disable file.
 */
@jakarta.ws.rs.Path("/healthcheck")
public final class HealthResource {
    private final ImageService images;
    private final Path disableFile;

    HealthResource(ImageService images, Path disableFile) {
        this.images = images;
        this.disableFile = disableFile;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response check() {
        if (disableFile != null && Files.exists(disableFile)) {
            return Response.status(503).entity("DISABLED BY FILE").type(MediaType.TEXT_PLAIN_TYPE).build();
        }
        if (!images.healthy()) {
            return Response.status(503).entity("DATABASE UNAVAILABLE").type(MediaType.TEXT_PLAIN_TYPE).build();
        }
        return Response.ok("OK", MediaType.TEXT_PLAIN_TYPE).build();
    }
}
