package com.xloud.image.api.images;

/** A requested byte range; {@code last} is inclusive, -1 for "to the end"; a suffix range has first -1. */
public record ByteRange(long first, long last) {
}
