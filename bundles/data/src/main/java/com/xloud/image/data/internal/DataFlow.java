package com.xloud.image.data.internal;

import com.xloud.image.core.kernel.Commands;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.KernelSettings;
import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.Transfers;
import com.xloud.image.core.kernel.Hashing;
import com.xloud.image.core.kernel.UploadFilters;
import com.xloud.image.core.kernel.Scrubber;
import com.xloud.image.api.cache.CacheCandidate;
import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.ByteRange;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageDownload;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.store.SizeMismatchException;
import com.xloud.image.api.store.StoreException;
import com.xloud.image.api.store.StoreFullException;
import com.xloud.image.api.store.StoredImage;
import com.xloud.image.api.upload.UploadSubject;
import com.xloud.image.core.command.CompleteUpload;
import com.xloud.image.core.command.FailUpload;
import com.xloud.image.core.command.RefuseUpload;
import com.xloud.image.core.command.StartUpload;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image data in and out: an upload streams through the digests into the store between
 * UploadStarted and ImageDataStored (or UploadFailed, with the partial data gone); a download
 * opens the store at the requested range.
 */
final class DataFlow {
    private static final Logger LOG = LoggerFactory.getLogger(DataFlow.class);

    private final Commands events;
    private final StoreDirectory stores;
    private final KernelSettings settings;
    private final Function<RequestContext, Origin> origins;
    private final java.util.function.Supplier<ImageCache> cache;
    private final DataMetrics metrics;
    private final Transfers transfers;
    private final Scrubber scrubber;
    private final UploadFilters filters;

    DataFlow(Kernel kernel, java.util.function.Supplier<ImageCache> cache, DataMetrics metrics) {
        this.events = kernel.commands();
        this.stores = kernel.stores();
        this.settings = kernel.settings();
        this.origins = kernel.images()::origin;
        this.transfers = kernel.transfers();
        this.scrubber = kernel.scrubber();
        this.filters = kernel.uploadFilters();
        this.cache = cache;
        this.metrics = metrics;
    }

    /** Streams the data of a queued image the caller may modify into the upload store. */
    void upload(RequestContext ctx, Image image, InputStream data, long expectedSize, String storeId) {
        StoreDirectory.Entry store = stores.forUpload(storeId, settings.defaultStore());
        // a signed image's verifier is ready before a byte is read: bad properties fail at once
        // the upload filters (inspection, signature, …) see the data on its way in; one may refuse it before a
        // byte is read (a signed image whose certificate cannot be found)
        UploadFilters.Run checks = filters.open(new UploadSubject(image.id(), image.diskFormat(), expectedSize,
                image.properties(), ctx, false));
        events.send(new StartUpload(image.id(), origins.apply(ctx), store.id(), expectedSize));
        UploadBody body = new UploadBody(checks.wrap(transfers.watch(image.id(), data)), settings.imageSizeCap());
        StoredImage stored;
        try (Hashing hashing = new Hashing(settings.hashingAlgorithm())) {
            stored = store.store().add(image.id(), hashing.wrap(body), expectedSize, hashing);
        } catch (RuntimeException e) {
            UploadFilters.Refusal refused = checks.refusal();
            if (refused != null) {
                events.send(new RefuseUpload(image.id(), origins.apply(ctx), refused.filter(), refused.reason()));
                throw refused.failure();
            }
            ImageException failure = uploadFailure(e, body);
            events.send(new FailUpload(image.id(), origins.apply(ctx), failure.getMessage()));
            throw failure;
        } finally {
            transfers.ended(image.id());
        }
        Map<String, Object> attributes;
        try {
            attributes = checks.complete();
        } catch (UploadFilters.RefusedException refused) {
            scrubber.discard(ctx, image.id(), store, stored.location(), "refused by " + refused.refusal().filter());
            events.send(new RefuseUpload(image.id(), origins.apply(ctx), refused.refusal().filter(),
                    refused.refusal().reason()));
            throw refused;
        }
        metrics.storeBytes(store.id(), "in").increment(stored.size());
        try {
            Long virtualSize = attributes.get("virtual_size") instanceof Number n ? n.longValue() : null;
            events.send(new CompleteUpload(image.id(), origins.apply(ctx), store.id(), stored.location().toString(),
                    stored.size(), virtualSize, stored.md5(), stored.hashAlgorithm(), stored.hashValue()));
        } catch (RuntimeException e) {
            scrubber.discard(ctx, image.id(), store, stored.location(), "recording the upload failed");
            try {
                events.send(new FailUpload(image.id(), origins.apply(ctx), "recording the upload failed: " + e.getMessage()));
            } catch (RuntimeException again) {
                LOG.warn("image {} stays in saving until recovered: {}", image.id(), again.getMessage());
            }
            throw e;
        }
    }


    private static ImageException uploadFailure(RuntimeException e, UploadBody body) {
        if (body.tooLarge()) {
            return new ImageException(ImageException.Kind.TOO_LARGE, "Image exceeds the storage quota: " + e.getMessage());
        }
        if (e instanceof SizeMismatchException) {
            return ImageException.badRequest(e.getMessage());
        }
        if (body.clientFailed()) {
            return ImageException.badRequest("The client stopped sending image data after " + body.count() + " bytes");
        }
        if (e instanceof StoreFullException) {
            return new ImageException(ImageException.Kind.TOO_LARGE, "Image storage media is full: " + e.getMessage());
        }
        if (e instanceof ImageException ie) {
            return ie;
        }
        LOG.error("upload failed in the store", e);
        return new ImageException(ImageException.Kind.UNAVAILABLE, "Error in store configuration. Adding images to"
                + " store failed: " + e.getMessage());
    }

    /**
     * Opens the data of a visible image; null when it has none (Glance answers 204). An active
     * image is read from this node's cache when it holds it (any range); a whole read from a store
     * fills the cache on the way.
     */
    ImageDownload download(Image image, ByteRange range) {
        if (image.location() == null || image.status() != ImageStatus.ACTIVE && image.status() != ImageStatus.DEACTIVATED) {
            return null;
        }
        long total = image.size();
        long first = 0;
        long last = total - 1;
        boolean partial = false;
        if (range != null) {
            if (range.first() < 0) {
                first = Math.max(0, total - range.last());
            } else {
                first = range.first();
                last = range.last() < 0 ? total - 1 : Math.min(range.last(), total - 1);
            }
            if (first >= total || first > last) {
                throw new ImageException(ImageException.Kind.RANGE_NOT_SATISFIABLE,
                        "Requested range not satisfiable: the image has " + total + " bytes");
            }
            partial = true;
        }
        long length = total == 0 ? 0 : last - first + 1;
        ImageCache c = image.status() == ImageStatus.ACTIVE && total > 0 ? cache.get() : null;
        if (c != null) {
            InputStream hit = c.open(image.id(), first, length);
            if (hit != null) {
                return new ImageDownload(hit, first, length, total, image.checksum(), partial);
            }
        }
        // the heaviest store first; when one cannot open the data the next copy serves it
        String failures = "";
        for (StoreDirectory.Entry store : stores.all()) {
            String where = image.locations().get(store.id());
            if (where == null) {
                continue;
            }
            try {
                InputStream in = metrics.countOut(store.id(), store.store().get(URI.create(where), first, length));
                if (c != null && !partial) {
                    in = c.fill(new CacheCandidate(image.id(), total, image.checksum(), image.osHashAlgo(),
                            image.osHashValue()), in);
                }
                return new ImageDownload(in, first, length, total, image.checksum(), partial);
            } catch (StoreException e) {
                LOG.warn("image {} cannot be read from store {}: {}", image.id(), store.id(), e.getMessage());
                failures += " " + store.id() + ": " + e.getMessage() + ";";
            }
        }
        java.util.List<String> gone = image.locations().keySet().stream()
                .filter(id -> stores.byId(id).isEmpty()).sorted().toList();
        throw new ImageException(ImageException.Kind.UNAVAILABLE, "Store unavailable: no store holding image "
                + image.id() + " can serve it now." + (gone.isEmpty() ? "" : " Not running: " + String.join(", ", gone)
                + ".") + failures);
    }
}
