package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** A tag was added to the namespace. */
public record MetadefTagAdded(String namespaceId, Origin origin, String name) implements MetadefEvent {
}
