package com.xloud.image.registry.internal;

import com.xloud.image.api.events.DataLeftBehind;
import com.xloud.image.api.events.DataScrubbed;
import com.xloud.image.api.events.LocationAdded;
import com.xloud.image.api.events.LocationRemoved;
import com.xloud.image.api.events.LocationsSet;
import com.xloud.image.api.images.ImageLocation;
import com.xloud.image.api.images.TextLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import org.axonframework.eventhandling.EventHandler;

/**
 * Where an image's data is: image_locations (every location in order, with its store and
 * metadata) and image_stray_data (data the image no longer uses that a store still holds),
 * translated from the location events in the unit of work that appends them.
 */
public final class LocationProjection {
    private final RegistryProjection images;

    LocationProjection(RegistryProjection images) {
        this.images = images;
    }

    @EventHandler
    public void on(LocationAdded e) throws SQLException {
        add(images.connection(), e.imageId(), e.storeId(), e.location(), e.origin().at());
        RegistryProjection.touch(images.connection(), e.imageId(), e.origin().at());
    }

    @EventHandler
    public void on(LocationRemoved e) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_locations WHERE image_id = ? AND store_id = ?"
                + " AND location = ?")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.storeId());
            ps.setString(3, e.location());
            ps.executeUpdate();
        }
        // the first location moves to a remaining copy when its store gave the data up
        try (PreparedStatement ps = c.prepareStatement("UPDATE images i JOIN (SELECT store_id, location FROM image_locations"
                + " WHERE image_id = ? ORDER BY position LIMIT 1) l SET i.store_id = l.store_id,"
                + " i.location = l.location WHERE i.id = ? AND i.store_id = ?")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.imageId());
            ps.setString(3, e.storeId());
            ps.executeUpdate();
        }
        RegistryProjection.touch(c, e.imageId(), e.origin().at());
        ImageDocuments.refreshLocations(c, e.imageId());
    }

    /** A JSON-patch on /locations: the list as it is now; the image reads its data from the first. */
    @EventHandler
    public void on(LocationsSet e) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_locations WHERE image_id = ?")) {
            ps.setString(1, e.imageId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO image_locations (image_id, store_id, location,"
                + " created_at, position, metadata_json) VALUES (?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (ImageLocation l : e.locations()) {
                ps.setString(1, e.imageId());
                ps.setString(2, l.storeId());
                ps.setString(3, l.url());
                ps.setObject(4, RegistryProjection.ts(e.origin().at()));
                ps.setInt(5, position++);
                ps.setString(6, l.metadata().isEmpty() ? null : Json.write(l.metadata()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!e.locations().isEmpty()) {
            ImageLocation first = e.locations().get(0);
            images.update(e.imageId(), e.origin().at(), "store_id = ?, location = ?", first.storeId(), first.url());
        } else {
            RegistryProjection.touch(c, e.imageId(), e.origin().at());
        }
        ImageDocuments.refreshLocations(c, e.imageId());
    }

    /** A store's copy: it replaces the store's first location, or comes last in the list. */
    static void add(Connection c, String imageId, String storeId, String location, Instant at) throws SQLException {
        int updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE image_locations SET location = ? WHERE image_id = ?"
                + " AND store_id = ? ORDER BY position LIMIT 1")) {
            ps.setString(1, location);
            ps.setString(2, imageId);
            ps.setString(3, storeId);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO image_locations (image_id, store_id, location,"
                    + " created_at, position) SELECT ?, ?, ?, ?, COALESCE(MAX(position) + 1, 0) FROM image_locations"
                    + " WHERE image_id = ?")) {
                ps.setString(1, imageId);
                ps.setString(2, storeId);
                ps.setString(3, location);
                ps.setObject(4, RegistryProjection.ts(at));
                ps.setString(5, imageId);
                ps.executeUpdate();
            }
        }
        forgetStray(c, imageId, location); // the image's data again
        ImageDocuments.refreshLocations(c, imageId);
    }

    private static void forgetStray(Connection c, String imageId, String location) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_stray_data WHERE image_id = ? AND location = ?")) {
            ps.setString(1, imageId);
            ps.setString(2, location);
            ps.executeUpdate();
        }
    }

    @EventHandler
    public void on(DataLeftBehind e) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO image_stray_data (image_id, store_id, location, reason,"
                + " recorded_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.storeId());
            ps.setString(3, e.location());
            ps.setString(4, TextLimits.truncate(e.reason(), 1024));
            ps.setObject(5, RegistryProjection.ts(e.origin().at()));
            ps.executeUpdate();
        }
    }

    static void clear(Connection c, String imageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_locations WHERE image_id = ?")) {
            ps.setString(1, imageId);
            ps.executeUpdate();
        }
        ImageDocuments.refreshLocations(c, imageId);
    }

    @EventHandler
    public void on(DataScrubbed e) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET location = NULL WHERE id = ? AND location = ?")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.location());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_locations WHERE image_id = ? AND location = ?")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.location());
            ps.executeUpdate();
        }
        forgetStray(c, e.imageId(), e.location());
        ImageDocuments.refreshLocations(c, e.imageId());
    }
}
