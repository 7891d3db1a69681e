package com.xloud.image.rest.internal;

import com.xloud.image.api.images.RequestContext;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request its id (in the response header and on every log line of the request) and
 * its caller. In no-auth mode the caller comes from {@code X-User-Id}, {@code X-Project-Id} and
 * {@code X-Roles}; without them it is the anonymous admin of Glance's no-auth pipeline.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class RequestIdentity implements ContainerRequestFilter, ContainerResponseFilter {
    static final String CONTEXT = "xloud.request.context";
    static final String MDC_KEY = "request_id";
    private static final Logger ACCESS = LoggerFactory.getLogger("com.xloud.image.access");
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile(
            "req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String nodeId;

    /** {@code nodeId} goes into every answer ({@code X-Xloud-Node}): behind a load balancer, who served it. */
    RequestIdentity(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        // a request another node forwarded keeps its request id: the logs of both nodes tell one story
        String forwardedId = req.getHeaderString(Forwarder.FORWARDED) == null ? null
                : req.getHeaderString("X-Openstack-Request-Id");
        String requestId = forwardedId != null && REQUEST_ID.matcher(forwardedId).matches() ? forwardedId
                : "req-" + UUID.randomUUID();
        MDC.put(MDC_KEY, requestId);
        req.setProperty(CONTEXT, caller(req, requestId));
        req.setProperty("xloud.request.start", System.nanoTime());
    }

    private static RequestContext caller(ContainerRequestContext req, String requestId) {
        String user = blankToNull(req.getHeaderString("X-User-Id"));
        String project = blankToNull(req.getHeaderString("X-Project-Id"));
        if (project == null) {
            project = blankToNull(req.getHeaderString("X-Tenant-Id"));
        }
        String rolesHeader = blankToNull(req.getHeaderString("X-Roles"));
        if (user == null && project == null && rolesHeader == null) {
            return new RequestContext(null, null, List.of("admin"), requestId);
        }
        List<String> roles = rolesHeader == null ? List.of()
                : Arrays.stream(rolesHeader.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
        return new RequestContext(user, project, roles, requestId);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public void filter(ContainerRequestContext req, ContainerResponseContext resp) {
        Object ctx = req.getProperty(CONTEXT);
        if (ctx instanceof RequestContext rc) {
            resp.getHeaders().putSingle("X-Openstack-Request-Id", rc.requestId());
        }
        resp.getHeaders().putSingle("X-Xloud-Node", nodeId);
        Object start = req.getProperty("xloud.request.start");
        long micros = start instanceof Long s ? (System.nanoTime() - s) / 1000 : -1;
        ACCESS.info("{} {} -> {} ({} us before body)", req.getMethod(), req.getUriInfo().getRequestUri().getRawPath(),
                resp.getStatus(), micros);
    }

    static RequestContext of(ContainerRequestContext req) {
        return (RequestContext) req.getProperty(CONTEXT);
    }
}
