package com.xloud.image.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deletes a test's own directory under {@code java.io.tmpdir}, for the tests whose lifecycle JUnit's
 * {@code @TempDir} does not reach (jqwik containers, Pax Exam's configuration). A node's directory
 * holds a MariaDB data directory of half a gigabyte: left behind on every run, they fill the disk.
 */
final class ScratchDir {
    private ScratchDir() {
    }

    /** Deletes {@code dir} and everything in it; a directory that is already gone is no failure. */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
