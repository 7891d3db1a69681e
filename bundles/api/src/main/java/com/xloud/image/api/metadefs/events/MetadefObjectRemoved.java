package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** An object was removed from the namespace. */
public record MetadefObjectRemoved(String namespaceId, Origin origin, String name) implements MetadefEvent {
}
