package com.xloud.image.api.events;

/** Staging did not complete (or staged data was dropped); the staging file is gone, status queued. */
public record StagingFailed(String imageId, Origin origin, String reason) implements ImageEvent {
}
