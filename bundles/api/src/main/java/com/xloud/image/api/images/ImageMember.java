package com.xloud.image.api.images;

import java.time.Instant;

/** A project an image is shared with, and whether it took the image. */
public record ImageMember(String imageId, String memberId, String status, Instant createdAt, Instant updatedAt) {
}
