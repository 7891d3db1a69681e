package com.xloud.image.api.images;

import java.util.List;
import java.util.Locale;

/**
 * Who asks, and under which request id. {@code projectId} is null for the anonymous admin of the
 * no-auth pipeline. {@code authToken} is the caller's Keystone token (null without Keystone), for
 * services that act with the caller's rights (a key manager holding certificates); it never
 * appears in {@link #toString()}.
 */
public record RequestContext(String userId, String projectId, List<String> roles, String requestId, String authToken) {

    public RequestContext {
        roles = List.copyOf(roles);
    }

    public RequestContext(String userId, String projectId, List<String> roles, String requestId) {
        this(userId, projectId, roles, requestId, null);
    }

    public boolean isAdmin() {
        return roles.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals("admin"));
    }

    @Override
    public String toString() {
        return "RequestContext[userId=" + userId + ", projectId=" + projectId + ", roles=" + roles + ", requestId="
                + requestId + (authToken == null ? "" : ", authToken=***") + "]";
    }
}
