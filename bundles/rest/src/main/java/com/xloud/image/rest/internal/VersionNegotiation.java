package com.xloud.image.rest.internal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.net.URI;
import java.util.regex.Pattern;

/** Rewrites {@code /v2.N/...} to {@code /v2/...}, as Glance's version negotiation middleware does. */
@PreMatching
@Priority(100)
final class VersionNegotiation implements ContainerRequestFilter {
    private static final Pattern MINOR = Pattern.compile("^/v2\\.\\d+(/|$)");

    @Override
    public void filter(ContainerRequestContext req) {
        URI uri = req.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        var m = MINOR.matcher(path);
        if (m.find()) {
            String rewritten = "/v2" + (m.group(1).isEmpty() ? "/" : "/") + path.substring(m.end());
            req.setRequestUri(req.getUriInfo().getBaseUri(),
                    URI.create(rewritten + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
        }
    }
}
