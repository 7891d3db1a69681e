package com.xloud.image.metadefs.internal;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.metadefs.events.MetadefObjectAdded;
import com.xloud.image.api.metadefs.events.MetadefObjectRemoved;
import com.xloud.image.api.metadefs.events.MetadefObjectUpdated;
import com.xloud.image.api.metadefs.events.MetadefPropertyAdded;
import com.xloud.image.api.metadefs.events.MetadefPropertyRemoved;
import com.xloud.image.api.metadefs.events.MetadefPropertyUpdated;
import com.xloud.image.api.metadefs.events.MetadefTagAdded;
import com.xloud.image.api.metadefs.events.MetadefTagRemoved;
import com.xloud.image.api.metadefs.events.MetadefTagRenamed;
import com.xloud.image.api.metadefs.events.NamespaceCreated;
import com.xloud.image.api.metadefs.events.NamespaceDeleted;
import com.xloud.image.api.metadefs.events.NamespaceUpdated;
import com.xloud.image.api.metadefs.events.ResourceTypeAssociated;
import com.xloud.image.api.metadefs.events.ResourceTypeDissociated;
import com.xloud.image.metadefs.internal.NamespaceCommands.AddDefinition;
import com.xloud.image.metadefs.internal.NamespaceCommands.AddTags;
import com.xloud.image.metadefs.internal.NamespaceCommands.Associate;
import com.xloud.image.metadefs.internal.NamespaceCommands.Association;
import com.xloud.image.metadefs.internal.NamespaceCommands.Attributes;
import com.xloud.image.metadefs.internal.NamespaceCommands.CreateNamespace;
import com.xloud.image.metadefs.internal.NamespaceCommands.DeleteNamespace;
import com.xloud.image.metadefs.internal.NamespaceCommands.Dissociate;
import com.xloud.image.metadefs.internal.NamespaceCommands.Kind;
import com.xloud.image.metadefs.internal.NamespaceCommands.RemoveDefinitions;
import com.xloud.image.metadefs.internal.NamespaceCommands.UpdateDefinition;
import com.xloud.image.metadefs.internal.NamespaceCommands.UpdateNamespace;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;

/**
 * One namespace of the catalog with the names of everything in it. Command handlers check what
 * Glance's database layer checks (names unique within the namespace, a protected namespace keeps
 * its contents) and apply events; event-sourcing handlers only assign state.
 */
@AggregateRoot(type = "MetadefNamespace")
public class NamespaceAggregate {
    @AggregateIdentifier
    private String id;
    private String namespace;
    private boolean isProtected;
    private boolean deleted;
    private final Map<Kind, Set<String>> names = new EnumMap<>(Kind.class);
    private final Set<String> resourceTypes = new LinkedHashSet<>();

    protected NamespaceAggregate() {
        // for Axon's event sourcing
    }

    /**
     * A new namespace with its contents. Axon applies the events of a constructor after it returns,
     * so the checks on the contents are made here, on the command, before anything is applied.
     */
    @CommandHandler
    public NamespaceAggregate(CreateNamespace c) {
        Attributes a = c.attributes();
        String ns = c.namespaceId();
        Set<String> types = new java.util.HashSet<>();
        for (Association association : c.associations()) {
            if (!types.add(association.resourceType())) {
                throw duplicateAssociation(association.resourceType(), a.namespace());
            }
        }
        Set<String> tags = new java.util.HashSet<>();
        for (String tag : c.tags()) {
            if (!tags.add(tag.toLowerCase(Locale.ROOT))) {
                throw duplicate(Kind.TAG, tag, a.namespace());
            }
        }
        apply(new NamespaceCreated(ns, c.origin(), a.namespace(), a.displayName(), a.description(),
                a.visibility(), a.isProtected(), a.owner()));
        c.associations().forEach(r -> apply(new ResourceTypeAssociated(ns, c.origin(), r.resourceType(), r.prefix(),
                r.propertiesTarget())));
        c.objects().forEach((name, definition) -> apply(new MetadefObjectAdded(ns, c.origin(), name, definition)));
        c.tags().forEach(tag -> apply(new MetadefTagAdded(ns, c.origin(), tag)));
        c.properties().forEach((name, definition) -> apply(new MetadefPropertyAdded(ns, c.origin(), name, definition)));
    }

    @CommandHandler
    public void handle(UpdateNamespace c) {
        requireExists();
        Attributes a = c.attributes();
        apply(new NamespaceUpdated(id, c.origin(), a.namespace(), a.displayName(), a.description(), a.visibility(),
                a.isProtected(), a.owner()));
    }

    @CommandHandler
    public void handle(DeleteNamespace c) {
        requireExists();
        if (isProtected) {
            throw protectedNamespace();
        }
        apply(new NamespaceDeleted(id, c.origin(), namespace));
    }

    @CommandHandler
    public void handle(AddDefinition c) {
        requireExists();
        add(c.origin(), c.kind(), c.name(), c.definition());
    }

    @CommandHandler
    public void handle(UpdateDefinition c) {
        requireExists();
        String current = find(c.kind(), c.name());
        if (!same(c.kind(), current, c.newName()) && find(c.kind(), c.newName(), false) != null) {
            throw ImageException.conflict(c.kind() == Kind.TAG ? duplicate(Kind.TAG, c.newName(), namespace).getMessage()
                    : "Invalid update. It would result in a duplicate metadata definition " + noun(c.kind())
                    + " with the same name=" + current + " in namespace=" + namespace + ".");
        }
        switch (c.kind()) {
            case OBJECT -> apply(new MetadefObjectUpdated(id, c.origin(), current, c.newName(), c.definition()));
            case PROPERTY -> apply(new MetadefPropertyUpdated(id, c.origin(), current, c.newName(), c.definition()));
            case TAG -> apply(new MetadefTagRenamed(id, c.origin(), current, c.newName()));
        }
    }

    @CommandHandler
    public void handle(RemoveDefinitions c) {
        requireExists();
        List<String> doomed = c.name() == null ? new ArrayList<>(names(c.kind())) : List.of(find(c.kind(), c.name()));
        if (isProtected) {
            throw c.name() == null ? protectedNamespace() : ImageException.forbidden("Metadata definition "
                    + noun(c.kind()) + " " + doomed.get(0) + " is protected and cannot be deleted.");
        }
        for (String name : doomed) {
            switch (c.kind()) {
                case OBJECT -> apply(new MetadefObjectRemoved(id, c.origin(), name));
                case PROPERTY -> apply(new MetadefPropertyRemoved(id, c.origin(), name));
                case TAG -> apply(new MetadefTagRemoved(id, c.origin(), name));
            }
        }
    }

    @CommandHandler
    public void handle(AddTags c) {
        requireExists();
        Set<String> seen = new java.util.HashSet<>();
        for (String tag : c.names()) {
            if (!seen.add(tag.toLowerCase(Locale.ROOT))) {
                throw duplicate(Kind.TAG, tag, namespace);
            }
        }
        if (!c.append() && !c.names().isEmpty()) {
            for (String old : new ArrayList<>(names(Kind.TAG))) {
                apply(new MetadefTagRemoved(id, c.origin(), old));
            }
        }
        c.names().forEach(tag -> add(c.origin(), Kind.TAG, tag, null));
    }

    @CommandHandler
    public void handle(Associate c) {
        requireExists();
        associate(c.origin(), c.association());
    }

    @CommandHandler
    public void handle(Dissociate c) {
        requireExists();
        if (!resourceTypes.contains(c.resourceType())) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Failed to find resource type "
                    + c.resourceType() + " to delete");
        }
        if (isProtected) {
            throw ImageException.forbidden("Metadata definition resource-type-association " + c.resourceType()
                    + " is protected and cannot be deleted.");
        }
        apply(new ResourceTypeDissociated(id, c.origin(), c.resourceType()));
    }

    private void add(Origin origin, Kind kind, String name, Map<String, Object> definition) {
        if (find(kind, name, false) != null) {
            throw duplicate(kind, name, namespace);
        }
        switch (kind) {
            case OBJECT -> apply(new MetadefObjectAdded(id, origin, name, definition));
            case PROPERTY -> apply(new MetadefPropertyAdded(id, origin, name, definition));
            case TAG -> apply(new MetadefTagAdded(id, origin, name));
        }
    }

    private void associate(Origin origin, Association a) {
        if (resourceTypes.contains(a.resourceType())) {
            throw duplicateAssociation(a.resourceType(), namespace);
        }
        apply(new ResourceTypeAssociated(id, origin, a.resourceType(), a.prefix(), a.propertiesTarget()));
    }

    private static ImageException duplicateAssociation(String resourceType, String namespace) {
        return ImageException.conflict("The metadata definition resource-type association of resource-type="
                + resourceType + " to namespace=" + namespace + " already exists.");
    }

    private Set<String> names(Kind kind) {
        return names.computeIfAbsent(kind, k -> new LinkedHashSet<>());
    }

    /** Tags compare without case, as in Glance's database; objects and properties exactly. */
    private static boolean same(Kind kind, String a, String b) {
        return kind == Kind.TAG ? a.equalsIgnoreCase(b) : a.equals(b);
    }

    private String find(Kind kind, String name) {
        return find(kind, name, true);
    }

    private String find(Kind kind, String name, boolean required) {
        for (String n : names(kind)) {
            if (same(kind, n, name)) {
                return n;
            }
        }
        if (required) {
            throw notFound(kind, name);
        }
        return null;
    }

    /** Glance's words for a definition that is not there. */
    static ImageException notFound(Kind kind, String name) {
        return new ImageException(ImageException.Kind.NOT_FOUND, switch (kind) {
            case OBJECT -> "Could not find metadata object " + name;
            case PROPERTY -> "Could not find property " + name;
            case TAG -> "Could not find metadata tag " + name;
        });
    }

    static String noun(Kind kind) {
        return switch (kind) {
            case OBJECT -> "object";
            case PROPERTY -> "property";
            case TAG -> "tag";
        };
    }

    private ImageException protectedNamespace() {
        return ImageException.forbidden("Metadata definition namespace " + namespace
                + " is protected and cannot be deleted.");
    }

    private static ImageException duplicate(Kind kind, String name, String namespace) {
        return ImageException.conflict(switch (kind) {
            case OBJECT -> "A metadata definition object with name=" + name + " already exists in namespace="
                    + namespace + ".";
            case PROPERTY -> "A metadata definition property with name=" + name + " already exists in namespace="
                    + namespace + ".";
            case TAG -> "A metadata tag with name=" + name + " already exists in namespace=" + namespace
                    + ". (Please note that metadata tag names are case insensitive).";
        });
    }

    private void requireExists() {
        if (deleted) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Namespace " + namespace + " not found");
        }
    }

    @EventSourcingHandler
    void on(NamespaceCreated e) {
        id = e.namespaceId();
        namespace = e.namespace();
        isProtected = e.isProtected();
    }

    @EventSourcingHandler
    void on(NamespaceUpdated e) {
        namespace = e.namespace();
        isProtected = e.isProtected();
    }

    @EventSourcingHandler
    void on(NamespaceDeleted e) {
        deleted = true;
    }

    @EventSourcingHandler
    void on(MetadefObjectAdded e) {
        names(Kind.OBJECT).add(e.name());
    }

    @EventSourcingHandler
    void on(MetadefObjectUpdated e) {
        rename(Kind.OBJECT, e.name(), e.newName());
    }

    @EventSourcingHandler
    void on(MetadefObjectRemoved e) {
        names(Kind.OBJECT).remove(e.name());
    }

    @EventSourcingHandler
    void on(MetadefPropertyAdded e) {
        names(Kind.PROPERTY).add(e.name());
    }

    @EventSourcingHandler
    void on(MetadefPropertyUpdated e) {
        rename(Kind.PROPERTY, e.name(), e.newName());
    }

    @EventSourcingHandler
    void on(MetadefPropertyRemoved e) {
        names(Kind.PROPERTY).remove(e.name());
    }

    @EventSourcingHandler
    void on(MetadefTagAdded e) {
        names(Kind.TAG).add(e.name());
    }

    @EventSourcingHandler
    void on(MetadefTagRenamed e) {
        rename(Kind.TAG, e.name(), e.newName());
    }

    @EventSourcingHandler
    void on(MetadefTagRemoved e) {
        names(Kind.TAG).remove(e.name());
    }

    @EventSourcingHandler
    void on(ResourceTypeAssociated e) {
        resourceTypes.add(e.resourceType());
    }

    @EventSourcingHandler
    void on(ResourceTypeDissociated e) {
        resourceTypes.remove(e.resourceType());
    }

    private void rename(Kind kind, String from, String to) {
        Set<String> set = names(kind);
        set.remove(from);
        set.add(to);
    }
}
