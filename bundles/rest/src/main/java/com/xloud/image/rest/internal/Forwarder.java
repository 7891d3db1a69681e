package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.StagedElsewhereException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request on to the node that can serve it (the one holding an image's staged data) with
 * the caller's headers, and answers with that node's answer. A request that was forwarded once is
 * never forwarded again.
 */
final class Forwarder {
    static final String FORWARDED = "X-Xloud-Forwarded-By";
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-authorization", "http2-settings");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String self;

    Forwarder(String self) {
        this.self = self;
    }

    Response forward(ContainerRequestContext req, StagedElsewhereException where, byte[] body) {
        if (req.getHeaderString(FORWARDED) != null) {
            throw ImageException.conflict("Image data is staged on node " + where.nodeId() + ", but this request was"
                    + " forwarded here by " + req.getHeaderString(FORWARDED) + "; not forwarding it again.");
        }
        URI target = URI.create(where.nodeUrl() + req.getUriInfo().getRequestUri().getRawPath()
                + (req.getUriInfo().getRequestUri().getRawQuery() == null ? ""
                : "?" + req.getUriInfo().getRequestUri().getRawQuery()));
        HttpRequest.Builder out = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                .method(req.getMethod(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        req.getHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("Accept")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        String accept = AcceptHeader.of(req); // the client's, so that an error comes back as it asked
        if (accept != null) {
            out.header("Accept", accept);
        }
        out.header(FORWARDED, self);
        com.xloud.image.api.images.RequestContext caller = RequestIdentity.of(req);
        if (caller != null) {
            out.setHeader("X-Openstack-Request-Id", caller.requestId());
        }
        try {
            HttpResponse<byte[]> answer = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            LOG.info("{} {} forwarded to node {} ({}): {}", req.getMethod(), target.getRawPath(), where.nodeId(),
                    where.nodeUrl(), answer.statusCode());
            Response.ResponseBuilder r = Response.status(answer.statusCode());
            answer.headers().firstValue("Content-Type").ifPresent(t -> r.header("Content-Type", t));
            if (answer.body().length > 0) {
                r.entity(answer.body());
            }
            return r.build();
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, "Image data is staged on node " + where.nodeId()
                    + " (" + where.nodeUrl() + "), which cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(ImageException.Kind.UNAVAILABLE, "interrupted while forwarding to node "
                    + where.nodeId());
        }
    }
}
