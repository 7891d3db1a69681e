package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** A namespace came to be, with these attributes; its objects, properties, tags and associations follow as events of their own. */
public record NamespaceCreated(String namespaceId, Origin origin, String namespace, String displayName, String description, String visibility, boolean isProtected, String owner) implements MetadefEvent {
}
