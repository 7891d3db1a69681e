package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** A tag was removed from the namespace. */
public record MetadefTagRemoved(String namespaceId, Origin origin, String name) implements MetadefEvent {
}
