package com.xloud.image.api.events;

import java.util.List;
import java.util.Map;

/** copy-image: task {@code taskId} copies the active image's data into {@code stores}; the image stays active. */
public record CopyStarted(String imageId, Origin origin, String taskId, List<String> stores, Map<String, Object> input)
        implements ImageEvent {
    public CopyStarted {
        stores = List.copyOf(stores);
        input = input == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(input));
    }
}
