package com.xloud.image.cache.internal;

import com.xloud.image.api.cache.CacheCandidate;
import com.xloud.image.api.cache.CachedImage;
import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.store.BoundedInputStream;
import com.xloud.image.api.store.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glance's image cache on local disk: {@code <dir>/<image id>} for committed entries,
 * {@code incomplete/} for fills in progress, {@code invalid/} for fills whose digest did not match
 * (kept for inspection until the cleaner runs), {@code queue/} for images waiting to be
 * prefetched. Hits and last access times live in memory and in {@code index.properties}, written
 * by the cleaner and when the node stops.
 */
@Component(service = ImageCache.class, configurationPid = "com.xloud.image.cache",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CacheConfig.class)
public final class DiskImageCache implements ImageCache {
    private static final Logger LOG = LoggerFactory.getLogger(DiskImageCache.class);
    static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A committed entry; size and modification time are fixed, hits and access time move. */
    static final class Entry {
        final long size;
        final Instant lastModified;
        final AtomicLong hits;
        volatile Instant lastAccessed;

        Entry(long size, Instant lastModified, long hits, Instant lastAccessed) {
            this.size = size;
            this.lastModified = lastModified;
            this.hits = new AtomicLong(hits);
            this.lastAccessed = lastAccessed;
        }
    }

    private final Path dir;
    private final Path incomplete;
    private final Path invalid;
    private final PrefetchQueue queue;
    private final long maxBytes;
    private final Duration stallTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Fill> filling = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong bytesServed = new AtomicLong();
    private final AtomicLong fills = new AtomicLong();
    private final AtomicLong fillFailures = new AtomicLong();
    private final AtomicLong fillNanos = new AtomicLong();
    private Duration prefetchInterval = Duration.ofMinutes(5);
    private final ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "image-cache-cleaner");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public DiskImageCache(CacheConfig config) throws IOException {
        this(Path.of(config.image_cache_dir()), config.image_cache_max_size(),
                Duration.ofSeconds(config.image_cache_stall_time()));
        long every = Math.max(1, config.image_cache_cleaner_interval());
        cleaner.scheduleWithFixedDelay(this::housekeeping, every, every, TimeUnit.SECONDS);
        if (config.image_cache_prefetcher_interval() < 1) {
            throw new IllegalArgumentException("image.cache.prefetcher.interval must be at least 1 second, got "
                    + config.image_cache_prefetcher_interval());
        }
        this.prefetchInterval = Duration.ofSeconds(config.image_cache_prefetcher_interval());
    }

    DiskImageCache(Path dir, long maxBytes, Duration stallTime) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("image_cache_max_size must be positive, got " + maxBytes);
        }
        this.dir = dir.toAbsolutePath();
        this.incomplete = this.dir.resolve("incomplete");
        this.invalid = this.dir.resolve("invalid");
        this.maxBytes = maxBytes;
        this.stallTime = stallTime;
        Files.createDirectories(incomplete);
        Files.createDirectories(invalid);
        // no fill survives the process that ran it
        for (Path p : CacheFolder.list(incomplete)) {
            Files.deleteIfExists(p);
        }
        Properties index = CacheFolder.read(this.dir);
        for (Path p : CacheFolder.list(this.dir)) {
            String id = p.getFileName().toString();
            if (Files.isRegularFile(p) && ID.matcher(id).matches()) {
                Instant modified = Files.getLastModifiedTime(p).toInstant();
                long h = 0;
                Instant accessed = modified;
                String[] known = index.getProperty(id, "").split(",");
                if (known.length == 2) {
                    h = Long.parseLong(known[0]);
                    accessed = Instant.ofEpochMilli(Long.parseLong(known[1]));
                }
                entries.put(id, new Entry(Files.size(p), modified, h, accessed));
            }
        }
        this.queue = new PrefetchQueue(this.dir.resolve("queue"));
        LOG.info("image cache in {}: {} images, {} bytes of {}, {} queued", this.dir, entries.size(), bytes(),
                maxBytes, queue.size());
    }

    @Deactivate
    public void close() {
        cleaner.shutdownNow();
        filling.values().forEach(Fill::discard);
        CacheFolder.write(dir, entries);
    }

    private void housekeeping() {
        try {
            clean();
            prune();
            CacheFolder.write(dir, entries);
        } catch (RuntimeException e) {
            LOG.warn("image cache housekeeping failed: {}", e.toString());
        }
    }

    long bytes() {
        return entries.values().stream().mapToLong(e -> e.size).sum();
    }

    Path dir() {
        return dir;
    }

    @Override
    public InputStream open(String imageId, long offset, long length) {
        Entry e = entries.get(imageId);
        if (e == null) {
            return null;
        }
        try {
            FileChannel ch = FileChannel.open(dir.resolve(imageId), StandardOpenOption.READ);
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            e.hits.incrementAndGet();
            e.lastAccessed = Instant.now();
            hits.incrementAndGet();
            return new CountingInputStream(length < 0 ? in : new BoundedInputStream(in, length), bytesServed::addAndGet);
        } catch (NoSuchFileException gone) {
            entries.remove(imageId);
            return null;
        } catch (IOException ex) {
            LOG.warn("image cache: {} cannot be read ({}); dropped", imageId, ex.getMessage());
            remove(imageId);
            return null;
        }
    }

    @Override
    public InputStream fill(CacheCandidate image, InputStream data) {
        misses.incrementAndGet();
        if (!image.verifiable() || image.size() > maxBytes || entries.containsKey(image.imageId())) {
            return data;
        }
        Fill[] started = new Fill[1];
        filling.computeIfAbsent(image.imageId(), id -> {
            try {
                started[0] = new Fill(this, image, incomplete.resolve(id));
                return started[0];
            } catch (IOException e) {
                LOG.warn("image cache: cannot start filling {}: {}", id, e.getMessage());
                return null;
            }
        });
        // one fill at a time: while one runs, other clients read from the store only
        return started[0] == null ? data : new FillingStream(data, started[0]);
    }

    /** A fill that read the whole image with the right digest: its file becomes the entry. */
    void commit(Fill fill) {
        String id = fill.image().imageId();
        try {
            if (filling.get(id) != fill) {
                fill.discard(); // removed or cleared meanwhile
                return;
            }
            Path target = dir.resolve(id);
            Files.move(fill.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Instant now = Instant.now();
            entries.put(id, new Entry(fill.image().size(), Files.getLastModifiedTime(target).toInstant(), 0, now));
            fills.incrementAndGet();
            fillNanos.addAndGet(fill.elapsedNanos());
            dequeue(id);
            LOG.info("image cache: {} cached ({} bytes in {} ms)", id, fill.image().size(), fill.elapsedNanos() / 1_000_000);
        } catch (IOException e) {
            LOG.warn("image cache: {} not committed: {}", id, e.getMessage());
            fill.discard();
            fillFailures.incrementAndGet();
        } finally {
            filling.remove(id, fill);
        }
        if (bytes() > maxBytes) {
            prune();
        }
    }

    /** A fill whose data did not match the image: kept in invalid/ until the cleaner runs. */
    void reject(Fill fill, String reason) {
        String id = fill.image().imageId();
        LOG.error("image cache: data of {} did not match the image ({}); not cached", id, reason);
        fillFailures.incrementAndGet();
        try {
            Files.move(fill.file(), invalid.resolve(id), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            fill.discard();
        }
        filling.remove(id, fill);
    }

    /** A fill that stopped before the end (client gone, store failure, cache disk error). */
    void abandoned(Fill fill) {
        fill.discard();
        filling.remove(fill.image().imageId(), fill);
    }

    @Override
    public boolean contains(String imageId) {
        return entries.containsKey(imageId);
    }

    @Override
    public void remove(String imageId) {
        Fill f = filling.remove(imageId);
        if (f != null) {
            f.discard();
        }
        if (entries.remove(imageId) != null) {
            CacheFolder.delete(dir.resolve(imageId));
            LOG.info("image cache: {} removed", imageId);
        }
        dequeue(imageId);
    }

    @Override
    public boolean queue(String imageId) {
        if (!ID.matcher(imageId).matches()) {
            throw new IllegalArgumentException("not an image id: " + imageId);
        }
        return !entries.containsKey(imageId) && queue.add(imageId);
    }

    @Override
    public Duration prefetchInterval() {
        return prefetchInterval;
    }

    @Override
    public List<String> queued() {
        return queue.ids();
    }

    @Override
    public void dequeue(String imageId) {
        queue.remove(imageId);
    }

    @Override
    public List<CachedImage> cached() {
        return entries.entrySet().stream()
                .map(e -> new CachedImage(e.getKey(), e.getValue().hits.get(), e.getValue().lastAccessed,
                        e.getValue().lastModified, e.getValue().size))
                .sorted(Comparator.comparing(CachedImage::imageId)).toList();
    }

    @Override
    public int clear(boolean cache, boolean queued) {
        int n = 0;
        if (cache) {
            for (String id : List.copyOf(entries.keySet())) {
                if (entries.remove(id) != null) {
                    CacheFolder.delete(dir.resolve(id));
                    n++;
                }
            }
        }
        if (queued) {
            for (String id : queued()) {
                dequeue(id);
                n++;
            }
        }
        return n;
    }

    @Override
    public CleanResult clean() {
        int files = 0;
        long bytes = 0;
        try {
            for (Path p : CacheFolder.list(invalid)) {
                bytes += CacheFolder.delete(p);
                files++;
            }
            Instant stalledBefore = Instant.now().minus(stallTime);
            for (Path p : CacheFolder.list(incomplete)) {
                String id = p.getFileName().toString();
                if (Files.getLastModifiedTime(p).toInstant().isBefore(stalledBefore)) {
                    Fill f = filling.remove(id);
                    if (f != null) {
                        f.discard();
                    }
                    bytes += CacheFolder.delete(p);
                    files++;
                    LOG.warn("image cache: the fill of {} stalled for more than {}; removed", id, stallTime);
                }
            }
        } catch (IOException e) {
            LOG.warn("image cache: cleaning failed: {}", e.getMessage());
        }
        return new CleanResult(files, bytes);
    }

    @Override
    public synchronized PruneResult prune() {
        int files = 0;
        long freed = 0;
        long total = bytes();
        if (total <= maxBytes) {
            return new PruneResult(0, 0);
        }
        List<Map.Entry<String, Entry>> lru = new ArrayList<>(entries.entrySet());
        lru.sort(Comparator.comparing(e -> e.getValue().lastAccessed));
        for (Map.Entry<String, Entry> e : lru) {
            if (total <= maxBytes) {
                break;
            }
            if (entries.remove(e.getKey()) != null) {
                CacheFolder.delete(dir.resolve(e.getKey()));
                total -= e.getValue().size;
                freed += e.getValue().size;
                files++;
            }
        }
        LOG.info("image cache: pruned {} images ({} bytes) to stay within {} bytes", files, freed, maxBytes);
        return new PruneResult(files, freed);
    }

    @Override
    public Stats stats() {
        return new Stats(hits.get(), misses.get(), bytesServed.get(), fills.get(), fillFailures.get(),
                fillNanos.get() / 1e9, entries.size(), bytes(), maxBytes);
    }
}
