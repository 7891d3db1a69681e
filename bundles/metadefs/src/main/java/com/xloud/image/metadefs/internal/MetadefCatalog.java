package com.xloud.image.metadefs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.metadefs.internal.CatalogQueries.Association;
import com.xloud.image.metadefs.internal.CatalogQueries.Definition;
import com.xloud.image.metadefs.internal.CatalogQueries.Namespace;
import com.xloud.image.metadefs.internal.CatalogQueries.NamespaceQuery;
import com.xloud.image.metadefs.internal.CatalogQueries.Viewer;
import com.xloud.image.metadefs.internal.NamespaceCommands.Kind;
import com.xloud.image.registry.ImageRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The catalog's use cases, as Glance's metadef controllers have them: the caller sees public
 * namespaces and its project's (admins all; another project's private namespace is not found),
 * the policy decides who may read and change what, bodies are checked against Glance's schemas,
 * then a command goes to the namespace's aggregate and the answer is read back from the registry.
 */
@Component(service = MetadefCatalog.class)
public final class MetadefCatalog implements AutoCloseable {
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 1000;

    private final CatalogEvents events;
    private final CatalogQueries queries;
    private final PolicyEnforcer policy;
    private final String nodeId;
    final ObjectMapper json = new ObjectMapper();
    final MetadefSchemas schemas = new MetadefSchemas(json);

    @Activate
    public MetadefCatalog(@Reference ImageRegistry registry, @Reference PolicyEnforcer policy,
                          @Reference ImageService images) {
        this(registry, policy, images.nodeId());
    }

    MetadefCatalog(ImageRegistry registry, PolicyEnforcer policy, String nodeId) {
        this.events = new CatalogEvents(registry);
        this.queries = new CatalogQueries(registry.dataSource());
        this.policy = policy;
        this.nodeId = nodeId;
    }

    @Deactivate
    @Override
    public void close() {
        events.close();
    }

    private Origin origin(RequestContext ctx) {
        return new Origin(ctx.userId(), ctx.projectId(), ctx.roles(), nodeId, ctx.requestId(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private static Map<String, Object> target(RequestContext ctx, Namespace n) {
        Map<String, Object> t = new HashMap<>();
        t.put("project_id", n == null ? ctx.projectId() : n.owner());
        t.put("visibility", n == null ? null : n.visibility());
        t.put("owner", n == null ? ctx.projectId() : n.owner());
        return t;
    }

    private void require(String action, RequestContext ctx, Namespace n) {
        if (!policy.allows(action, ctx, target(ctx, n))) {
            throw ImageException.forbidden("You are not authorized to complete " + action + " action.");
        }
    }

    /** How a route says a namespace is missing or not the caller's to see: Glance's wording differs by route. */
    enum Lookup {
        /** {@code GET /namespaces/{ns}}. */
        SHOW,
        /** The {@code /objects} routes. */
        OBJECTS,
        /** Everything else: PUT, DELETE, properties, tags, resource types. */
        OTHER
    }

    private static ImageException notFound(String message) {
        return new ImageException(ImageException.Kind.NOT_FOUND, message);
    }

    /** The namespace by name if the caller can see it: admins all, others the public ones and their project's. */
    Namespace visible(RequestContext ctx, String name, Lookup lookup) {
        Namespace n = queries.namespace(name).orElse(null);
        if (n == null) {
            throw notFound(lookup == Lookup.OTHER ? "Namespace " + name + " not found"
                    : "Metadata definition namespace=" + name + " was not found.");
        }
        if (!canSee(ctx, n)) {
            throw notFound(lookup == Lookup.SHOW ? "The resource could not be found." : "Namespace " + name + " not found");
        }
        return n;
    }

    private static boolean canSee(RequestContext ctx, Namespace n) {
        return ctx.isAdmin() || "public".equals(n.visibility()) || ctx.projectId() != null
                && ctx.projectId().equals(n.owner());
    }

    /** A visible namespace the caller may {@code action} (403 otherwise). */
    private Namespace checked(RequestContext ctx, String name, String action, Lookup lookup) {
        Namespace n = visible(ctx, name, lookup);
        require(action, ctx, n);
        return n;
    }

    private static Lookup lookup(Kind kind) {
        return kind == Kind.OBJECT ? Lookup.OBJECTS : Lookup.OTHER;
    }

    // ---- namespaces

    List<Map<String, Object>> listNamespaces(RequestContext ctx, NamespaceQuery q) {
        require("get_metadef_namespaces", ctx, null);
        Viewer viewer = new Viewer(ctx.projectId(), ctx.isAdmin());
        List<Namespace> page = queries.namespaces(viewer, q);
        Map<String, List<Association>> associations = queries.associations(page.stream().map(Namespace::id).toList());
        return page.stream().map(n -> MetadefViews.withLinks(MetadefViews.namespace(n,
                associations.getOrDefault(n.id(), List.of())))).toList();
    }

    /** The marker of a namespace listing: missing is a 404, another project's private namespace a 403, as Glance. */
    Namespace marker(RequestContext ctx, String name) {
        Namespace n = queries.namespace(name).orElseThrow(() -> notFound("Metadata definition namespace=" + name
                + " was not found."));
        if (!canSee(ctx, n)) {
            throw ImageException.forbidden("Forbidding request, metadata definition namespace=" + name
                    + " is not visible.");
        }
        return n;
    }

    Map<String, Object> showNamespace(RequestContext ctx, String name, String resourceType) {
        Namespace n = checked(ctx, name, "get_metadef_namespace", Lookup.SHOW);
        return fullNamespace(n, resourceType);
    }

    private Map<String, Object> fullNamespace(Namespace n, String resourceType) {
        List<Association> associations = queries.associations(n.id());
        // an association may have no prefix: null is a value here, not a missing association
        String prefix = associations.stream().filter(a -> a.resourceType().equals(resourceType)).findFirst()
                .map(Association::prefix).orElse(null);
        Map<String, Object> m = MetadefViews.namespace(n, associations);
        List<Definition> properties = queries.definitions("metadef_properties", n.id());
        if (!properties.isEmpty()) {
            m.put("properties", MetadefViews.properties(properties, prefix));
        }
        List<Definition> objects = queries.definitions("metadef_objects", n.id());
        if (!objects.isEmpty()) {
            m.put("objects", objects.stream().map(o -> MetadefViews.object(n.namespace(), o, prefix)).toList());
        }
        List<Definition> tags = queries.tags(n.id(), "created_at", false, null, -1);
        if (!tags.isEmpty()) {
            m.put("tags", tags.stream().map(t -> Map.of("name", t.name())).toList());
        }
        return MetadefViews.withLinks(m);
    }

    Map<String, Object> createNamespace(RequestContext ctx, JsonNode body) {
        MetadefInput.readOnly(body);
        schemas.validate("namespace", body);
        NamespaceCommands.Attributes a = MetadefInput.attributes(ctx, body);
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        for (JsonNode o : body.path("objects")) {
            schemas.validate("object", o);
            String name = o.get("name").asText();
            if (objects.containsKey(name)) {
                throw ImageException.conflict("A metadata definition object with name=" + name
                        + " already exists in namespace=" + a.namespace() + ".");
            }
            objects.put(name, MetadefInput.objectDefinition(json, o));
        }
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        for (var p : (Iterable<Map.Entry<String, JsonNode>>) () -> body.path("properties").fields()) {
            MetadefInput.checkName("property", p.getKey());
            properties.put(p.getKey(), MetadefInput.propertyDefinition(json, p.getValue()));
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode t : body.path("tags")) {
            schemas.validate("tag", t);
            tags.add(t.get("name").asText());
        }
        List<NamespaceCommands.Association> associations = new ArrayList<>();
        for (JsonNode r : body.path("resource_type_associations")) {
            schemas.validate("resource_type", r);
            associations.add(MetadefInput.association(r));
        }
        require("add_metadef_namespace", ctx, null);
        requireIf(!associations.isEmpty(), "add_metadef_resource_type_association", ctx);
        requireIf(!objects.isEmpty(), "add_metadef_object", ctx);
        requireIf(!properties.isEmpty(), "add_metadef_property", ctx);
        requireIf(!tags.isEmpty(), "add_metadef_tag", ctx);
        if (queries.namespace(a.namespace()).isPresent()) {
            throw duplicateNamespace(a.namespace());
        }
        String id = UUID.randomUUID().toString();
        events.send(new NamespaceCommands.CreateNamespace(id, origin(ctx), a, objects, properties, tags,
                associations));
        return fullNamespace(queries.namespace(a.namespace()).orElseThrow(), null);
    }

    private void requireIf(boolean condition, String action, RequestContext ctx) {
        if (condition) {
            require(action, ctx, null);
        }
    }

    static ImageException duplicateNamespace(String name) {
        return ImageException.conflict("The metadata definition namespace=" + name + " already exists.");
    }

    Map<String, Object> updateNamespace(RequestContext ctx, String name, JsonNode body) {
        MetadefInput.readOnly(body);
        schemas.validate("namespace", body);
        Namespace n = checked(ctx, name, "modify_metadef_namespace", Lookup.OTHER);
        NamespaceCommands.Attributes a = MetadefInput.attributes(ctx, body);
        if (!a.namespace().equals(n.namespace()) && queries.namespace(a.namespace()).isPresent()) {
            throw ImageException.conflict("Invalid update. It would result in a duplicate metadata definition"
                    + " namespace with the same name of " + a.namespace());
        }
        events.send(new NamespaceCommands.UpdateNamespace(n.id(), origin(ctx), a));
        Namespace updated = queries.namespace(a.namespace()).orElseThrow(() -> notFound("Namespace " + a.namespace() + " not found"));
        return MetadefViews.withLinks(MetadefViews.namespace(updated, List.of()));
    }

    void deleteNamespace(RequestContext ctx, String name) {
        Namespace n = checked(ctx, name, "delete_metadef_namespace", Lookup.OTHER);
        events.send(new NamespaceCommands.DeleteNamespace(n.id(), origin(ctx)));
    }

    // ---- objects, properties, tags

    private static String table(Kind kind) {
        return switch (kind) {
            case OBJECT -> "metadef_objects";
            case PROPERTY -> "metadef_properties";
            case TAG -> "metadef_tags";
        };
    }

    private static String action(Kind kind, String verb) {
        String noun = switch (kind) {
            case OBJECT -> "object";
            case PROPERTY -> "property";
            case TAG -> "tag";
        };
        return switch (verb) {
            case "get" -> "get_metadef_" + noun;
            case "list" -> "get_metadef_" + (kind == Kind.PROPERTY ? "properties" : noun + "s");
            case "add" -> "add_metadef_" + noun;
            case "modify" -> "modify_metadef_" + noun;
            default -> (kind == Kind.PROPERTY ? "remove" : "delete") + "_metadef_" + noun;
        };
    }

    List<Definition> list(RequestContext ctx, String namespace, Kind kind) {
        Namespace n = checked(ctx, namespace, action(kind, "list"), lookup(kind));
        return queries.definitions(table(kind), n.id());
    }

    /** Tags, ordered and paged as Glance's tag list ({@code limit} -1: all). */
    List<Definition> tags(RequestContext ctx, String namespace, String sortKey, boolean ascending, String marker,
                          int limit) {
        Namespace n = checked(ctx, namespace, "get_metadef_tags", Lookup.OTHER);
        Definition after = marker == null || marker.isEmpty() ? null : queries.definition("metadef_tags", n.id(), marker)
                .orElseThrow(() -> NamespaceAggregate.notFound(Kind.TAG, marker));
        return queries.tags(n.id(), sortKey, ascending, after, limit);
    }

    Definition get(RequestContext ctx, String namespace, Kind kind, String name) {
        Namespace n = checked(ctx, namespace, action(kind, "get"), lookup(kind));
        return find(n, kind, name);
    }

    private Definition find(Namespace n, Kind kind, String name) {
        return queries.definition(table(kind), n.id(), name).orElseThrow(() -> NamespaceAggregate.notFound(kind, name));
    }

    /** Adds an object or a property from its body (name inside), or a tag by name; returns it as stored. */
    Definition add(RequestContext ctx, String namespace, Kind kind, String name, Map<String, Object> definition) {
        Namespace n = checked(ctx, namespace, action(kind, "add"), lookup(kind));
        events.send(new NamespaceCommands.AddDefinition(n.id(), origin(ctx), kind, name, definition));
        return find(n, kind, name);
    }

    Definition update(RequestContext ctx, String namespace, Kind kind, String name, String newName,
                      Map<String, Object> definition) {
        Namespace n = checked(ctx, namespace, action(kind, "modify"), lookup(kind));
        find(n, kind, name);
        events.send(new NamespaceCommands.UpdateDefinition(n.id(), origin(ctx), kind, name, newName, definition));
        return find(n, kind, newName);
    }

    /** Removes one definition, or all of the kind ({@code name} null: the namespace's delete rule, tags' too). */
    void remove(RequestContext ctx, String namespace, Kind kind, String name) {
        Namespace n;
        if (name == null) {
            n = checked(ctx, namespace, "delete_metadef_namespace", Lookup.OTHER);
            if (kind == Kind.TAG) {
                require("delete_metadef_tags", ctx, n);
            }
        } else {
            n = checked(ctx, namespace, action(kind, "delete"), lookup(kind));
            find(n, kind, name);
        }
        events.send(new NamespaceCommands.RemoveDefinitions(n.id(), origin(ctx), kind, name));
    }

    List<Definition> addTags(RequestContext ctx, String namespace, List<String> names, boolean append) {
        Namespace n = checked(ctx, namespace, "add_metadef_tags", Lookup.OTHER);
        events.send(new NamespaceCommands.AddTags(n.id(), origin(ctx), names, append));
        List<Definition> out = new ArrayList<>();
        for (String name : names) {
            out.add(find(n, Kind.TAG, name));
        }
        return out;
    }

    /**
     * The stored name of a property asked for as {@code resourceType}'s association shows it: without
     * the association's prefix (404 when the type, the association or the prefix does not fit).
     */
    String unprefixed(RequestContext ctx, String namespace, String resourceType, String name) {
        Namespace n = checked(ctx, namespace, "get_metadef_property", Lookup.OTHER);
        require("get_metadef_resource_type", ctx, n);
        if (queries.resourceTypes().stream().noneMatch(r -> r.name().equals(resourceType))) {
            throw notFound("The metadata definition resource-type with name=" + resourceType + ", was not found.");
        }
        Association a = queries.associations(n.id()).stream().filter(x -> x.resourceType().equals(resourceType))
                .findFirst().orElseThrow(() -> notFound("The metadata definition resource-type association of"
                        + " resource-type=" + resourceType + " to namespace=" + namespace + ", was not found."));
        if (a.prefix() == null || !name.startsWith(a.prefix())) {
            throw notFound("Property " + name + " does not start with the expected resource type association prefix"
                    + " of '" + (a.prefix() == null ? "None" : a.prefix()) + "'.");
        }
        return name.substring(a.prefix().length());
    }

    // ---- resource types

    List<CatalogQueries.ResourceType> resourceTypes(RequestContext ctx) {
        require("list_metadef_resource_types", ctx, null);
        return queries.resourceTypes();
    }

    List<Association> associations(RequestContext ctx, String namespace) {
        Namespace n = checked(ctx, namespace, "list_metadef_resource_types", Lookup.OTHER);
        return queries.associations(n.id());
    }

    Association associate(RequestContext ctx, String namespace, NamespaceCommands.Association a) {
        Namespace n = checked(ctx, namespace, "add_metadef_resource_type_association", Lookup.OTHER);
        events.send(new NamespaceCommands.Associate(n.id(), origin(ctx), a));
        return queries.associations(n.id()).stream().filter(x -> x.resourceType().equals(a.resourceType()))
                .findFirst().orElseThrow();
    }

    void dissociate(RequestContext ctx, String namespace, String resourceType) {
        Namespace n = checked(ctx, namespace, "remove_metadef_resource_type_association", Lookup.OTHER);
        events.send(new NamespaceCommands.Dissociate(n.id(), origin(ctx), resourceType));
    }
}
