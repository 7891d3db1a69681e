package com.xloud.image.api.events;

import java.util.List;

/**
 * A copy-image task ended; {@code failedStores} did not get a copy (they are listed in
 * os_glance_failed_import), {@code succeeded} tells whether the task counts as a success.
 */
public record CopyFinished(String imageId, Origin origin, String taskId, List<String> failedStores, boolean succeeded,
                           String message) implements ImageEvent {
    public CopyFinished {
        failedStores = List.copyOf(failedStores);
    }
}
