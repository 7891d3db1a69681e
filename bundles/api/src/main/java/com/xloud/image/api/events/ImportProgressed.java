package com.xloud.image.api.events;

/** A step of an import task finished (for example: "downloaded 1048576 bytes to staging"). */
public record ImportProgressed(String imageId, Origin origin, String taskId, String step) implements ImageEvent {
}
