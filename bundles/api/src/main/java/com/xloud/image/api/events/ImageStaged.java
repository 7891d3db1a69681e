package com.xloud.image.api.events;

/** The whole data is in the staging area, waiting for the import call. */
public record ImageStaged(String imageId, Origin origin, long size) implements ImageEvent {
}
