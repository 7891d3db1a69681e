package com.xloud.image.api.events;

/** The image's data may no longer be downloaded (but by admins); status deactivated. */
public record ImageDeactivated(String imageId, Origin origin) implements ImageEvent {
}
