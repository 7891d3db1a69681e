package com.xloud.image.api.events;

/** The data at {@code location} was removed from its store. */
public record DataScrubbed(String imageId, Origin origin, String location) implements ImageEvent {
}
