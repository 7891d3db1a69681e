package com.xloud.image.store.rbd.internal;

import com.ceph.rados.IoCTX;
import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.xloud.image.api.store.DataDigests;
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
    private static final int ETIMEDOUT = -110;

    private final String storeId;
    private final String pool;
    private final int chunkSize;
    private final boolean thin;
    private final String cephConf;
    private final String user;
    private final int connectTimeout;
    private final int opTimeout;
    /** The connection; null while the cluster could not be reached (the store stays registered, unhealthy). */
    private Rados rados;
    private IoCTX io;
    private volatile String fsid;
    /** RBD images a failed upload left behind while the cluster could not remove them; retried until gone. */
    private final java.util.Set<String> orphans = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService janitor =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rbd-orphans");
                t.setDaemon(true);
                return t;
            });

    @Activate
    public RbdImageStore(RbdStoreConfig config) {
        this(config.store_id(), config.rbd_store_ceph_conf(), config.rbd_store_user(), config.rbd_store_pool(),
                config.rbd_store_chunk_size(), config.rados_connect_timeout(), config.rados_osd_op_timeout(),
                config.rbd_thin_provisioning());
    }

    public RbdImageStore(String storeId, String cephConf, String user, String pool, int chunkMiB, int connectTimeout,
                         int opTimeout, boolean thin) {
        if (chunkMiB < 1 || Integer.bitCount(chunkMiB) != 1) {
            throw new IllegalArgumentException("rbd.store.chunk.size must be a power of two MiB, got " + chunkMiB);
        }
        this.storeId = storeId;
        this.pool = pool;
        this.chunkSize = chunkMiB << 20;
        this.thin = thin;
        this.cephConf = cephConf;
        this.user = user;
        this.connectTimeout = connectTimeout;
        this.opTimeout = opTimeout;
        try {
            io();
            LOG.info("RBD store {} on cluster {} pool {}", storeId, fsid, pool);
        } catch (StoreException e) {
            LOG.warn("RBD store {} starts unhealthy: {}", storeId, e.getMessage());
        }
        janitor.scheduleWithFixedDelay(this::removeOrphans, 10, 10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The pool's I/O context, connecting first when the cluster was not reachable before. */
    private synchronized IoCTX io() {
        if (io != null) {
            return io;
        }
        Rados r = new Rados(user);
        try {
            r.confReadFile(new File(cephConf));
            r.confSet("client_mount_timeout", Integer.toString(connectTimeout));
            r.confSet("rados_mon_op_timeout", Integer.toString(connectTimeout));
            r.confSet("rados_osd_op_timeout", Integer.toString(opTimeout));
            r.connect();
            String id = r.clusterFsid();
            IoCTX ctx = r.ioCtxCreate(pool);
            this.rados = r;
            this.fsid = id;
            this.io = ctx;
            return ctx;
        } catch (RadosException e) {
            try {
                r.shutDown();
            } catch (RuntimeException ignored) {
                // never connected
            }
            throw new StoreException("Ceph cluster of RBD store " + storeId + " is unreachable (" + cephConf
                    + ", client." + user + ", pool " + pool + "): " + e.getMessage(), e);
        }
    }

    private void removeOrphans() {
        for (String name : orphans) {
            try {
                removeQuietly(new Rbd(io()), name);
            } catch (StoreException e) {
                return;
            }
        }
    }

    @Deactivate
    public synchronized void close() {
        janitor.shutdownNow();
        if (rados != null) {
            rados.ioCtxDestroy(io);
            rados.shutDown();
        }
    }

    @Override
    public StoredImage add(String imageId, InputStream data, long expectedSize, DataDigests digests) {
        Rbd rbd = new Rbd(io());
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
            StoredImage stored = digests.result(new RbdLocation(fsid, pool, imageId, SNAPSHOT).uri(),
                    Map.of("store", storeId));
            created = false;
            return stored;
        } catch (IOException e) {
            if (created && timedOut(e)) {
                // the cluster does not answer: removing now would only wait out more timeouts before the
                // client hears of the failure; the janitor removes the partial image once it answers
                orphans.add(imageId);
                janitor.execute(this::removeOrphans);
                created = false;
            }
            throw new StoreException("Writing image " + imageId + " to RBD pool " + pool + " failed: " + e.getMessage(), e);
        } finally {
            if (created) {
                removeQuietly(rbd, imageId);
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RbdException r && r.getReturnValue() == ETIMEDOUT) {
                return true;
            }
        }
        return false;
    }

    private static boolean allZero(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The RBD image an upload whose node died was writing (named by the image id, as a complete one). */
    @Override
    public void discardPartial(String imageId) {
        removeQuietly(new Rbd(io()), imageId);
    }

    /** Removes a partial or doomed RBD image, its snapshot first; when the cluster cannot, it is retried later. */
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
            orphans.remove(name);
        } catch (RbdException e) {
            if (e.getReturnValue() == ENOENT) {
                orphans.remove(name);
                return;
            }
            orphans.add(name);
            LOG.warn("cannot remove the partial RBD image {}/{} yet (retried in the background): {}", pool, name,
                    e.getMessage());
        }
    }

    @Override
    public InputStream get(URI location, long offset, long length) {
        RbdLocation l = own(location);
        Rbd rbd = new Rbd(io());
        try {
            RbdImage image = rbd.openReadOnly(l.image(), l.snapshot());
            long size = image.stat().size;
            long end = length < 0 ? size : Math.min(size, offset + length);
            return new RbdInputStream(rbd, image, offset, end, chunkSize);
        } catch (RbdException e) {
            throw new StoreException("Image data not found at " + location + ": " + e.getMessage(), e);
        }
    }

    /** What an opened snapshot tells; the image is closed again afterwards. */
    private interface SnapshotQuery<T> {
        T ask(RbdImage image, RbdLocation location) throws RbdException;
    }

    private <T> T onSnapshot(URI location, SnapshotQuery<T> query) throws RbdException {
        RbdLocation l = own(location);
        Rbd rbd = new Rbd(io());
        RbdImage image = rbd.openReadOnly(l.image(), l.snapshot());
        try {
            return query.ask(image, l);
        } finally {
            rbd.close(image);
        }
    }

    @Override
    public long size(URI location) {
        try {
            return onSnapshot(location, (image, l) -> image.stat().size);
        } catch (RbdException e) {
            throw new StoreException("Image data not found at " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean inUse(URI location) {
        try {
            return onSnapshot(location, (image, l) -> !image.listChildren(l.snapshot()).isEmpty());
        } catch (RbdException e) {
            return false;
        }
    }

    @Override
    public void delete(URI location) {
        RbdLocation l = own(location);
        Rbd rbd = new Rbd(io());
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
            io();
            if (!Arrays.asList(rados.poolList()).contains(pool)) {
                return StoreHealth.down("pool " + pool + " does not exist");
            }
            long free = rados.clusterStat().kb_avail * 1024L;
            return StoreHealth.ok("cluster " + fsid + ", pool " + pool, free > 0 ? free : -1);
        } catch (RadosException | StoreException e) {
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
            // before the first connection the cluster's fsid is unknown: the pool decides
            return (fsid == null || l.fsid().equals(fsid)) && l.pool().equals(pool);
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
        return Map.of("pool", pool, "chunk_size", chunkSize >> 20, "thin_provisioning", thin,
                "fsid", fsid == null ? "" : fsid);
    }
}
