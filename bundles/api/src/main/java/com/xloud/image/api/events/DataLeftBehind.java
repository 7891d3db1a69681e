package com.xloud.image.api.events;

/**
 * Data the image no longer uses stayed at {@code location} in store {@code storeId}: the store
 * could not remove it when it should have (a removed copy, a rejected or failed upload). It is
 * removed once the image is deleted ({@link DataScrubbed}); until then a new upload may write
 * the same location again, which makes it the image's data once more.
 */
public record DataLeftBehind(String imageId, Origin origin, String storeId, String location, String reason)
        implements ImageEvent {
}
