package com.xloud.image.api.events;

import java.util.List;
import java.util.Map;

/**
 * The net effect of one applied patch: core attributes set (by wire name; null clears), extra
 * properties set and removed, and the tag list when the patch replaced it (null otherwise).
 */
public record ImageUpdated(String imageId, Origin origin, Map<String, Object> attributes,
                           Map<String, String> propertiesSet, List<String> propertiesRemoved, List<String> tags)
        implements ImageEvent {
    public ImageUpdated {
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        propertiesSet = propertiesSet == null ? Map.of() : Map.copyOf(propertiesSet);
        propertiesRemoved = propertiesRemoved == null ? List.of() : List.copyOf(propertiesRemoved);
        tags = tags == null ? null : List.copyOf(tags);
    }
}
