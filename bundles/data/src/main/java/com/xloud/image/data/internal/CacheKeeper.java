package com.xloud.image.data.internal;

import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageDownload;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.registry.ImageRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node's image cache needs from the rest of the service, on one background thread:
 * prefetching the queued images (each read once from its store, which fills the cache), and
 * dropping entries of images that were deleted or deactivated, on this node or any other (the
 * registry is shared, the caches are not).
 */
final class CacheKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheKeeper.class);
    /** How often entries of images deleted or deactivated elsewhere are looked for. */
    private static final java.time.Duration SWEEP_EVERY = java.time.Duration.ofSeconds(30);

    private final Supplier<ImageCache> cache;
    private final ImageRegistry registry;
    private final DataFlow data;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "image-cache-keeper");
        t.setDaemon(true);
        return t;
    });

    CacheKeeper(Supplier<ImageCache> cache, ImageRegistry registry, DataFlow data) {
        this.cache = cache;
        this.registry = registry;
        this.data = data;
        worker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private long lastSweep = System.nanoTime();
    private long lastPrefetch = System.nanoTime();
    private java.util.Set<String> queuedBefore = java.util.Set.of();

    /**
     * Every second: a sweep when its time has come, and the prefetcher every interval the cache
     * names (queued images wait for it, as with Glance's prefetcher).
     */
    private void tick() {
        try {
            long now = System.nanoTime();
            if (now - lastSweep >= SWEEP_EVERY.toNanos()) {
                lastSweep = now;
                sweep();
            }
            ImageCache c = cache.get();
            if (c == null) {
                return;
            }
            java.util.Set<String> queued = java.util.Set.copyOf(c.queued());
            if (now - lastPrefetch >= c.prefetchInterval().toNanos()) {
                lastPrefetch = now;
                // only what was queued at the previous tick: a queued image is listed as queued for
                // at least a second, however the PUT and the prefetcher's run fall
                prefetch(queuedBefore);
            }
            queuedBefore = queued;
        } catch (RuntimeException e) {
            LOG.warn("image cache upkeep failed: {}", e.toString());
        }
    }

    /** Drops entries whose image can no longer be served from a cache. */
    void sweep() {
        ImageCache c = cache.get();
        if (c == null) {
            return;
        }
        for (var entry : c.cached()) {
            Optional<Image> image = registry.find(entry.imageId());
            if (image.isEmpty() || image.get().status() != ImageStatus.ACTIVE) {
                c.remove(entry.imageId());
                LOG.info("image cache: {} dropped, the image is {}", entry.imageId(),
                        image.map(i -> i.status().wire()).orElse("gone"));
            }
        }
    }

    private void prefetch(java.util.Set<String> due) {
        ImageCache c = cache.get();
        if (c == null) {
            return;
        }
        for (String id : c.queued()) {
            if (worker.isShutdown()) {
                return;
            }
            if (!due.contains(id)) {
                continue;
            }
            Optional<Image> image = registry.find(id);
            if (image.isEmpty() || image.get().status() != ImageStatus.ACTIVE || c.contains(id)) {
                c.dequeue(id);
                continue;
            }
            try {
                ImageDownload d = data.download(image.get(), null);
                if (d != null) {
                    try (InputStream in = d.data()) {
                        long n = in.transferTo(OutputStream.nullOutputStream());
                        LOG.debug("image cache: prefetch read {} bytes of {}", n, id);
                    }
                }
                if (c.contains(id)) {
                    c.dequeue(id);
                } else {
                    LOG.warn("image cache: prefetching {} did not fill the cache; it stays queued", id);
                }
            } catch (Exception e) {
                LOG.warn("image cache: prefetching {} failed ({}); it stays queued", id, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
