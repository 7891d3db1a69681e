package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** The namespace applies to a resource type (created with the first association), with the prefix and properties target its properties take there. */
public record ResourceTypeAssociated(String namespaceId, Origin origin, String resourceType, String prefix, String propertiesTarget) implements MetadefEvent {
}
