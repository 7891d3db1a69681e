package com.xloud.image.api.store;

import java.net.URI;
import java.util.Map;

/** What {@link ImageStore#add} wrote: the location, the byte count, md5 and the multihash. */
public record StoredImage(URI location, long size, String md5, String hashAlgorithm, String hashValue,
                          Map<String, String> metadata) {
    public StoredImage {
        metadata = Map.copyOf(metadata);
    }
}
