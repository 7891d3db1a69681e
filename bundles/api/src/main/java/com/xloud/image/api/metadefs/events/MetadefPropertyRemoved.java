package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** A property definition was removed from the namespace. */
public record MetadefPropertyRemoved(String namespaceId, Origin origin, String name) implements MetadefEvent {
}
