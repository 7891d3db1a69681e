package com.xloud.image.api.images;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** Image data: uploads, downloads, locations in stores, and the stores themselves. Failures are {@link ImageException}s. */
public interface ImageDataService {
    /**
     * Streams {@code data} into {@code storeId} (null: the default store); {@code expectedSize} is
     * -1 when unknown. On any failure partial data is removed and the image is back in {@code queued}.
     */
    void upload(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId);

    /** Opens the image data; null when the image has no data yet (Glance answers 204). */
    ImageDownload download(RequestContext ctx, String id, ByteRange range);

    /**
     * Glance 2.17 add location: a queued image takes its data from {@code url} in the store that
     * claims it and becomes active; {@code validationData} (os_hash_algo, os_hash_value) or null,
     * then the digests are computed in the background.
     */
    void addLocation(RequestContext ctx, String id, Object url, Object validationData);

    /** Glance 2.17 get locations (admin or service role): {@code url} and {@code metadata.store} each. */
    List<Map<String, Object>> locations(RequestContext ctx, String id);

    /** The live stores ({@code detail}: type, weight and properties too, admins only). */
    List<StoreInfo> stores(RequestContext ctx, boolean detail);

    /** DELETE /v2/stores/{store}/{id}: takes the data out of one store; the last copy cannot go (403). */
    void deleteFromStore(RequestContext ctx, String storeId, String id);
}
