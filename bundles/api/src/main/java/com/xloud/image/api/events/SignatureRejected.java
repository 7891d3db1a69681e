package com.xloud.image.api.events;

/** The uploaded data did not carry a valid signature (img_signature*): it was removed, the image is queued again. */
public record SignatureRejected(String imageId, Origin origin, String reason) implements ImageEvent {
}
