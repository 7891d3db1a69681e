package com.xloud.image.cache.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's files: listing a folder, removing a file (its size returned), and the index file
 * ({@code index.properties}) with the hits and last access of each cached image, kept across
 * restarts; written to a temporary file and moved in place, read leniently (an unreadable index
 * only resets the counts).
 */
final class CacheFolder {
    private static final Logger LOG = LoggerFactory.getLogger(CacheFolder.class);

    private CacheFolder() {
    }

    static Properties read(Path dir) {
        Properties p = new Properties();
        Path file = dir.resolve("index.properties");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("image cache index {} unreadable ({}); hits start at 0", file, e.getMessage());
            }
        }
        return p;
    }

    static void write(Path dir, Map<String, DiskImageCache.Entry> entries) {
        Properties p = new Properties();
        entries.forEach((id, e) -> p.setProperty(id, e.hits.get() + "," + e.lastAccessed.toEpochMilli()));
        Path tmp = dir.resolve("index.properties.tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "image cache: hits,last access (ms)");
            Files.move(tmp, dir.resolve("index.properties"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("image cache index not written: {}", e.getMessage());
        }
    }

    static List<Path> list(Path folder) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
            s.forEach(out::add);
        }
        return out;
    }

    static long delete(Path p) {
        try {
            long size = Files.size(p);
            Files.deleteIfExists(p);
            return size;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            LOG.warn("image cache: {} not removed: {}", p, e.getMessage());
            return 0;
        }
    }
}
