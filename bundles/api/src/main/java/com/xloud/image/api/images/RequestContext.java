package com.xloud.image.api.images;

import java.util.List;
import java.util.Locale;

/**
 * Who asks, and under which request id. {@code projectId} is null for the anonymous admin of the
 * no-auth pipeline.
 */
public record RequestContext(String userId, String projectId, List<String> roles, String requestId) {

    public RequestContext {
        roles = List.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals("admin"));
    }
}
