package com.xloud.image.core.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.registry.ImageRegistry;
import com.xloud.image.registry.RegistryCopy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the registry from the event store without stopping the service: the events are
 * replayed into fresh tables while the live ones keep answering reads and taking writes; then,
 * with writes held back for a moment on every node, the events committed meanwhile are replayed
 * too, the fresh tables are compared with the live ones and swapped in with one RENAME. One
 * rebuild at a time (across nodes); its progress is kept for {@code GET} until the next one.
 */
final class RegistryRebuild implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRebuild.class);

    private final ImageRegistry registry;
    private final EventSourcing events;
    private final String nodeId;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "registry-rebuild");
        t.setDaemon(true);
        return t;
    });
    private volatile Progress current;

    RegistryRebuild(ImageRegistry registry, EventSourcing events, String nodeId) {
        this.registry = registry;
        this.events = events;
        this.nodeId = nodeId;
    }

    /** What a rebuild has done so far; read by other threads while it runs. */
    static final class Progress {
        final String id = java.util.UUID.randomUUID().toString();
        final String requestedBy;
        final String node;
        final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        volatile String state = "running";
        volatile String phase = "creating tables";
        private long phaseStarted = System.nanoTime();
        /** Seconds each finished phase took, in order. */
        private final Map<String, Double> phases = new LinkedHashMap<>();
        volatile long eventsTotal = -1;
        volatile long eventsReplayed;
        volatile Instant finishedAt;
        volatile Map<String, String> tables = Map.of();
        volatile String error;

        Progress(String requestedBy, String node) {
            this.requestedBy = requestedBy;
            this.node = node;
        }

        synchronized void phase(String next) {
            long now = System.nanoTime();
            phases.put(phase, Math.round((now - phaseStarted) / 1e7) / 100.0);
            phase = next;
            phaseStarted = now;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("state", state);
            m.put("phase", phase);
            m.put("node", node);
            m.put("requested_by", requestedBy);
            m.put("started_at", startedAt.toString());
            m.put("finished_at", finishedAt == null ? null : finishedAt.toString());
            Instant end = finishedAt == null ? Instant.now() : finishedAt;
            m.put("seconds", Math.round((end.toEpochMilli() - startedAt.toEpochMilli()) / 10.0) / 100.0);
            m.put("events_total", eventsTotal);
            m.put("events", eventsReplayed);
            m.put("percent", eventsTotal <= 0 ? (state.equals("running") ? 0 : 100)
                    : Math.min(100, Math.round(eventsReplayed * 1000.0 / eventsTotal) / 10.0));
            synchronized (this) {
                m.put("phases", new LinkedHashMap<>(phases));
            }
            m.put("tables", tables);
            if (!tables.isEmpty()) {
                m.put("unchanged", tables.values().stream().allMatch("unchanged"::equals));
            }
            if (error != null) {
                m.put("error", error);
            }
            return m;
        }
    }

    private record Begun(Progress progress, RegistryCopy copy) {
    }

    /** A new rebuild's progress and fresh tables; 409 while one runs on this node or another. */
    private synchronized Begun begin(String requestedBy) {
        if (current != null && current.state.equals("running")) {
            throw ImageException.conflict("A registry rebuild is already running (" + current.id + ").");
        }
        RegistryCopy copy = registry.copy(); // 409 while another node rebuilds
        Progress p = new Progress(requestedBy, nodeId);
        p.eventsTotal = registry.eventCount();
        current = p;
        return new Begun(p, copy);
    }

    /** Starts a rebuild in the background. */
    Map<String, Object> start(String requestedBy) {
        Begun b = begin(requestedBy);
        runner.execute(() -> run(b.progress(), b.copy()));
        return b.progress().json();
    }

    /** The running or last rebuild of this node; state "none" when there was none since the node started. */
    Map<String, Object> status() {
        Progress p = current;
        if (p == null) {
            return Map.of("state", "none", "message", "No registry rebuild has run on this node since it started.");
        }
        return p.json();
    }

    /** Runs a rebuild on the calling thread and returns its final state. */
    Map<String, Object> runNow(String requestedBy) {
        Begun b = begin(requestedBy);
        Progress p = b.progress();
        run(p, b.copy());
        if (p.error != null) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, "The registry rebuild failed: " + p.error);
        }
        return p.json();
    }

    private void run(Progress p, RegistryCopy copy) {
        try (copy) {
            p.phase("replaying");
            LOG.info("registry rebuild {}: replaying about {} events into fresh tables", p.id, p.eventsTotal);
            TrackingToken position = events.replay(copy.projections(), null, n -> {
                p.eventsReplayed = n;
                if (n % 10_000 == 0) {
                    copy.commit();
                    LOG.info("registry rebuild {}: {} of about {} events replayed", p.id, n, p.eventsTotal);
                }
            });
            copy.commit();
            long firstPass = p.eventsReplayed;
            p.phase("catching up and swapping");
            Map<String, Boolean> same = copy.swap(() -> {
                events.replay(copy.projections(), position, n -> p.eventsReplayed = firstPass + n);
                p.eventsTotal = Math.max(p.eventsTotal, p.eventsReplayed);
            });
            Map<String, String> tables = new LinkedHashMap<>();
            same.forEach((t, equal) -> tables.put(t, equal ? "unchanged" : "repaired"));
            p.tables = tables;
            p.phase("done");
            p.state = "done";
            LOG.info("registry rebuild {}: {} events replayed; tables {}", p.id, p.eventsReplayed, tables);
        } catch (RuntimeException e) {
            p.error = e.getMessage();
            p.state = "failed";
            LOG.error("registry rebuild {} failed in phase '{}'", p.id, p.phase, e);
        } finally {
            p.finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
