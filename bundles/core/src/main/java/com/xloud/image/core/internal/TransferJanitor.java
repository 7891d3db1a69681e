package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.command.FailImport;
import com.xloud.image.core.command.FailStaging;
import com.xloud.image.core.command.FailUpload;
import com.xloud.image.registry.ImageRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node, now and then: transfers that made no progress for the stall time belong to a node
 * that died (a live node beats while bytes flow): the image goes back to {@code queued} with the
 * event that says why, after the partial data in the target store is removed. Also tells the
 * other nodes where this one answers.
 */
final class TransferJanitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferJanitor.class);

    private final ImageRegistry registry;
    private final EventSourcing events;
    private final StoreDirectory stores;
    private final Settings settings;
    private final Function<RequestContext, Origin> origins;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "transfer-janitor");
        t.setDaemon(true);
        return t;
    });
    private long rounds;

    TransferJanitor(ImageRegistry registry, EventSourcing events, StoreDirectory stores, Settings settings,
                    Function<RequestContext, Origin> origins) {
        this.registry = registry;
        this.events = events;
        this.stores = stores;
        this.settings = settings;
        this.origins = origins;
        long every = Math.max(500, settings.cluster().transferStall().toMillis() / 4);
        worker.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            if (rounds++ % 20 == 0) {
                announce();
            }
            for (Image image : registry.stalledTransfers(settings.cluster().transferStall())) {
                recover(image);
            }
        } catch (RuntimeException e) {
            LOG.debug("transfer janitor round failed: {}", e.getMessage());
        }
    }

    private void announce() {
        if (settings.cluster().selfUrl() != null) {
            registry.nodeAlive(settings.nodeId(), settings.cluster().selfUrl());
        }
    }

    /** Cleans up after one stalled transfer; a store that cannot be reached now is tried next round. */
    void recover(Image image) {
        RequestContext system = new RequestContext("xloud-recovery", null, List.of("admin"),
                "req-recovery-" + UUID.randomUUID());
        String reason = "no progress for " + settings.cluster().transferStall().toSeconds()
                + " s: the node running the transfer stopped; cleaned up by node " + settings.nodeId();
        switch (image.status()) {
            case SAVING -> {
                if (!discard(image.id(), image.storeId() == null ? List.of() : List.of(image.storeId()))) {
                    return;
                }
                events.send(new FailUpload(image.id(), origins.apply(system), reason));
            }
            case UPLOADING -> events.send(new FailStaging(image.id(), origins.apply(system), reason));
            case IMPORTING -> {
                Map<String, String> p = image.properties();
                String into = p.getOrDefault("os_glance_importing_to_stores", "");
                List<String> targets = Arrays.stream(into.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .toList();
                if (!discard(image.id(), targets)) {
                    return;
                }
                events.send(new FailImport(image.id(), origins.apply(system), p.getOrDefault("os_glance_import_task",
                        ""), into, reason));
            }
            default -> {
                // the transfer ended meanwhile
            }
        }
        registry.transferEnded(image.id());
        LOG.warn("image {} was {} with no progress for {} s; it is queued again", image.id(), image.status().wire(),
                settings.cluster().transferStall().toSeconds());
    }

    /** Removes partial data from the target stores; false when one of them is not reachable from here now. */
    private boolean discard(String imageId, List<String> storeIds) {
        Predicate<String> done = storeId -> {
            var store = stores.byId(storeId);
            if (store.isEmpty()) {
                LOG.warn("image {}: store {} does not run on this node; its partial data is left to a node that runs it",
                        imageId, storeId);
                return false;
            }
            try {
                store.get().store().discardPartial(imageId);
                return true;
            } catch (RuntimeException e) {
                LOG.warn("image {}: partial data in store {} not removed yet: {}", imageId, storeId, e.getMessage());
                return false;
            }
        };
        return storeIds.stream().allMatch(done);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
