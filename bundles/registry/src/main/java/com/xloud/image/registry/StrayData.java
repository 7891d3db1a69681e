package com.xloud.image.registry;

/** Data of a deleted image still in store {@code storeId} at {@code location}: for the scrubber to remove. */
public record StrayData(String imageId, String storeId, String location) {
}
