package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** A tag was renamed. */
public record MetadefTagRenamed(String namespaceId, Origin origin, String name, String newName) implements MetadefEvent {
}
