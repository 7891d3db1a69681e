package com.xloud.image.api.images;

/** What a project uses: stored and staged bytes, images, and images being uploaded or imported. */
public record ProjectUsage(long storedBytes, long stagedBytes, long images, long uploading) {
}
