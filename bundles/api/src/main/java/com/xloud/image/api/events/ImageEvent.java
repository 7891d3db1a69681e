package com.xloud.image.api.events;

/** What every image event has. */
public interface ImageEvent {
    String imageId();

    Origin origin();
}
