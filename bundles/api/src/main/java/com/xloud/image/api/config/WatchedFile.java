package com.xloud.image.api.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration file an operator edits while the node runs (a policy, property protections):
 * read and parsed when made, then read again when its modification time changes, looked at no more
 * often than {@code recheck} and only when its rules are asked for. A new version that cannot be
 * read or parsed is refused with the reason in the log, and the version in force stays.
 *
 * @param <T> what the file says, as its parser returns it
 */
public final class WatchedFile<T> {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    private final String what;
    private final Path file;
    private final Function<String, T> parser;
    private final long recheckNanos;
    private volatile T current;
    private volatile FileTime loadedAt;
    private volatile long checkedAt = System.nanoTime();

    /**
     * Reads {@code file} now. {@code what} names it in messages ("policy file"); {@code parser}
     * turns its text into rules and throws IllegalArgumentException, with the reason, for text it
     * cannot use. A file that cannot be read or parsed now is an IllegalArgumentException.
     */
    public WatchedFile(String what, Path file, Function<String, T> parser, Duration recheck) {
        this.what = what;
        this.file = file;
        this.parser = parser;
        this.recheckNanos = recheck.toNanos();
        this.current = load();
    }

    public Path file() {
        return file;
    }

    /** What the file says now: read again first when it changed since it was last read. */
    public T current() {
        if (System.nanoTime() - checkedAt >= recheckNanos) {
            refresh();
        }
        return current;
    }

    private T load() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            T parsed = parser.apply(Files.readString(file));
            loadedAt = modified;
            return parsed;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private synchronized void refresh() {
        if (System.nanoTime() - checkedAt < recheckNanos) {
            return; // another caller just did
        }
        checkedAt = System.nanoTime();
        try {
            if (Files.getLastModifiedTime(file).equals(loadedAt)) {
                return;
            }
            current = load();
            LOG.info("{} {} read again", what, file);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("{} {} not taken: {}; the rules in force stay", what, file, e.getMessage());
        }
    }
}
