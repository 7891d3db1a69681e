package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** The namespace's attributes as they are now (all of them: Glance replaces them with a PUT). */
public record NamespaceUpdated(String namespaceId, Origin origin, String namespace, String displayName, String description, String visibility, boolean isProtected, String owner) implements MetadefEvent {
}
