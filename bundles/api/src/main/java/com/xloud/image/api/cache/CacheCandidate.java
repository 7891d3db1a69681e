package com.xloud.image.api.cache;

/**
 * An active image whose data may enter the cache: its size and the digests the data must match
 * ({@code md5} may be null when only the multihash is known; with neither the image is not cached).
 */
public record CacheCandidate(String imageId, long size, String md5, String hashAlgo, String hashValue) {
    public boolean verifiable() {
        return md5 != null || hashAlgo != null && hashValue != null;
    }
}
