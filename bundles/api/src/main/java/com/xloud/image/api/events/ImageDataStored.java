package com.xloud.image.api.events;

/**
 * The store holds the whole data; the digests were computed while streaming. {@code virtualSize}
 * is null when the disk format does not tell it.
 */
public record ImageDataStored(String imageId, Origin origin, String storeId, String location, long size,
                              Long virtualSize, String checksum, String hashAlgo, String hashValue)
        implements ImageEvent {
}
