package com.xloud.image.api.cache;

import java.io.InputStream;
import java.util.List;

/**
 * A node's cache of image data. Entries are whole images, committed only when their digest
 * matched; reads of any range are served from them. At most one fill per image runs at a time.
 */
public interface ImageCache {

    /**
     * The cached data of an image from {@code offset}, {@code length} bytes (-1: to the end), or
     * null when it is not cached. Counts a hit.
     */
    InputStream open(String imageId, long offset, long length);

    /**
     * Wraps the whole data of an image, as it streams from its store to a client, so that it also
     * fills the cache: the entry is committed when the stream ends with exactly the image's size
     * and digest, and dropped otherwise (a short read, a mismatch, a client that went away). Returns
     * {@code data} unchanged when the image is being filled already, cannot be verified or does
     * not fit. Counts a miss.
     */
    InputStream fill(CacheCandidate image, InputStream data);

    boolean contains(String imageId);

    /** Drops the image's entry and queue slot (deleted, deactivated, or asked for). */
    void remove(String imageId);

    /** Queues an image for prefetching; false when it is cached or queued already. */
    boolean queue(String imageId);

    /** The queued image ids, oldest first. */
    List<String> queued();

    /** Takes an image off the queue (prefetched, or no longer wanted). */
    void dequeue(String imageId);

    /**
     * How often the queue is prefetched (Glance's cache_prefetcher_interval, five minutes): a
     * queued image stays in the queue until then, as Glance's does.
     */
    default java.time.Duration prefetchInterval() {
        return java.time.Duration.ofMinutes(5);
    }

    List<CachedImage> cached();

    /** Empties the cache and/or the queue; returns how many entries went. */
    int clear(boolean cache, boolean queue);

    /** Removes invalid entries and fills that stalled longer than the stall time. */
    CleanResult clean();

    /** Removes the least recently used entries until the cache is within its maximum size. */
    PruneResult prune();

    /** What the cache did since the node started, for metrics. */
    Stats stats();

    /**
     * Counters since start ({@code fillSeconds}: the time all committed fills took) and the
     * current number and bytes of entries against the maximum size.
     */
    record Stats(long hits, long misses, long bytesServed, long fills, long fillFailures, double fillSeconds,
                 int entries, long bytes, long maxBytes) {
    }

    record CleanResult(int files, long bytes) {
    }

    record PruneResult(int files, long bytes) {
    }
}
