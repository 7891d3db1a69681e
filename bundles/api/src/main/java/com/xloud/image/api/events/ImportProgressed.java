package com.xloud.image.api.events;

/**
 * A step of an import task finished (for example: "downloaded 1048576 bytes to staging");
 * {@code stagedBytes} is set when the step left data in the staging area.
 */
public record ImportProgressed(String imageId, Origin origin, String taskId, String step, Long stagedBytes)
        implements ImageEvent {
}
