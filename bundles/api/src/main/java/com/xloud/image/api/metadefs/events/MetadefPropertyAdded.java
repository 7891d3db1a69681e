package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;
import java.util.Map;

/** A property definition (its JSON schema: type, title, enum, …) was added to the namespace. */
public record MetadefPropertyAdded(String namespaceId, Origin origin, String name, Map<String, Object> definition) implements MetadefEvent {
}
