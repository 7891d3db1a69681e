package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;
import java.util.Map;

/** An object was replaced (and perhaps renamed). */
public record MetadefObjectUpdated(String namespaceId, Origin origin, String name, String newName, Map<String, Object> definition) implements MetadefEvent {
}
