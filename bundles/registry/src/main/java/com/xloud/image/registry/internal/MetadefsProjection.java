package com.xloud.image.registry.internal;

import com.xloud.image.api.events.Origin;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventHandler;

/**
 * Translates the catalog's events into the metadef_* tables, in the unit of work that appends
 * them. Children go with their namespace (the foreign keys cascade); a resource type row is made
 * by the first association that names it and stays.
 */
public final class MetadefsProjection {
    private final RegistryProjection images;

    MetadefsProjection(RegistryProjection images) {
        this.images = images;
    }

    private void update(String sql, Object... args) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            List<Object> values = new ArrayList<>(args.length);
            for (Object a : args) {
                values.add(a instanceof java.time.Instant t ? RegistryProjection.ts(t) : a);
            }
            ImageRows.bind(ps, values);
            ps.executeUpdate();
        }
    }

    private static java.time.Instant at(Origin origin) {
        return origin.at();
    }

    @EventHandler
    public void on(NamespaceCreated e) throws SQLException {
        update("INSERT INTO metadef_namespaces (id, namespace, display_name, description, visibility, protected,"
                        + " owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.namespaceId(),
                e.namespace(), e.displayName(), e.description(), e.visibility(), e.isProtected(), e.owner(),
                at(e.origin()), at(e.origin()));
    }

    @EventHandler
    public void on(NamespaceUpdated e) throws SQLException {
        update("UPDATE metadef_namespaces SET namespace = ?, display_name = ?, description = ?, visibility = ?,"
                        + " protected = ?, owner = ?, updated_at = ? WHERE id = ?", e.namespace(), e.displayName(),
                e.description(), e.visibility(), e.isProtected(), e.owner(), at(e.origin()), e.namespaceId());
    }

    @EventHandler
    public void on(NamespaceDeleted e) throws SQLException {
        update("DELETE FROM metadef_namespaces WHERE id = ?", e.namespaceId());
    }

    @EventHandler
    public void on(MetadefObjectAdded e) throws SQLException {
        update("INSERT INTO metadef_objects (namespace_id, name, definition, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)", e.namespaceId(), e.name(), Json.write(e.definition()),
                at(e.origin()), at(e.origin()));
    }

    @EventHandler
    public void on(MetadefObjectUpdated e) throws SQLException {
        update("UPDATE metadef_objects SET name = ?, definition = ?, updated_at = ? WHERE namespace_id = ? AND name = ?",
                e.newName(), Json.write(e.definition()), at(e.origin()), e.namespaceId(), e.name());
    }

    @EventHandler
    public void on(MetadefObjectRemoved e) throws SQLException {
        update("DELETE FROM metadef_objects WHERE namespace_id = ? AND name = ?", e.namespaceId(), e.name());
    }

    @EventHandler
    public void on(MetadefPropertyAdded e) throws SQLException {
        update("INSERT INTO metadef_properties (namespace_id, name, definition, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)", e.namespaceId(), e.name(), Json.write(e.definition()),
                at(e.origin()), at(e.origin()));
    }

    @EventHandler
    public void on(MetadefPropertyUpdated e) throws SQLException {
        update("UPDATE metadef_properties SET name = ?, definition = ?, updated_at = ?"
                        + " WHERE namespace_id = ? AND name = ?",
                e.newName(), Json.write(e.definition()), at(e.origin()), e.namespaceId(), e.name());
    }

    @EventHandler
    public void on(MetadefPropertyRemoved e) throws SQLException {
        update("DELETE FROM metadef_properties WHERE namespace_id = ? AND name = ?", e.namespaceId(), e.name());
    }

    @EventHandler
    public void on(MetadefTagAdded e) throws SQLException {
        update("INSERT INTO metadef_tags (namespace_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                e.namespaceId(), e.name(), at(e.origin()), at(e.origin()));
    }

    @EventHandler
    public void on(MetadefTagRenamed e) throws SQLException {
        update("UPDATE metadef_tags SET name = ?, updated_at = ? WHERE namespace_id = ? AND name = ?",
                e.newName(), at(e.origin()), e.namespaceId(), e.name());
    }

    @EventHandler
    public void on(MetadefTagRemoved e) throws SQLException {
        update("DELETE FROM metadef_tags WHERE namespace_id = ? AND name = ?", e.namespaceId(), e.name());
    }

    @EventHandler
    public void on(ResourceTypeAssociated e) throws SQLException {
        update("INSERT IGNORE INTO metadef_resource_types (name, protected, created_at, updated_at)"
                + " VALUES (?, FALSE, ?, ?)", e.resourceType(), at(e.origin()), at(e.origin()));
        update("INSERT INTO metadef_namespace_resource_types (namespace_id, resource_type, prefix,"
                        + " properties_target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", e.namespaceId(),
                e.resourceType(), e.prefix(), e.propertiesTarget(), at(e.origin()), at(e.origin()));
    }

    @EventHandler
    public void on(ResourceTypeDissociated e) throws SQLException {
        update("DELETE FROM metadef_namespace_resource_types WHERE namespace_id = ? AND resource_type = ?",
                e.namespaceId(), e.resourceType());
    }
}
