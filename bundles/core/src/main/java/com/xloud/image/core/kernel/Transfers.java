package com.xloud.image.core.kernel;

import com.xloud.image.api.store.CountingInputStream;
import com.xloud.image.registry.ImageRegistry;
import java.io.InputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats of the transfers this node runs (uploads, staging, imports), in the shared
 * database: while bytes flow, the transfer's row is refreshed at most every quarter of the stall
 * time, so that another node can tell a slow transfer from one whose node died.
 */
public final class Transfers {
    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);

    private final ImageRegistry registry;
    private final String nodeId;
    private final long everyNanos;

    public Transfers(ImageRegistry registry, String nodeId, Duration stall) {
        this.registry = registry;
        this.nodeId = nodeId;
        this.everyNanos = Math.max(Duration.ofMillis(250).toNanos(), stall.toNanos() / 4);
    }

    /** {@code in}, reporting the transfer's progress as it is read; the transfer counts as started now. */
    public InputStream watch(String imageId, InputStream in) {
        started(imageId);
        long[] state = {0, System.nanoTime()}; // bytes, time of the last beat
        return new CountingInputStream(in, n -> {
            state[0] += n;
            long now = System.nanoTime();
            if (now - state[1] >= everyNanos) {
                state[1] = now;
                beat(imageId, state[0]);
            }
        });
    }

    /** A transfer of the image starts on this node (its heartbeat row exists from now on). */
    public void started(String imageId) {
        beat(imageId, 0);
    }

    private void beat(String imageId, long bytes) {
        try {
            registry.transferProgress(imageId, nodeId, bytes);
        } catch (RuntimeException e) {
            LOG.debug("heartbeat of the transfer of {} not recorded: {}", imageId, e.getMessage());
        }
    }

    public void ended(String imageId) {
        try {
            registry.transferEnded(imageId);
        } catch (RuntimeException e) {
            LOG.warn("the end of the transfer of {} is not recorded ({}); its heartbeat row stays", imageId,
                    e.getMessage());
        }
    }
}
