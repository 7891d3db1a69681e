package com.xloud.image.api.events;

/** The import task completed; the image is active (see ImageDataStored and ImageActivated). */
public record ImportSucceeded(String imageId, Origin origin, String taskId) implements ImageEvent {
}
