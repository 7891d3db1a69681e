package com.xloud.image.api.events;

/** The image became usable; status active. */
public record ImageActivated(String imageId, Origin origin) implements ImageEvent {
}
