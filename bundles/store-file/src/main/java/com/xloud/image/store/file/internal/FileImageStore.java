package com.xloud.image.store.file.internal;

import com.xloud.image.api.store.BoundedInputStream;
import com.xloud.image.api.store.DataDigests;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.api.store.SizeMismatchException;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoreFullException;
import com.xloud.image.api.store.StoreHealth;
import com.xloud.image.api.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images as files named after their id. A write goes to a hidden temporary file in the same
 * directory, is synced, then renamed into place, so a reader never sees a partial image and a
 * crash leaves only a temporary file behind.
 */
@Component(service = ImageStore.class, configurationPid = "com.xloud.image.store.file",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ImageStore.PROP_ID + "=file", ImageStore.PROP_TYPE + "=file",
            ImageStore.PROP_DESCRIPTION + "=Local file store", ImageStore.PROP_WEIGHT + ":Integer=0",
            ImageStore.PROP_DEFAULT + ":Boolean=false", ImageStore.PROP_READONLY + ":Boolean=false"})
@Designate(ocd = FileStoreConfig.class)
public final class FileImageStore implements ImageStore {
    /** Framework property: the node's data directory. */
    public static final String DATA_DIR_PROPERTY = "xloud.data.dir";
    private static final Logger LOG = LoggerFactory.getLogger(FileImageStore.class);
    private static final String TEMP_PREFIX = ".upload-";
    private static final long FLUSH_EVERY = 32L << 20;

    private final Path dir;
    private final int chunkSize;
    private final String storeId;

    @Activate
    public FileImageStore(BundleContext context, FileStoreConfig config) {
        this(config.filesystem_store_datadir().isBlank()
                ? Path.of(context.getProperty(DATA_DIR_PROPERTY) == null ? "data" : context.getProperty(DATA_DIR_PROPERTY), "images")
                : Path.of(config.filesystem_store_datadir()), config.chunk_size(), config.store_id());
    }

    public FileImageStore(Path dir, int chunkSize) {
        this(dir, chunkSize, "file");
    }

    public FileImageStore(Path dir, int chunkSize, String storeId) {
        this.storeId = storeId;
        if (chunkSize < 4096) {
            throw new IllegalArgumentException("chunk_size must be at least 4096 bytes, got " + chunkSize);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.chunkSize = chunkSize;
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the file store directory " + this.dir + ": " + e, e);
        }
        removeLeftovers();
        LOG.info("file store {} in {}", storeId, this.dir);
    }

    /** Temporary files of uploads that a crash interrupted. */
    private void removeLeftovers() {
        removeTemporary(TEMP_PREFIX);
    }

    /** The temporary file of an upload whose node died (the directory may be shared, as on NFS). */
    @Override
    public void discardPartial(String imageId) {
        removeTemporary(TEMP_PREFIX + imageId + "-");
    }

    private void removeTemporary(String prefix) {
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                    LOG.info("removed the partial upload {}", p);
                } catch (IOException e) {
                    LOG.warn("cannot remove the partial upload {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.toString());
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public StoredImage add(String imageId, InputStream data, long expectedSize, DataDigests digests) {
        Path target = fileOf(imageId);
        if (Files.exists(target)) {
            throw new StoreException("Image data for " + imageId + " already exists in the file store");
        }
        Path temp = dir.resolve(TEMP_PREFIX + imageId + "-" + UUID.randomUUID());
        boolean done = false;
        try {
            long written = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 BackgroundFlush flush = new BackgroundFlush(out, imageId)) {
                long flushedAt = 0;
                byte[] buf = new byte[chunkSize];
                ByteBuffer bb = ByteBuffer.wrap(buf);
                int n;
                while ((n = data.readNBytes(buf, 0, buf.length)) > 0) {
                    written += n;
                    if (expectedSize >= 0 && written > expectedSize) {
                        throw new SizeMismatchException(expectedSize, written);
                    }
                    bb.clear().limit(n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    if (written - flushedAt >= FLUSH_EVERY) {
                        flush.request();
                        flushedAt = written;
                    }
                    if (n < buf.length) {
                        break;
                    }
                }
                if (expectedSize >= 0 && written != expectedSize) {
                    throw new SizeMismatchException(expectedSize, written);
                }
                flush.close();
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
            done = true;
            return digests.result(target.toUri(), Map.of("store", storeId));
        } catch (IOException e) {
            if (isNoSpace(e)) {
                throw new StoreFullException("The file store has no space left for image " + imageId, e);
            }
            throw new StoreException("Writing image " + imageId + " failed: " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("cannot remove the partial upload {}: {}", temp, e.toString());
                }
            }
        }
    }

    private static boolean isNoSpace(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No space left");
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("directory sync not supported here: {}", e.toString());
        }
    }

    @Override
    public InputStream get(URI location, long offset, long length) {
        Path file = fileOf(location);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            return length < 0 ? in : new BoundedInputStream(in, length);
        } catch (NoSuchFileException e) {
            throw new StoreException("Image data not found at " + location);
        } catch (IOException e) {
            throw new StoreException("Reading " + location + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long size(URI location) {
        try {
            return Files.size(fileOf(location));
        } catch (IOException e) {
            throw new StoreException("Image data not found at " + location, e);
        }
    }

    @Override
    public void delete(URI location) {
        try {
            Files.deleteIfExists(fileOf(location));
        } catch (IOException e) {
            throw new StoreException("Deleting " + location + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public StoreHealth health() {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return StoreHealth.down("directory " + dir + " is not writable");
        }
        try {
            return StoreHealth.ok("directory " + dir, Files.getFileStore(dir).getUsableSpace());
        } catch (IOException e) {
            return StoreHealth.down("cannot read free space of " + dir + ": " + e.getMessage());
        }
    }

    /** What /v2/info/stores/detail shows of this store (Glance's file store properties). */
    public Map<String, Object> properties() {
        return Map.of("data_dir", dir.toString(), "chunk_size", chunkSize, "thin_provisioning", false);
    }

    @Override
    public boolean owns(URI location) {
        return "file".equals(location.getScheme()) && Path.of(location).toAbsolutePath().normalize().startsWith(dir);
    }

    private Path fileOf(String imageId) {
        if (!imageId.matches("[0-9a-fA-F-]{36}")) {
            throw new StoreException("not an image id: " + imageId);
        }
        return dir.resolve(imageId);
    }

    private Path fileOf(URI location) {
        if (!owns(location)) {
            throw new StoreException("location " + location + " is not in this file store");
        }
        return Path.of(location);
    }
}
