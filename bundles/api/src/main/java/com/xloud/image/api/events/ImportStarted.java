package com.xloud.image.api.events;

import java.util.Map;

/**
 * An import task began: {@code method} is glance-direct or web-download, {@code input} the task's
 * input as the client gave it; status importing.
 */
public record ImportStarted(String imageId, Origin origin, String taskId, String method, String storeId,
                            Map<String, Object> input) implements ImageEvent {
    public ImportStarted {
        input = input == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(input));
    }
}
