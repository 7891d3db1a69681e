package com.xloud.image.rest.internal;

import com.xloud.image.api.images.AdminService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Beyond Glance, admin only: {@code GET /v2/x-admin/health}, this node's detailed health (troubleshooting). */
@Path("/v2/x-admin/health")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminHealthResource {
    private final AdminService images;

    AdminHealthResource(AdminService images) {
        this.images = images;
    }

    @GET
    public Map<String, Object> report(@Context ContainerRequestContext req) {
        return images.healthReport(RequestIdentity.of(req));
    }
}
