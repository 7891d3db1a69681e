package com.xloud.image.api.images;

import java.io.InputStream;

/** An opened image body: the bytes from {@code offset}, {@code length} of {@code totalSize}. */
public record ImageDownload(InputStream data, long offset, long length, long totalSize, String checksum,
                            boolean partial) {
}
