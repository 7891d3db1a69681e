package com.xloud.image.imports.internal;

import com.xloud.image.core.kernel.ImageAttributes;
import com.xloud.image.api.images.ImageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where glance-direct and web-download data waits for its import: one file per image, written to
 * a temporary name and renamed, so a staged file is always complete.
 */
final class StagingArea {
    private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);
    private static final int CHUNK = 1 << 20;

    /** Why writing the staged data stopped: the source failed, or it exceeded a limit. */
    static final class StagingException extends IOException {
        final boolean sourceFailed;
        final boolean tooLarge;

        StagingException(String message, Throwable cause, boolean sourceFailed, boolean tooLarge) {
            super(message, cause);
            this.sourceFailed = sourceFailed;
            this.tooLarge = tooLarge;
        }
    }

    private final Path dir;

    StagingArea(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the staging directory " + this.dir, e);
        }
    }

    Path fileOf(String imageId) {
        if (!ImageAttributes.isUuid(imageId)) {
            throw new IllegalArgumentException("not an image id: " + imageId);
        }
        return dir.resolve(imageId);
    }

    boolean holds(String imageId) {
        return Files.exists(fileOf(imageId));
    }

    /**
     * Streams {@code data} into the image's staging file; returns the byte count. At most
     * {@code cap} bytes; {@code expected} (-1: unknown) must match. On any failure nothing stays.
     */
    long write(String imageId, InputStream data, long expected, long cap) throws StagingException {
        Path temp = dir.resolve("." + imageId + "-" + UUID.randomUUID());
        boolean done = false;
        try {
            long written = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[CHUNK];
                while (true) {
                    int n;
                    try {
                        n = data.readNBytes(buf, 0, buf.length);
                    } catch (IOException e) {
                        throw new StagingException("reading the image data failed after " + written + " bytes: "
                                + e.getMessage(), e, true, false);
                    }
                    if (n <= 0) {
                        break;
                    }
                    written += n;
                    if (written > cap) {
                        throw new StagingException("Image exceeds the size limit of " + cap + " bytes", null, false, true);
                    }
                    if (expected >= 0 && written > expected) {
                        throw new StagingException("Image size mismatch: expected " + expected + " bytes, received more",
                                null, false, false);
                    }
                    out.write(ByteBuffer.wrap(buf, 0, n));
                    if (n < buf.length) {
                        break;
                    }
                }
                if (expected >= 0 && written != expected) {
                    throw new StagingException("Image size mismatch: expected " + expected + " bytes, received "
                            + written, null, false, false);
                }
                out.force(true);
            }
            Files.move(temp, fileOf(imageId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            return written;
        } catch (StagingException e) {
            throw e;
        } catch (IOException e) {
            throw new StagingException("writing to the staging area failed: " + e.getMessage(), e, false, false);
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
    }

    InputStream open(String imageId) throws IOException {
        return Files.newInputStream(fileOf(imageId));
    }

    void delete(String imageId) {
        deleteQuietly(fileOf(imageId));
    }

    /** Removes temporary files and staged files of images {@code keep} does not vouch for. */
    void sweep(Predicate<String> keep) {
        sweep(keep, true);
    }

    /**
     * Removes staged files of images {@code keep} refuses; with {@code temporaryToo} also every
     * temporary file (at start, when no staging of this node can be running).
     */
    void sweep(Predicate<String> keep, boolean temporaryToo) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                boolean temporary = name.startsWith(".");
                if (temporary ? temporaryToo : !ImageAttributes.isUuid(name) || !keep.test(name)) {
                    deleteQuietly(f);
                    LOG.info("removed {} from the staging area", f.getFileName());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot sweep the staging area {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.toString());
        }
    }

    static ImageException failure(StagingException e) {
        if (e.tooLarge) {
            return new ImageException(ImageException.Kind.TOO_LARGE, e.getMessage());
        }
        if (e.sourceFailed || e.getMessage().contains("mismatch")) {
            return ImageException.badRequest(e.getMessage());
        }
        return new ImageException(ImageException.Kind.UNAVAILABLE, "The staging area is unavailable: " + e.getMessage());
    }
}
