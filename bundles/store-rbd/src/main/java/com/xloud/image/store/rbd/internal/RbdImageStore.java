package com.xloud.image.store.rbd.internal;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.xloud.image.api.store.Hashing;
import com.xloud.image.api.store.ImageDataInUseException;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.api.store.SizeMismatchException;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoreHealth;
import com.xloud.image.api.store.StoredImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images as RBD images in a Ceph pool, as Glance's rbd driver lays them out: written in chunks
 * (the chunk size is also the RBD object size), then snapshot "snap" is created and protected so
 * that Nova and Cinder can clone it. A failed write removes the partial RBD image; a delete with
 * clones still attached answers "in use" and keeps everything.
 */
@Component(service = ImageStore.class, configurationPid = "com.xloud.image.store.rbd",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {ImageStore.PROP_TYPE + "=rbd", ImageStore.PROP_READONLY + ":Boolean=false"})
@Designate(ocd = RbdStoreConfig.class, factory = true)
public final class RbdImageStore implements ImageStore {
    private static final Logger LOG = LoggerFactory.getLogger(RbdImageStore.class);
    private static final String SNAPSHOT = "snap";
    /** librbd's layering feature: enough for snapshots and copy-on-write clones. */
    private static final long FEATURE_LAYERING = 1L;
    private static final int EBUSY = -16;
    private static final int ENOENT = -2;

    private final String storeId;
    private final String pool;
    private final int chunkSize;
    private final boolean thin;
    private final Rados rados;
    private final IoCTX io;
    private final String fsid;

    @Activate
    public RbdImageStore(RbdStoreConfig config) {
        this(config.store_id(), config.rbd_store_ceph_conf(), config.rbd_store_user(), config.rbd_store_pool(),
                config.rbd_store_chunk_size(), config.rados_connect_timeout(), config.rbd_thin_provisioning());
    }

    public RbdImageStore(String storeId, String cephConf, String user, String pool, int chunkMiB, int connectTimeout,
                         boolean thin) {
        if (chunkMiB < 1 || Integer.bitCount(chunkMiB) != 1) {
            throw new IllegalArgumentException("rbd.store.chunk.size must be a power of two MiB, got " + chunkMiB);
        }
        this.storeId = storeId;
        this.pool = pool;
        this.chunkSize = chunkMiB << 20;
        this.thin = thin;
        try {
            this.rados = new Rados(user);
            rados.confReadFile(new File(cephConf));
            rados.confSet("client_mount_timeout", Integer.toString(connectTimeout));
            rados.confSet("rados_mon_op_timeout", Integer.toString(connectTimeout));
            rados.confSet("rados_osd_op_timeout", "60");
            rados.connect();
            this.fsid = rados.clusterFsid();
            this.io = rados.ioCtxCreate(pool);
        } catch (RadosException e) {
            throw new IllegalStateException("RBD store " + storeId + ": cannot reach pool " + pool + " with " + cephConf
                    + " as client." + user + ": " + e.getMessage(), e);
        }
        LOG.info("RBD store {} on cluster {} pool {}", storeId, fsid, pool);
    }

    @Deactivate
    public void close() {
        rados.ioCtxDestroy(io);
        rados.shutDown();
    }

    @Override
    public StoredImage add(String imageId, InputStream data, long expectedSize, Hashing hashing) {
        Rbd rbd = new Rbd(io);
        int order = Integer.numberOfTrailingZeros(chunkSize);
        long capacity = expectedSize > 0 ? expectedSize : chunkSize;
        boolean created = false;
        try {
            rbd.create(imageId, capacity, FEATURE_LAYERING, order);
            created = true;
            long written = 0;
            RbdImage image = rbd.open(imageId);
            try {
                byte[] buf = new byte[chunkSize];
                int n;
                while ((n = data.readNBytes(buf, 0, buf.length)) > 0) {
                    if (expectedSize >= 0 && written + n > expectedSize) {
                        throw new SizeMismatchException(expectedSize, written + n);
                    }
                    if (written + n > capacity) {
                        capacity = Math.max(capacity * 2, written + n);
                        image.resize(capacity);
                    }
                    if (!(thin && allZero(buf, n))) {
                        image.write(n == buf.length ? buf : Arrays.copyOf(buf, n), written, n);
                    }
                    written += n;
                    if (n < buf.length) {
                        break;
                    }
                }
                if (expectedSize >= 0 && written != expectedSize) {
                    throw new SizeMismatchException(expectedSize, written);
                }
                if (capacity != written) {
                    image.resize(written);
                }
                image.snapCreate(SNAPSHOT);
                image.snapProtect(SNAPSHOT);
            } finally {
                rbd.close(image);
            }
            StoredImage stored = hashing.result(new RbdLocation(fsid, pool, imageId, SNAPSHOT).uri(),
                    Map.of("store", storeId));
            created = false;
            return stored;
        } catch (IOException e) {
            throw new StoreException("Writing image " + imageId + " to RBD pool " + pool + " failed: " + e.getMessage(), e);
        } finally {
            if (created) {
                removeQuietly(rbd, imageId);
            }
        }
    }

    private static boolean allZero(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Removes a partial or doomed RBD image, its snapshot first. */
    private void removeQuietly(Rbd rbd, String name) {
        try {
            RbdImage image = rbd.open(name);
            try {
                if (image.snapList().stream().anyMatch(s -> SNAPSHOT.equals(s.name))) {
                    if (image.snapIsProtected(SNAPSHOT)) {
                        image.snapUnprotect(SNAPSHOT);
                    }
                    image.snapRemove(SNAPSHOT);
                }
            } finally {
                rbd.close(image);
            }
            rbd.remove(name);
        } catch (RbdException e) {
            LOG.warn("cannot remove the partial RBD image {}/{}: {}", pool, name, e.getMessage());
        }
    }

    @Override
    public InputStream get(URI location, long offset, long length) {
        RbdLocation l = own(location);
        Rbd rbd = new Rbd(io);
        try {
            RbdImage image = rbd.openReadOnly(l.image(), l.snapshot());
            long size = image.stat().size;
            long end = length < 0 ? size : Math.min(size, offset + length);
            return new RbdInputStream(rbd, image, offset, end, chunkSize);
        } catch (RbdException e) {
            throw new StoreException("Image data not found at " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(URI location) {
        RbdLocation l = own(location);
        Rbd rbd = new Rbd(io);
        try {
            RbdImage image = rbd.openReadOnly(l.image(), l.snapshot());
            try {
                return image.stat().size;
            } finally {
                rbd.close(image);
            }
        } catch (RbdException e) {
            throw new StoreException("Image data not found at " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean inUse(URI location) {
        RbdLocation l = own(location);
        Rbd rbd = new Rbd(io);
        try {
            RbdImage image = rbd.openReadOnly(l.image(), l.snapshot());
            try {
                return !image.listChildren(l.snapshot()).isEmpty();
            } finally {
                rbd.close(image);
            }
        } catch (RbdException e) {
            return false;
        }
    }

    @Override
    public void delete(URI location) {
        RbdLocation l = own(location);
        Rbd rbd = new Rbd(io);
        try {
            RbdImage image = rbd.open(l.image());
            try {
                if (image.snapList().stream().anyMatch(s -> l.snapshot().equals(s.name))) {
                    if (image.snapIsProtected(l.snapshot())) {
                        image.snapUnprotect(l.snapshot());
                    }
                    image.snapRemove(l.snapshot());
                }
            } finally {
                rbd.close(image);
            }
            rbd.remove(l.image());
        } catch (RbdException e) {
            if (e.getReturnValue() == ENOENT) {
                return;
            }
            if (e.getReturnValue() == EBUSY) {
                throw new ImageDataInUseException("Image " + l.image() + " in pool " + l.pool()
                        + " has clones (copy-on-write children) and stays");
            }
            throw new StoreException("Deleting " + location + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public StoreHealth health() {
        try {
            if (!Arrays.asList(rados.poolList()).contains(pool)) {
                return StoreHealth.down("pool " + pool + " does not exist");
            }
            long free = rados.clusterStat().kb_avail * 1024L;
            return StoreHealth.ok("cluster " + fsid + ", pool " + pool, free > 0 ? free : -1);
        } catch (RadosException e) {
            return StoreHealth.down("cluster unreachable: " + e.getMessage());
        }
    }

    @Override
    public boolean owns(URI location) {
        if (!"rbd".equals(location.getScheme())) {
            return false;
        }
        try {
            RbdLocation l = RbdLocation.parse(location);
            return l.fsid().equals(fsid) && l.pool().equals(pool);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private RbdLocation own(URI location) {
        if (!owns(location)) {
            throw new StoreException("location " + location + " is not in RBD store " + storeId);
        }
        return RbdLocation.parse(location);
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("pool", pool, "chunk_size", chunkSize >> 20, "thin_provisioning", thin, "fsid", fsid);
    }
}
