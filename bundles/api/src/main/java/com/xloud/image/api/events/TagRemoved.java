package com.xloud.image.api.events;

public record TagRemoved(String imageId, Origin origin, String tag) implements ImageEvent {
}
