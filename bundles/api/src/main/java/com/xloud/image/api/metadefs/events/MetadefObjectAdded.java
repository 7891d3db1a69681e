package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;
import java.util.Map;

/** An object (description, required, properties) was added to the namespace. */
public record MetadefObjectAdded(String namespaceId, Origin origin, String name, Map<String, Object> definition) implements MetadefEvent {
}
