package com.xloud.image.api.events;

/** A deactivated image is usable again; status active. */
public record ImageReactivated(String imageId, Origin origin) implements ImageEvent {
}
