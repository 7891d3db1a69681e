package com.xloud.image.registry.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.AuditQuery;
import com.xloud.image.api.images.ImageEventRecord;
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

/**
 * Reads the event store as an audit trail: the events are the record of who did what, so the
 * trail is read from them directly, never from the projection.
 */
final class AuditTrail {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "globalIndex, aggregateIdentifier, sequenceNumber, payloadType, payload";
    private static final String EVENTS_PACKAGE = "com.xloud.image.api.events.";

    private AuditTrail() {
    }

    static List<ImageEventRecord> history(Connection c, String imageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM DomainEventEntry"
                + " WHERE aggregateIdentifier = ? ORDER BY sequenceNumber")) {
            ps.setString(1, imageId);
            return read(ps);
        }
    }

    static List<ImageEventRecord> audit(Connection c, AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM DomainEventEntry WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.imageId() != null) {
            sql.append(" AND aggregateIdentifier = ?");
            args.add(q.imageId());
        }
        if (q.type() != null) {
            sql.append(" AND payloadType = ?");
            args.add(EVENTS_PACKAGE + q.type());
        }
        if (q.projectId() != null) {
            sql.append(" AND JSON_VALUE(CONVERT(payload USING utf8mb4), '$.origin.projectId') = ?");
            args.add(q.projectId());
        }
        if (q.userId() != null) {
            sql.append(" AND JSON_VALUE(CONVERT(payload USING utf8mb4), '$.origin.userId') = ?");
            args.add(q.userId());
        }
        if (q.since() != null) {
            sql.append(" AND timeStamp >= ?");
            args.add(q.since().toString());
        }
        if (q.until() != null) {
            sql.append(" AND timeStamp < ?");
            args.add(q.until().toString());
        }
        if (q.marker() != null) {
            sql.append(q.ascending() ? " AND globalIndex > ?" : " AND globalIndex < ?");
            args.add(q.marker());
        }
        sql.append(" ORDER BY globalIndex ").append(q.ascending() ? "ASC" : "DESC").append(" LIMIT ?");
        args.add(q.limit());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ImageRows.bind(ps, args);
            return read(ps);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<ImageEventRecord> read(PreparedStatement ps) throws SQLException {
        List<ImageEventRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> payload;
                try {
                    payload = JSON.readValue(rs.getBytes(5), LinkedHashMap.class);
                } catch (IOException e) {
                    throw new SQLException("unreadable event " + rs.getLong(1), e);
                }
                Map<String, Object> origin = payload.remove("origin") instanceof Map<?, ?> o
                        ? (Map<String, Object>) o : Map.of();
                payload.remove("imageId");
                String type = rs.getString(4);
                Object at = origin.get("at");
                out.add(new ImageEventRecord(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        type.startsWith(EVENTS_PACKAGE) ? type.substring(EVENTS_PACKAGE.length()) : type,
                        at == null ? null : Instant.parse(String.valueOf(at)), (String) origin.get("userId"),
                        (String) origin.get("projectId"),
                        origin.get("roles") instanceof List<?> r ? (List<String>) r : List.of(),
                        (String) origin.get("nodeId"), (String) origin.get("requestId"), payload));
            }
        }
        return out;
    }
}
