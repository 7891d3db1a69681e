package com.xloud.image.metadefs.internal;

import com.xloud.image.api.events.Origin;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The commands a namespace takes; the catalog has checked the caller's rights and the input's shape. */
final class NamespaceCommands {
    private NamespaceCommands() {
    }

    /** A namespace's own attributes, as a create or a PUT gives them. */
    record Attributes(String namespace, String displayName, String description, String visibility,
                      boolean isProtected, String owner) {
    }

    /** A resource type association as a create gives it. */
    record Association(String resourceType, String prefix, String propertiesTarget) {
    }

    record CreateNamespace(@TargetAggregateIdentifier String namespaceId, Origin origin, Attributes attributes,
                           Map<String, Map<String, Object>> objects, Map<String, Map<String, Object>> properties,
                           List<String> tags, List<Association> associations) {
    }

    record UpdateNamespace(@TargetAggregateIdentifier String namespaceId, Origin origin, Attributes attributes) {
    }

    record DeleteNamespace(@TargetAggregateIdentifier String namespaceId, Origin origin) {
    }

    /** The kinds of named definitions a namespace holds. */
    enum Kind {
        OBJECT, PROPERTY, TAG
    }

    /** Adds a definition ({@code definition} null for a tag). */
    record AddDefinition(@TargetAggregateIdentifier String namespaceId, Origin origin, Kind kind, String name,
                         Map<String, Object> definition) {
    }

    /** Replaces a definition, perhaps under a new name. */
    record UpdateDefinition(@TargetAggregateIdentifier String namespaceId, Origin origin, Kind kind, String name,
                            String newName, Map<String, Object> definition) {
    }

    /** Removes one definition, or every one of the kind ({@code name} null). */
    record RemoveDefinitions(@TargetAggregateIdentifier String namespaceId, Origin origin, Kind kind, String name) {
    }

    /** Tags: adds {@code names}, after removing all present ones unless {@code append}. */
    record AddTags(@TargetAggregateIdentifier String namespaceId, Origin origin, List<String> names, boolean append) {
    }

    record Associate(@TargetAggregateIdentifier String namespaceId, Origin origin, Association association) {
    }

    record Dissociate(@TargetAggregateIdentifier String namespaceId, Origin origin, String resourceType) {
    }
}
