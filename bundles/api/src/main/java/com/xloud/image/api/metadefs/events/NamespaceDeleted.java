package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** The namespace is gone, with everything in it. */
public record NamespaceDeleted(String namespaceId, Origin origin, String namespace) implements MetadefEvent {
}
