package com.xloud.image.api.events;

import java.util.List;

/**
 * The import task completed; the image is active (see ImageDataStored, ImageActivated and a
 * LocationAdded per further store). {@code failedStores} (null in events written before there were
 * several stores) did not get the data: os_glance_failed_import lists them.
 */
public record ImportSucceeded(String imageId, Origin origin, String taskId, List<String> failedStores)
        implements ImageEvent {
    public ImportSucceeded {
        failedStores = failedStores == null ? List.of() : List.copyOf(failedStores);
    }
}
