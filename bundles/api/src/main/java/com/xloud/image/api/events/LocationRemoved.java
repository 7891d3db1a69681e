package com.xloud.image.api.events;

/** The image's data was taken out of one store (others still hold it); the store's copy is deleted next. */
public record LocationRemoved(String imageId, Origin origin, String storeId, String location) implements ImageEvent {
}
