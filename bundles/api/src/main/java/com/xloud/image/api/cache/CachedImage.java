package com.xloud.image.api.cache;

import java.time.Instant;

/** One cached image as Glance's cache API lists it. */
public record CachedImage(String imageId, long hits, Instant lastAccessed, Instant lastModified, long size) {
}
