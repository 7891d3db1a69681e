package com.xloud.image.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.axonframework.eventhandling.EventHandler;
import com.xloud.image.api.events.MemberAdded;
import com.xloud.image.api.events.MemberRemoved;
import com.xloud.image.api.events.MemberStatusChanged;

/** Translates membership events into image_members rows, in the unit of work that appends them. */
public final class SharingProjection {
    private final RegistryProjection images;

    SharingProjection(RegistryProjection images) {
        this.images = images;
    }

    @EventHandler
    public void on(MemberAdded e) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO image_members (image_id, member_id, status,"
                + " created_at, updated_at) VALUES (?, ?, 'pending', ?, ?)")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.memberId());
            ps.setObject(3, RegistryProjection.ts(e.origin().at()));
            ps.setObject(4, RegistryProjection.ts(e.origin().at()));
            ps.executeUpdate();
        }
    }

    @EventHandler
    public void on(MemberStatusChanged e) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement("UPDATE image_members SET status = ?, updated_at = ?"
                + " WHERE image_id = ? AND member_id = ?")) {
            ps.setString(1, e.status());
            ps.setObject(2, RegistryProjection.ts(e.origin().at()));
            ps.setString(3, e.imageId());
            ps.setString(4, e.memberId());
            ps.executeUpdate();
        }
    }

    @EventHandler
    public void on(MemberRemoved e) throws SQLException {
        Connection c = images.connection();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_members WHERE image_id = ? AND member_id = ?")) {
            ps.setString(1, e.imageId());
            ps.setString(2, e.memberId());
            ps.executeUpdate();
        }
    }
}
