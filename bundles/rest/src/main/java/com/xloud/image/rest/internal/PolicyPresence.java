package com.xloud.image.rest.internal;

import com.xloud.image.api.policy.PolicyEnforcer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Fails closed while no policy runs (its bundle stopped, removed, or being replaced): every request
 * but the version documents and the load balancer's health check answers 503 and names the missing
 * service, rather than being served by rules nobody enforces.
 */
@PreMatching
@Priority(jakarta.ws.rs.Priorities.AUTHENTICATION + 5) // after the caller and the request id are known
final class PolicyPresence implements ContainerRequestFilter {
    /** Paths (without their slashes) served without a policy. */
    private static final Set<String> OPEN = Set.of("", "versions", "healthcheck");
    private final Supplier<PolicyEnforcer> policy;

    PolicyPresence(Supplier<PolicyEnforcer> policy) {
        this.policy = policy;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        if (policy.get() == null && !OPEN.contains(req.getUriInfo().getPath().replaceAll("^/+|/+$", ""))) {
            req.abortWith(ErrorBody.of(503, PolicyEnforcer.ABSENT).header("Retry-After", "5").build());
        }
    }
}
