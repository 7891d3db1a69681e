package com.xloud.image.api.events;

/** The image is gone from every listing; its data is scrubbed next. */
public record ImageDeleted(String imageId, Origin origin) implements ImageEvent {
}
