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

    /**
     * Sort columns; a nullable attribute sorts by its stored NOT NULL twin (see migration V8), so
     * that the order and the keyset agree and an index serves both.
     */
    private static final Map<String, String> SORT_EXPRESSIONS = Map.of(
            "name", "i.sort_name",
            "status", "i.status",
            "container_format", "i.sort_container_format",
            "disk_format", "i.sort_disk_format",
            "size", "i.sort_size",
            "id", "i.id",
            "created_at", "i.created_at",
            "updated_at", "i.updated_at");

    /** The index that serves each first sort key (see migrations V2 and V8). */
    private static final Map<String, String> SORT_INDEXES = Map.of(
            "name", "ix_images_sort_name",
            "status", "ix_images_sort_status",
            "container_format", "ix_images_sort_container_format",
            "disk_format", "ix_images_sort_disk_format",
            "size", "ix_images_sort_size",
            "id", "PRIMARY",
            "created_at", "ix_images_created",
            "updated_at", "ix_images_updated");

    /** Filters on columns of the images table; any other key is an extra property. */
    private static final Map<String, String> COLUMN_FILTERS = Map.ofEntries(
            Map.entry("name", "i.name"), Map.entry("status", "i.status"), Map.entry("owner", "i.owner"),
            Map.entry("disk_format", "i.disk_format"), Map.entry("container_format", "i.container_format"),
            Map.entry("id", "i.id"), Map.entry("checksum", "i.checksum"), Map.entry("os_hash_value", "i.os_hash_value"),
            Map.entry("min_ram", "i.min_ram"), Map.entry("min_disk", "i.min_disk"), Map.entry("size", "i.size"),
            Map.entry("virtual_size", "i.virtual_size"));

    private ImageListing() {
    }

    static boolean sortable(String key) {
        return SORT_EXPRESSIONS.containsKey(key);
    }

    static ImagePage list(Connection c, ImageQuery q, String projectId, boolean admin, Image markerImage)
            throws SQLException {
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
            Image marker = markerImage != null && markerImage.id().equals(q.marker()) ? markerImage
                    : findMarker(c, q.marker());
            keyset(keys, marker, where, args);
        }
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            order.append(i == 0 ? "" : ", ").append(SORT_EXPRESSIONS.get(keys.get(i).key()))
                    .append(keys.get(i).ascending() ? " ASC" : " DESC");
        }
        // After a marker, MariaDB tends to walk the sort index from its start and filter the rows
        // before the marker one by one (page 50 then costs fifty pages); naming the index makes it
        // seek to the marker's range.
        String table = q.marker() == null ? " FROM images i"
                : " FROM images i FORCE INDEX (" + SORT_INDEXES.get(keys.get(0).key()) + ")";
        String sql = "SELECT " + ImageRows.COLUMNS + table + where + order + " LIMIT ?";
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

    private static Image findMarker(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ImageRows.COLUMNS + " FROM images i WHERE i.id = ?")) {
            ps.setString(1, id);
            return ImageRows.read(ps).stream().findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("marker not found: " + id));
        }
    }

    /** A sort key's value for the marker image, as the sort column holds it. */
    private static Object sortValue(String key, Image m) {
        return switch (key) {
            case "name" -> m.name() == null ? "" : m.name();
            case "status" -> m.status().wire();
            case "container_format" -> m.containerFormat() == null ? "" : m.containerFormat();
            case "disk_format" -> m.diskFormat() == null ? "" : m.diskFormat();
            case "size" -> m.size() == null ? -1L : m.size();
            case "id" -> m.id();
            case "created_at" -> RegistryProjection.ts(m.createdAt());
            case "updated_at" -> RegistryProjection.ts(m.updatedAt());
            default -> throw new IllegalArgumentException("not a sort key: " + key);
        };
    }

    /** Rows strictly after the marker in the sort order: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... */
    private static void keyset(List<SortKey> keys, Image marker, StringBuilder where, List<Object> args) {
        Object[] values = new Object[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            values[i] = sortValue(keys.get(i).key(), marker);
        }
        // The first key's bound, redundant with the OR chain below, lets the database read a range
        // of the sort index from the marker on instead of filtering every row from the start.
        where.append(" AND ").append(SORT_EXPRESSIONS.get(keys.get(0).key()))
                .append(keys.get(0).ascending() ? " >= ?" : " <= ?");
        args.add(values[0]);
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
