package com.xloud.image.rest.internal;

import com.xloud.image.api.metrics.MetricsExposition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Duration;
import java.util.List;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Request meters per route ({@code http.server.requests}: method, route template, status; the time
 * until the response starts, so a download counts its time to first byte) and {@code GET /metrics},
 * the node's meters in Prometheus' text format while a metrics bundle runs (404 otherwise).
 */
@Path("/metrics")
@jakarta.inject.Singleton
public final class RestMetrics implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = RestMetrics.class.getName() + ".started";
    /** Histogram buckets (Prometheus {@code le}) of request times, from 5 ms to 60 s. */
    private static final Duration[] BUCKETS = java.util.stream.Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500,
            5000, 10_000, 60_000).map(Duration::ofMillis).toArray(Duration[]::new);

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private volatile MetricsExposition exposition;

    void add(MeterRegistry registry) {
        meters.add(registry);
    }

    void remove(MeterRegistry registry) {
        meters.remove(registry);
    }

    void exposition(MetricsExposition e) {
        this.exposition = e;
    }

    MetricsExposition exposition() {
        return exposition;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        req.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext req, ContainerResponseContext resp) {
        Object started = req.getProperty(STARTED);
        if (!(started instanceof Long t0)) {
            return;
        }
        Timer.builder("http.server.requests").description("API requests until their response starts")
                .tag("method", req.getMethod()).tag("route", route(req)).tag("status", Integer.toString(resp.getStatus()))
                .serviceLevelObjectives(BUCKETS).register(meters)
                .record(Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The matched route, e.g. {@code /v2/images/{id}/file}; unmatched requests share one name. */
    private static String route(ContainerRequestContext req) {
        if (!(req.getUriInfo() instanceof ExtendedUriInfo info)) {
            return "UNKNOWN";
        }
        List<UriTemplate> templates = info.getMatchedTemplates();
        if (templates.isEmpty()) {
            return "UNMATCHED";
        }
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String t = templates.get(i).getTemplate();
            if (!t.startsWith("/") && !route.toString().endsWith("/")) {
                route.append('/');
            }
            route.append(t);
        }
        String r = route.toString().replaceAll("/+", "/");
        return r.length() > 1 && r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    @GET
    public Response scrape() {
        MetricsExposition e = exposition;
        if (e == null) {
            return Response.status(404).type("text/plain").entity("no metrics bundle runs on this node\n").build();
        }
        StreamingOutput body = e::write;
        return Response.ok(body, e.contentType()).build();
    }
}
