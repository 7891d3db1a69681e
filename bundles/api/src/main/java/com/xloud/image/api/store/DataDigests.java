package com.xloud.image.api.store;

import java.net.URI;
import java.util.Map;

/**
 * What a store reports about the data it wrote, and the one thing it may add: the caller computes
 * the image's digests (md5 and the multihash) from the bytes the store reads from the stream it is
 * given; a store whose storage computes the md5 anyway (Swift's ETag) says so before the first byte
 * and hands that md5 over at the end.
 */
public interface DataDigests {
    /** The store will report the md5 of the data itself; call before the first byte is read. */
    void md5FromStore();

    /** What was written at {@code location}: its byte count and digests as the data streamed through. */
    StoredImage result(URI location, Map<String, String> metadata);

    /**
     * As {@link #result(URI, Map)}, for a store that took the md5 over ({@link #md5FromStore()}):
     * {@code md5} is its storage's md5 of the data as hex (an HTTP ETag's quotes are dropped); anything
     * but an md5 is a {@link StoreException}.
     */
    StoredImage result(URI location, Map<String, String> metadata, String md5);
}
