package com.xloud.image.api.events;

/** glance-direct: data began to stream into the staging area; status uploading. */
public record StagingStarted(String imageId, Origin origin) implements ImageEvent {
}
