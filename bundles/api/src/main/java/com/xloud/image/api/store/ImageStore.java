package com.xloud.image.api.store;

import java.io.InputStream;
import java.net.URI;

/**
 * A place where image data lives. Registered as an OSGi service with the properties
 * {@code store.id}, {@code store.type}, {@code store.description}, {@code store.weight},
 * {@code store.default} and {@code store.readonly}.
 *
 * <p>The four verbs follow glance_store: {@code add} returns everything the caller needs, so no
 * second round trip is needed.
 */
public interface ImageStore {

    String PROP_ID = "store.id";
    String PROP_TYPE = "store.type";
    String PROP_DESCRIPTION = "store.description";
    String PROP_WEIGHT = "store.weight";
    String PROP_DEFAULT = "store.default";
    String PROP_READONLY = "store.readonly";

    /**
     * Streams {@code data} into the store. The store reads it to the end in fixed-size chunks
     * (the caller digests what passes) and reports what it wrote through {@code digests}.
     *
     * @param expectedSize the announced size, or -1 when unknown; a different byte count is an error
     * @throws SizeMismatchException when the stream ends with another byte count than announced
     * @throws StoreException on any store failure; partial data must already be removed then
     */
    StoredImage add(String imageId, InputStream data, long expectedSize, DataDigests digests);

    /** Opens the data at {@code location} from {@code offset}, at most {@code length} bytes (-1: to the end). */
    InputStream get(URI location, long offset, long length);

    long size(URI location);

    /** Removes the data; a missing location is not an error. */
    void delete(URI location);

    /**
     * Removes whatever an {@link #add} of {@code imageId} left behind when it never returned: the
     * node running it died mid-upload, and another node cleans up once the upload stalled. Data
     * of the image that an add completed is not touched (the registry records no location for it).
     * Nothing left is not an error.
     */
    void discardPartial(String imageId);

    StoreHealth health();

    /** True when this store wrote {@code location} (its scheme and prefix are this store's). */
    boolean owns(URI location);

    /** True when something else still uses the data (an RBD clone): deleting it would answer in use. */
    default boolean inUse(URI location) {
        return false;
    }

    /** What an admin sees of the store's configuration in /v2/info/stores/detail (no secrets). */
    default java.util.Map<String, Object> properties() {
        return java.util.Map.of();
    }
}
