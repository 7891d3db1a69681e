package com.xloud.image.rest.internal;

import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.images.TextLimits;
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
    static final String CONTEXT = com.xloud.image.api.rest.RestResource.REQUEST_CONTEXT;
    static final String MDC_KEY = "request_id";
    private static final Logger ACCESS = LoggerFactory.getLogger("com.xloud.image.access");
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile(
            "req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Paths anyone may ask without a token, as Glance's version and healthcheck pipelines. */
    private static final java.util.Set<String> OPEN = java.util.Set.of("", "versions", "healthcheck", "metrics");

    private final String nodeId;
    private final KeystoneAuth keystone;

    /**
     * {@code nodeId} goes into every answer ({@code X-Xloud-Node}): behind a load balancer, who
     * served it. {@code keystone} null: no-auth (the caller is who the X-User-Id, X-Project-Id and
     * X-Roles headers say); else every request but the open ones needs a valid X-Auth-Token.
     */
    RequestIdentity(String nodeId, KeystoneAuth keystone) {
        this.nodeId = nodeId;
        this.keystone = keystone;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        // a request another node forwarded keeps its request id: the logs of both nodes tell one story
        String forwardedId = req.getHeaderString(Forwarder.FORWARDED) == null ? null
                : req.getHeaderString("X-Openstack-Request-Id");
        String requestId = forwardedId != null && REQUEST_ID.matcher(forwardedId).matches() ? forwardedId
                : "req-" + UUID.randomUUID();
        MDC.put(MDC_KEY, requestId);
        req.setProperty("xloud.request.start", System.nanoTime());
        if (keystone == null) {
            req.setProperty(CONTEXT, caller(req, requestId));
        } else {
            authenticate(req, requestId);
        }
        if (req.getProperty(CONTEXT) instanceof RequestContext caller) {
            String problem = unfit("user id", caller.userId());
            problem = problem != null ? problem : unfit("project id", caller.projectId());
            if (problem != null) {
                // it would be the owner, member or user of rows that cannot hold it: refused before anything is done
                req.abortWith(ErrorBody.of(400, "The caller's " + problem).header("X-Openstack-Request-Id", requestId)
                        .header("X-Xloud-Node", nodeId).build());
            }
        }
    }

    /** Keystone mode: the caller is whom X-Auth-Token speaks for; 401 without a valid one. */
    private void authenticate(ContainerRequestContext req, String requestId) {
        String path = req.getUriInfo().getPath().replaceAll("^/+|/+$", "");
        if (OPEN.contains(path)) {
            req.setProperty(CONTEXT, new RequestContext(null, null, List.of(), requestId));
            return;
        }
        try {
            KeystoneAuth.Identity user = keystone.validate(req.getHeaderString("X-Auth-Token"));
            List<String> roles = new java.util.ArrayList<>(user.roles());
            String serviceToken = req.getHeaderString("X-Service-Token");
            if (serviceToken != null) {
                KeystoneAuth.Identity service = keystone.validate(serviceToken);
                boolean isService = service.roles().stream().anyMatch(keystone.settings().serviceTokenRoles()::contains);
                if (!isService && keystone.settings().serviceTokenRolesRequired()) {
                    throw new KeystoneAuth.InvalidToken("the service token has none of the roles "
                            + keystone.settings().serviceTokenRoles());
                }
                if (isService && !roles.contains("service")) {
                    roles.add("service");
                }
            }
            req.setProperty(CONTEXT, new RequestContext(user.userId(), user.projectId(), roles, requestId,
                    req.getHeaderString("X-Auth-Token")));
        } catch (KeystoneAuth.InvalidToken e) {
            ACCESS.info("{} {} -> 401 ({})", req.getMethod(), req.getUriInfo().getRequestUri().getRawPath(),
                    e.getMessage());
            req.abortWith(ErrorBody.of(401, "The request you have made requires authentication.")
                    .header("WWW-Authenticate", "Keystone uri=\"" + keystone.settings().wwwAuthenticateUri() + "\"")
                    .header("X-Openstack-Request-Id", requestId).header("X-Xloud-Node", nodeId).build());
        } catch (KeystoneAuth.KeystoneUnavailable e) {
            org.slf4j.LoggerFactory.getLogger(RequestIdentity.class).error("cannot authenticate {}: {}", requestId,
                    e.getMessage());
            req.abortWith(ErrorBody.of(503, "The identity service cannot be reached; try again later.")
                    .header("X-Openstack-Request-Id", requestId).header("X-Xloud-Node", nodeId).build());
        }
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

    /** Why an identity cannot be recorded (too long for its columns, not Unicode), or null when it can. */
    private static String unfit(String what, String id) {
        if (id == null) {
            return null;
        }
        if (!TextLimits.wellFormed(id)) {
            return what + " is not valid Unicode text.";
        }
        int n = TextLimits.characters(id);
        return n > TextLimits.IDENTIFIER ? what + " is too long: at most " + TextLimits.IDENTIFIER + " characters, got "
                + n + "." : null;
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
