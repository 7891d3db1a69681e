package com.xloud.image.api.events;

/**
 * The digests of data the service did not stream in itself (a location added by URL) were
 * computed by reading it once; {@code size} is the byte count read.
 */
public record ImageHashed(String imageId, Origin origin, long size, String checksum, String hashAlgo,
                          String hashValue) implements ImageEvent {
}
