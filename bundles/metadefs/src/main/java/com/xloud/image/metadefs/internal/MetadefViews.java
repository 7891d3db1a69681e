package com.xloud.image.metadefs.internal;

import com.xloud.image.metadefs.internal.CatalogQueries.Association;
import com.xloud.image.metadefs.internal.CatalogQueries.Definition;
import com.xloud.image.metadefs.internal.CatalogQueries.Namespace;
import com.xloud.image.metadefs.internal.CatalogQueries.ResourceType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog's JSON bodies as Glance writes them: times to the second with a {@code Z}, an
 * attribute without a value left out (clients validate bodies against schemas that allow no null),
 * {@code self} and {@code schema} links.
 */
final class MetadefViews {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    static final String NAMESPACES = "/v2/metadefs/namespaces";

    private MetadefViews() {
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** A namespace's own attributes, its links, and its associations when it has any. */
    static Map<String, Object> namespace(Namespace n, List<Association> associations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", n.namespace());
        putIfPresent(m, "display_name", n.displayName());
        putIfPresent(m, "description", n.description());
        m.put("visibility", n.visibility());
        m.put("protected", n.isProtected());
        m.put("owner", n.owner());
        m.put("created_at", time(n.createdAt()));
        m.put("updated_at", time(n.updatedAt()));
        if (!associations.isEmpty()) {
            m.put("resource_type_associations", associations.stream().map(MetadefViews::association).toList());
        }
        return m;
    }

    /** Glance writes the links last, after any children. */
    static Map<String, Object> withLinks(Map<String, Object> m) {
        m.put("self", NAMESPACES + "/" + m.get("namespace"));
        m.put("schema", "/v2/schemas/metadefs/namespace");
        return m;
    }

    static Map<String, Object> association(Association a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.resourceType());
        putIfPresent(m, "prefix", a.prefix());
        putIfPresent(m, "properties_target", a.propertiesTarget());
        m.put("created_at", time(a.createdAt()));
        m.put("updated_at", time(a.updatedAt()));
        return m;
    }

    static Map<String, Object> resourceType(ResourceType r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("created_at", time(r.createdAt()));
        m.put("updated_at", time(r.updatedAt()));
        return m;
    }

    /** An object: name, its definition (required, description, properties) with names prefixed, times, links. */
    static Map<String, Object> object(String namespace, Definition d, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        Map<String, Object> def = d.definition();
        List<Object> required = new ArrayList<>();
        if (def.get("required") instanceof List<?> names) {
            names.forEach(r -> required.add(prefix == null ? r : prefix + r));
        }
        m.put("required", required);
        putIfPresent(m, "description", def.get("description"));
        m.put("properties", def.get("properties") instanceof Map<?, ?> props ? prefixed(props, prefix) : Map.of());
        m.put("created_at", time(d.createdAt()));
        m.put("updated_at", time(d.updatedAt()));
        m.put("self", NAMESPACES + "/" + namespace + "/objects/" + d.name());
        m.put("schema", "/v2/schemas/metadefs/object");
        return m;
    }

    /** A property alone: its name first, then its definition (Glance shows no times for properties). */
    static Map<String, Object> property(String name, Definition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        d.definition().forEach((k, v) -> {
            if (!k.equals("name")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Properties as Glance shows them in a namespace and in their list: a map from (prefixed) name to definition. */
    static Map<String, Object> properties(List<Definition> properties, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        properties.forEach(p -> m.put(prefix == null ? p.name() : prefix + p.name(), p.definition()));
        return m;
    }

    private static Map<String, Object> prefixed(Map<?, ?> props, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        props.forEach((k, v) -> m.put(prefix == null ? String.valueOf(k) : prefix + k, v));
        return m;
    }

    static Map<String, Object> tag(Definition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("created_at", time(d.createdAt()));
        m.put("updated_at", time(d.updatedAt()));
        return m;
    }
}
