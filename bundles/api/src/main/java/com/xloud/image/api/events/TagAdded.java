package com.xloud.image.api.events;

public record TagAdded(String imageId, Origin origin, String tag) implements ImageEvent {
}
