package com.xloud.image.api.events;

/** A copy of the image's data now lives in one more store. */
public record LocationAdded(String imageId, Origin origin, String storeId, String location) implements ImageEvent {
}
