package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.UploadFilters;
import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.store.StoreHealth;
import com.xloud.image.registry.ImageRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The detailed health of this node for admins: the database (answers, how fast, which nodes it
 * knows), each live store (reachable, how fast its check answered, free space where the store
 * knows it), the upload filters (and whether image data is accepted: not while a required one is
 * missing), the concerns served by bundles of their own ({@link Concerns}), the cache, and the data
 * in stores that no image uses ({@code scrub}). {@code status} is {@code ok}, {@code degraded} (a
 * store or the cache is down, or a needed concern is absent) or {@code down} (the database is: the
 * node cannot serve).
 */
final class HealthReport {
    private final ImageRegistry registry;
    private final StoreDirectory stores;
    private final Supplier<ImageCache> cache;
    private final String nodeId;
    private final java.time.Duration scrubRetry;
    private final UploadFilters filters;
    private final Concerns concerns;

    HealthReport(ImageRegistry registry, StoreDirectory stores, Supplier<ImageCache> cache, String nodeId,
                 java.time.Duration scrubRetry, UploadFilters filters, Concerns concerns) {
        this.scrubRetry = scrubRetry;
        this.filters = filters;
        this.concerns = concerns;
        this.registry = registry;
        this.stores = stores;
        this.cache = cache;
        this.nodeId = nodeId;
    }

    Map<String, Object> build() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", nodeId);
        Map<String, Object> db = database();
        boolean degraded = false;
        List<Map<String, Object>> storeList = new ArrayList<>();
        for (StoreDirectory.Entry e : stores.all()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", e.id());
            s.put("type", e.type());
            long t0 = System.nanoTime();
            StoreHealth h;
            try {
                h = e.store().health();
            } catch (RuntimeException ex) {
                h = StoreHealth.down(ex.getMessage());
            }
            s.put("available", h.available());
            s.put("detail", h.detail());
            s.put("latency_ms", millis(t0));
            if (h.freeBytes() >= 0) {
                s.put("free_bytes", h.freeBytes());
            }
            s.put("bundle", e.bundle());
            degraded |= !h.available();
            storeList.add(s);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        ImageCache ic = cache.get();
        c.put("enabled", ic != null);
        if (ic != null) {
            ImageCache.Stats st = ic.stats();
            c.put("entries", st.entries());
            c.put("bytes", st.bytes());
            c.put("max_bytes", st.maxBytes());
            c.put("hits", st.hits());
            c.put("misses", st.misses());
            c.put("fill_failures", st.fillFailures());
        }
        Map<String, Object> uploads = filters.describe();
        degraded |= !Boolean.TRUE.equals(uploads.get("accepting"));
        List<Map<String, Object>> concernList = concerns.describe();
        degraded |= Concerns.degraded(concernList);
        boolean dbUp = Boolean.TRUE.equals(db.get("available"));
        out.put("status", !dbUp ? "down" : degraded ? "degraded" : "ok");
        out.put("database", db);
        out.put("stores", storeList);
        out.put("upload_filters", uploads);
        out.put("concerns", concernList);
        out.put("cache", c);
        if (dbUp) {
            out.put("scrub", scrub());
        }
        return out;
    }

    /** Data no image uses, per store: what the scrubber retries, and what live images left behind. */
    private Map<String, Object> scrub() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("retry_seconds", scrubRetry.toSeconds());
        try {
            com.xloud.image.registry.StrayCounts counts = registry.strayCounts();
            s.put("waiting", counts.waiting());
            s.put("kept_with_live_images", counts.keptWithLiveImages());
        } catch (RuntimeException e) {
            s.put("error", e.getMessage());
        }
        return s;
    }

    private Map<String, Object> database() {
        Map<String, Object> db = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                db.put("available", true);
                db.put("latency_ms", millis(t0));
                db.put("version", rs.getString(1));
            }
            List<Map<String, Object>> nodes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT node_id, url, started_at, seen_at FROM nodes ORDER BY node_id")) {
                while (rs.next()) {
                    Map<String, Object> n = new LinkedHashMap<>();
                    n.put("node_id", rs.getString(1));
                    n.put("url", rs.getString(2));
                    n.put("started_at", rs.getString(3));
                    n.put("last_seen_at", rs.getString(4));
                    nodes.add(n);
                }
            }
            db.put("nodes", nodes);
        } catch (Exception e) {
            db.put("available", false);
            db.put("latency_ms", millis(t0));
            db.put("error", e.getMessage());
        }
        return db;
    }

    private static double millis(long t0) {
        return Math.round((System.nanoTime() - t0) / 10_000.0) / 100.0;
    }
}
