package com.xloud.image.registry.internal;

import com.xloud.image.api.images.FilterValues;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImagePage;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageQuery.SortKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds one listing query: visibility for the caller, filters, then keyset pagination on the
 * sort keys plus id, so page N costs what page 1 costs. The values were validated by the core.
 */
final class ImageListing {

    /** Sort expressions; nullable columns are folded so that the order and the keyset agree. */
    private static final Map<String, String> SORT_EXPRESSIONS = Map.of(
            "name", "COALESCE(i.name, '')",
            "status", "i.status",
            "container_format", "COALESCE(i.container_format, '')",
            "disk_format", "COALESCE(i.disk_format, '')",
            "size", "COALESCE(i.size, -1)",
            "id", "i.id",
            "created_at", "i.created_at",
            "updated_at", "i.updated_at");

    /** Filters on columns of the images table; any other key is an extra property. */
    private static final Map<String, String> COLUMN_FILTERS = Map.ofEntries(
            Map.entry("name", "i.name"), Map.entry("status", "i.status"), Map.entry("owner", "i.owner"),
            Map.entry("disk_format", "i.disk_format"), Map.entry("container_format", "i.container_format"),
            Map.entry("id", "i.id"), Map.entry("checksum", "i.checksum"), Map.entry("os_hash_value", "i.os_hash_value"),
            Map.entry("min_ram", "i.min_ram"), Map.entry("min_disk", "i.min_disk"));

    private ImageListing() {
    }

    static boolean sortable(String key) {
        return SORT_EXPRESSIONS.containsKey(key);
    }

    static ImagePage list(Connection c, ImageQuery q, String projectId, boolean admin) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE i.deleted = FALSE");
        List<Object> args = new ArrayList<>();
        visibility(q.filters(), projectId, admin, where, args);
        String hidden = q.filters().get("os_hidden");
        where.append(" AND i.os_hidden = ?");
        args.add(Boolean.parseBoolean(hidden));
        if (q.filters().containsKey("protected")) {
            where.append(" AND i.protected = ?");
            args.add(Boolean.parseBoolean(q.filters().get("protected")));
        }
        for (Map.Entry<String, String> f : q.filters().entrySet()) {
            String key = f.getKey();
            if (key.equals("visibility") || key.equals("os_hidden") || key.equals("protected")
                    || key.equals("member_status")) {
                continue;
            }
            String column = COLUMN_FILTERS.get(key);
            if (FilterValues.TIME_FILTERS.contains(key)) {
                FilterValues.TimeComparison t = FilterValues.time(key, f.getValue());
                where.append(" AND i.").append(key).append(' ').append(t.sqlOperator()).append(" ?");
                args.add(RegistryProjection.ts(t.at()));
                continue;
            }
            if (column != null && FilterValues.isInList(key, f.getValue())) {
                List<String> values = FilterValues.inList(key, f.getValue());
                where.append(" AND ").append(column).append(" IN (")
                        .append(String.join(", ", java.util.Collections.nCopies(values.size(), "?"))).append(")");
                args.addAll(values);
                continue;
            }
            if (column != null) {
                where.append(" AND ").append(column).append(" = ?");
            } else {
                where.append(" AND EXISTS (SELECT 1 FROM image_properties p WHERE p.image_id = i.id AND p.name = ? AND p.value = ?)");
                args.add(key);
            }
            args.add(f.getValue());
        }
        for (String tag : q.tags()) {
            where.append(" AND EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.id AND t.tag = ?)");
            args.add(tag);
        }
        if (q.sizeMin() != null) {
            where.append(" AND i.size >= ?");
            args.add(q.sizeMin());
        }
        if (q.sizeMax() != null) {
            where.append(" AND i.size <= ?");
            args.add(q.sizeMax());
        }
        List<SortKey> keys = new ArrayList<>(q.sort());
        if (keys.stream().noneMatch(k -> k.key().equals("id"))) {
            keys.add(new SortKey("id", keys.isEmpty() || keys.get(keys.size() - 1).ascending()));
        }
        if (q.marker() != null) {
            keyset(c, keys, q.marker(), where, args);
        }
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            order.append(i == 0 ? "" : ", ").append(SORT_EXPRESSIONS.get(keys.get(i).key()))
                    .append(keys.get(i).ascending() ? " ASC" : " DESC");
        }
        String sql = "SELECT " + ImageRows.COLUMNS + " FROM images i" + where + order + " LIMIT ?";
        args.add(q.limit() + 1);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ImageRows.bind(ps, args);
            List<Image> images = ImageRows.read(ps);
            boolean more = images.size() > q.limit();
            return new ImagePage(more ? images.subList(0, q.limit()) : images, more);
        }
    }

    /**
     * Glance's visibility rules: an admin sees everything (community images only when asked for
     * or owned); others see their own images, public ones, and shared ones they are a member of
     * with the requested member status (accepted by default).
     */
    private static void visibility(Map<String, String> filters, String projectId, boolean admin, StringBuilder where,
                                   List<Object> args) {
        String visibility = filters.get("visibility");
        if (admin) {
            if (visibility == null) {
                where.append(" AND (i.visibility <> 'community' OR i.owner <=> ?)");
                args.add(projectId);
            } else if (!visibility.equals("all")) {
                where.append(" AND i.visibility = ?");
                args.add(visibility);
            }
            return;
        }
        String memberStatus = filters.getOrDefault("member_status", "accepted");
        String member = "EXISTS (SELECT 1 FROM image_members m WHERE m.image_id = i.id AND m.member_id <=> ?"
                + (memberStatus.equals("all") ? ")" : " AND m.status = ?)");
        List<Object> memberArgs = memberStatus.equals("all") ? List.of(nullSafe(projectId))
                : List.of(nullSafe(projectId), memberStatus);
        switch (visibility == null ? "" : visibility) {
            case "" -> {
                where.append(" AND (i.owner <=> ? OR i.visibility = 'public' OR (i.visibility = 'shared' AND ")
                        .append(member).append("))");
                args.add(projectId);
                args.addAll(memberArgs);
            }
            case "all" -> {
                where.append(" AND (i.owner <=> ? OR i.visibility IN ('public', 'community') OR (i.visibility = 'shared' AND ")
                        .append(member).append("))");
                args.add(projectId);
                args.addAll(memberArgs);
            }
            case "shared" -> {
                where.append(" AND i.visibility = 'shared' AND (i.owner <=> ? OR ").append(member).append(")");
                args.add(projectId);
                args.addAll(memberArgs);
            }
            case "private" -> {
                where.append(" AND i.visibility = 'private' AND i.owner <=> ?");
                args.add(projectId);
            }
            default -> {
                where.append(" AND i.visibility = ?");
                args.add(visibility);
            }
        }
    }

    /** A caller without a project matches no membership (and no owner). */
    private static String nullSafe(String projectId) {
        return projectId == null ? "" : projectId;
    }

    /** Rows strictly after the marker in the sort order: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... */
    private static void keyset(Connection c, List<SortKey> keys, String marker, StringBuilder where,
                               List<Object> args) throws SQLException {
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(SORT_EXPRESSIONS.get(keys.get(i).key()));
        }
        select.append(" FROM images i WHERE i.id = ?");
        Object[] values = new Object[keys.size()];
        try (PreparedStatement ps = c.prepareStatement(select.toString())) {
            ps.setString(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("marker not found: " + marker);
                }
                for (int i = 0; i < keys.size(); i++) {
                    values[i] = rs.getObject(i + 1);
                }
            }
        }
        where.append(" AND (");
        for (int i = 0; i < keys.size(); i++) {
            where.append(i == 0 ? "(" : " OR (");
            for (int j = 0; j < i; j++) {
                where.append(SORT_EXPRESSIONS.get(keys.get(j).key())).append(" = ? AND ");
                args.add(values[j]);
            }
            where.append(SORT_EXPRESSIONS.get(keys.get(i).key())).append(keys.get(i).ascending() ? " > ?" : " < ?")
                    .append(")");
            args.add(values[i]);
        }
        where.append(")");
    }
}
