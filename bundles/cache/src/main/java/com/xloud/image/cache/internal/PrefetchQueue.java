package com.xloud.image.cache.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images waiting to be prefetched, oldest first: kept in memory and as empty marker files in
 * {@code queue/}, so that the queue survives a restart of the node.
 */
final class PrefetchQueue {
    private static final Logger LOG = LoggerFactory.getLogger(PrefetchQueue.class);

    private final Path dir;
    private final Set<String> ids = new LinkedHashSet<>();

    /** The queue kept in {@code dir}, with the markers a previous run left there. */
    PrefetchQueue(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        for (Path p : CacheFolder.list(dir)) {
            String id = p.getFileName().toString();
            if (DiskImageCache.ID.matcher(id).matches()) {
                ids.add(id);
            }
        }
    }

    /** Adds {@code imageId}; false when it is queued already. */
    synchronized boolean add(String imageId) {
        if (ids.contains(imageId)) {
            return false;
        }
        try {
            Files.write(dir.resolve(imageId), new byte[0]);
        } catch (IOException e) {
            LOG.warn("image cache: queue marker of {} not written ({}); queued until the node stops", imageId,
                    e.getMessage());
        }
        ids.add(imageId);
        return true;
    }

    synchronized List<String> ids() {
        return List.copyOf(ids);
    }

    synchronized void remove(String imageId) {
        if (ids.remove(imageId)) {
            CacheFolder.delete(dir.resolve(imageId));
        }
    }

    synchronized int size() {
        return ids.size();
    }
}
