package com.xloud.image.api.metadefs.events;

import com.xloud.image.api.events.Origin;

/** The namespace no longer applies to the resource type. */
public record ResourceTypeDissociated(String namespaceId, Origin origin, String resourceType) implements MetadefEvent {
}
