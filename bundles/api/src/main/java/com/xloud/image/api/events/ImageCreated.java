package com.xloud.image.api.events;

import java.util.List;
import java.util.Map;

/** A new image record, status queued. */
public record ImageCreated(String imageId, Origin origin, String owner, String name, String visibility,
                           boolean isProtected, boolean osHidden, String diskFormat, String containerFormat,
                           int minRam, int minDisk, Map<String, String> properties, List<String> tags)
        implements ImageEvent {
    public ImageCreated {
        properties = Map.copyOf(properties);
        tags = List.copyOf(tags);
    }
}
