package com.xloud.image.api.events;

/** The import task failed; staged data is gone, the image is queued again and os_glance_failed_import names the store. */
public record ImportFailed(String imageId, Origin origin, String taskId, String storeId, String reason)
        implements ImageEvent {
}
