package com.xloud.image.core.kernel;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.command.RecordLeftBehind;
import com.xloud.image.core.command.RecordScrub;
import com.xloud.image.registry.ImageRegistry;
import com.xloud.image.registry.StrayData;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the data of deleted images from their stores and records each removal
 * ({@code DataScrubbed}). A delete removes the data at once; what a store could not remove then
 * (Swift or Ceph unreachable for a moment) stays recorded as a location of the deleted image, and
 * every node tries those again every {@code scrub.retry.seconds} with the stores it runs, so the
 * data of a deleted image is never left behind for good. Glance's scrubber does this for images
 * pending delete; here it is what makes a failed removal a delay, not a leak.
 *
 * <p>Data an image no longer uses but keeps (a removed copy, a rejected upload) that a store could
 * not remove is recorded as left behind and goes the same way once the image is deleted; not
 * sooner, since a new upload of the image may write the same location again, which makes it the
 * image's data once more (the record is then dropped).
 *
 * <p>Removal is idempotent (a missing location is not an error for any store) and the aggregate
 * records a location's scrub once, so nodes retrying the same image at once do no harm.
 */
public final class Scrubber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
    private static final int BATCH = 50;

    private final ImageRegistry registry;
    private final Commands events;
    private final StoreDirectory stores;
    private final Function<RequestContext, Origin> origins;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scrubber");
        t.setDaemon(true);
        return t;
    });

    public Scrubber(ImageRegistry registry, Commands events, StoreDirectory stores, Function<RequestContext, Origin> origins,
             Duration every) {
        this.registry = registry;
        this.events = events;
        this.stores = stores;
        this.origins = origins;
        worker.scheduleWithFixedDelay(this::retryAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Removes the data of the deleted image at {@code where} from the store that holds it (two
     * stores may share a location prefix: the recorded store decides) and records it; false when
     * that is not possible now (the location stays recorded for the next try).
     */
    public boolean scrub(RequestContext ctx, String imageId, String storeId, String where) {
        var store = stores.holding(storeId, URI.create(where));
        if (store.isEmpty()) {
            LOG.warn("data of deleted image {} at {} not removed yet: store {} does not run on this node",
                    imageId, where, storeId);
            return false;
        }
        return remove(ctx, imageId, store.get(), where);
    }

    private boolean remove(RequestContext ctx, String imageId, StoreDirectory.Entry store, String where) {
        try {
            store.store().delete(URI.create(where));
            events.send(new RecordScrub(imageId, origins.apply(ctx), where));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("data of deleted image {} at {} not removed yet: {}", imageId, where, e.getMessage());
            return false;
        }
    }

    /**
     * Removes data the image no longer uses (a removed copy, a rejected or failed upload); when
     * the store cannot remove it now, records it as left behind ({@code DataLeftBehind}) so that it
     * goes once the image is deleted. Never throws: the caller's own outcome stands.
     */
    public void discard(RequestContext ctx, String imageId, StoreDirectory.Entry store, URI location, String reason) {
        try {
            store.store().delete(location);
            return;
        } catch (RuntimeException e) {
            LOG.warn("data of image {} at {} ({}) not removed: {}; recorded to be removed with the image", imageId,
                    location, reason, e.getMessage());
        }
        try {
            events.send(new RecordLeftBehind(imageId, origins.apply(ctx), store.id(), location.toString(), reason));
        } catch (RuntimeException e) {
            LOG.error("data of image {} at {} in store {} stays without a record: {}", imageId, location, store.id(),
                    e.getMessage());
        }
    }

    /** One pass over every deleted image's data left in a store this node runs, in batches. */
    public void retryAll() {
        RequestContext system = new RequestContext("xloud-scrubber", null, List.of("admin"),
                "req-scrub-" + UUID.randomUUID());
        String afterImage = "";
        String afterLocation = "";
        try {
            List<StrayData> batch;
            do {
                batch = registry.strayData(afterImage, afterLocation, BATCH);
                for (StrayData d : batch) {
                    afterImage = d.imageId();
                    afterLocation = d.location();
                    // data in a store this node does not run is left to the nodes that run it
                    var store = stores.holding(d.storeId(), URI.create(d.location()));
                    if (store.isPresent() && remove(system, d.imageId(), store.get(), d.location())) {
                        LOG.info("data of deleted image {} at {} removed on a later try", d.imageId(), d.location());
                    }
                }
            } while (batch.size() == BATCH);
        } catch (RuntimeException e) {
            LOG.warn("scrubbing deleted images' data stopped for now: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
