package com.xloud.image.api.events;

/** An upload did not complete; the partial data was removed and the image is back in queued. */
public record UploadFailed(String imageId, Origin origin, String reason) implements ImageEvent {
}
