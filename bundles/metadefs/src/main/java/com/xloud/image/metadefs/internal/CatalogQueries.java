package com.xloud.image.metadefs.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads the catalog from the metadef tables the registry projects from the namespaces' events. */
final class CatalogQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };
    private static final String NAMESPACE_COLUMNS =
            "n.id, n.namespace, n.display_name, n.description, n.visibility, n.protected, n.owner, n.created_at, n.updated_at";

    private final DataSource db;

    CatalogQueries(DataSource db) {
        this.db = db;
    }

    record Namespace(String id, String namespace, String displayName, String description, String visibility,
                     boolean isProtected, String owner, Instant createdAt, Instant updatedAt) {
    }

    record Definition(String name, Map<String, Object> definition, Instant createdAt, Instant updatedAt) {
    }

    record Association(String resourceType, String prefix, String propertiesTarget, Instant createdAt,
                       Instant updatedAt) {
    }

    record ResourceType(String name, boolean isProtected, Instant createdAt, Instant updatedAt) {
    }

    /** Who may see what: admins everything, others the public namespaces and their project's. */
    record Viewer(String projectId, boolean admin) {
    }

    /** The listing's filters and order; {@code marker} is a namespace the caller can see. */
    record NamespaceQuery(String visibility, List<String> resourceTypes, String sortKey, boolean ascending,
                          Namespace marker, int limit) {
    }

    Optional<Namespace> namespace(String name) {
        return query("SELECT " + NAMESPACE_COLUMNS + " FROM metadef_namespaces n WHERE n.namespace = ?",
                List.of(name), CatalogQueries::namespace).stream().findFirst();
    }

    List<Namespace> namespaces(Viewer viewer, NamespaceQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + NAMESPACE_COLUMNS + " FROM metadef_namespaces n WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!viewer.admin()) {
            sql.append(" AND (n.visibility = 'public' OR n.owner = ?)");
            args.add(viewer.projectId() == null ? "" : viewer.projectId());
        }
        if (q.visibility() != null) {
            sql.append(" AND n.visibility = ?");
            args.add(q.visibility());
        }
        if (!q.resourceTypes().isEmpty()) {
            sql.append(" AND EXISTS (SELECT 1 FROM metadef_namespace_resource_types a WHERE a.namespace_id = n.id"
                    + " AND a.resource_type IN (").append(String.join(", ", q.resourceTypes().stream().map(t -> "?")
                    .toList())).append("))");
            args.addAll(q.resourceTypes());
        }
        List<String> keys = new ArrayList<>(List.of(q.sortKey(), "created_at", "id"));
        keys = keys.stream().distinct().toList();
        Map<String, Object> markerValues = q.marker() == null ? null : Map.of("namespace", q.marker().namespace(),
                "display_name", nullable(q.marker().displayName()), "description", nullable(q.marker().description()),
                "visibility", q.marker().visibility(), "protected", q.marker().isProtected(), "owner", q.marker().owner(),
                "created_at", utc(q.marker().createdAt()), "updated_at", utc(q.marker().updatedAt()),
                "id", q.marker().id());
        keyset(sql, args, "n.", keys, q.ascending(), markerValues);
        args.add(q.limit());
        return query(sql.toString(), args, CatalogQueries::namespace);
    }

    /** The columns a namespace listing may be sorted by: each of its attributes, as Glance. */
    static final List<String> NAMESPACE_SORT_KEYS = List.of("namespace", "display_name", "description", "visibility",
            "protected", "owner", "created_at", "updated_at");

    private static Object nullable(String s) {
        return s == null ? NULL : s;
    }

    /** Stands for SQL NULL in a marker row (Map.of takes no nulls). */
    private static final Object NULL = new Object();

    private static java.time.LocalDateTime utc(Instant t) {
        return java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC);
    }

    /**
     * Appends a keyset condition (rows strictly after {@code marker} in the order of {@code keys},
     * NULLs first as MariaDB sorts them ascending), then ORDER BY and LIMIT ?.
     */
    private static void keyset(StringBuilder sql, List<Object> args, String alias, List<String> keys, boolean ascending,
                               Map<String, Object> marker) {
        if (marker != null) {
            List<String> ors = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                List<String> ands = new ArrayList<>();
                for (int j = 0; j < i; j++) {
                    String col = alias + keys.get(j);
                    Object v = marker.get(keys.get(j));
                    if (v == NULL) {
                        ands.add(col + " IS NULL");
                    } else {
                        ands.add(col + " = ?");
                        args.add(v);
                    }
                }
                String col = alias + keys.get(i);
                Object v = marker.get(keys.get(i));
                boolean after = ascending;
                if (v == NULL) {
                    // after NULL ascending: every non-null; descending: nothing
                    if (!after) {
                        continue;
                    }
                    ands.add(col + " IS NOT NULL");
                } else if (after) {
                    ands.add(col + " > ?");
                    args.add(v);
                } else {
                    ands.add("(" + col + " < ? OR " + col + " IS NULL)");
                    args.add(v);
                }
                ors.add("(" + String.join(" AND ", ands) + ")");
            }
            sql.append(ors.isEmpty() ? " AND FALSE" : " AND (" + String.join(" OR ", ors) + ")");
        }
        String dir = ascending ? " ASC" : " DESC";
        sql.append(" ORDER BY ").append(String.join(", ", keys.stream().map(k -> alias + k + dir).toList()))
                .append(" LIMIT ?");
    }

    /** The column tags may be sorted by, as Glance's tag list. */
    static final List<String> TAG_SORT_KEYS = List.of("name", "created_at", "updated_at");

    /** A namespace's tags ordered by {@code sortKey} then creation, after {@code after}, at most {@code limit} (-1: all). */
    List<Definition> tags(String namespaceId, String sortKey, boolean ascending, Definition after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT t.name, NULL, t.created_at, t.updated_at FROM metadef_tags t"
                + " WHERE t.namespace_id = ?");
        List<Object> args = new ArrayList<>(List.of(namespaceId));
        List<String> keys = new ArrayList<>(List.of(sortKey, "created_at", "name"));
        keys = keys.stream().distinct().toList();
        Map<String, Object> marker = after == null ? null : Map.of("name", after.name(),
                "created_at", utc(after.createdAt()), "updated_at", utc(after.updatedAt()));
        keyset(sql, args, "t.", keys, ascending, marker);
        args.add(limit < 0 ? Integer.MAX_VALUE : limit);
        return query(sql.toString(), args, CatalogQueries::definition);
    }

    List<Definition> definitions(String table, String namespaceId) {
        String definition = table.equals("metadef_tags") ? "NULL" : "definition";
        return query("SELECT name, " + definition + ", created_at, updated_at FROM " + table
                + " WHERE namespace_id = ? ORDER BY name", List.of(namespaceId), CatalogQueries::definition);
    }

    Optional<Definition> definition(String table, String namespaceId, String name) {
        String definition = table.equals("metadef_tags") ? "NULL" : "definition";
        return query("SELECT name, " + definition + ", created_at, updated_at FROM " + table
                + " WHERE namespace_id = ? AND name = ?", List.of(namespaceId, name), CatalogQueries::definition)
                .stream().findFirst();
    }

    List<Association> associations(String namespaceId) {
        return associations(List.of(namespaceId)).getOrDefault(namespaceId, List.of());
    }

    /** The associations of several namespaces (a listing's page) in one query, by namespace id. */
    Map<String, List<Association>> associations(List<String> namespaceIds) {
        Map<String, List<Association>> byNamespace = new LinkedHashMap<>();
        if (namespaceIds.isEmpty()) {
            return byNamespace;
        }
        String marks = String.join(", ", namespaceIds.stream().map(id -> "?").toList());
        query("SELECT namespace_id, resource_type, prefix, properties_target, created_at, updated_at"
                        + " FROM metadef_namespace_resource_types WHERE namespace_id IN (" + marks + ")"
                        + " ORDER BY created_at, resource_type", namespaceIds,
                rs -> byNamespace.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Association(
                        rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5), instant(rs, 6))));
        return byNamespace;
    }

    List<ResourceType> resourceTypes() {
        return query("SELECT name, protected, created_at, updated_at FROM metadef_resource_types ORDER BY name",
                List.of(), rs -> new ResourceType(rs.getString(1), rs.getBoolean(2), instant(rs, 3), instant(rs, 4)));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<?> args, Row<T> row) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ImageException(ImageException.Kind.UNAVAILABLE, "The registry database is unavailable", e);
        }
    }

    private static Namespace namespace(ResultSet rs) throws SQLException {
        return new Namespace(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getString(7), instant(rs, 8), instant(rs, 9));
    }

    private static Definition definition(ResultSet rs) throws SQLException {
        String json = rs.getString(2);
        Map<String, Object> definition;
        try {
            definition = json == null ? null : JSON.readValue(json, MAP);
        } catch (IOException e) {
            throw new SQLException("unreadable definition " + rs.getString(1), e);
        }
        return new Definition(rs.getString(1), definition, instant(rs, 3), instant(rs, 4));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        java.time.LocalDateTime t = rs.getObject(column, java.time.LocalDateTime.class);
        return t == null ? null : t.toInstant(java.time.ZoneOffset.UTC);
    }
}
