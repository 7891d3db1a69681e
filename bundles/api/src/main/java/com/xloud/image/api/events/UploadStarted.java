package com.xloud.image.api.events;

/** Data began to stream into {@code storeId}; status saving. */
public record UploadStarted(String imageId, Origin origin, String storeId, long expectedSize) implements ImageEvent {
}
