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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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
    /** The packages of the stored event types: the images' and the metadata definitions catalog's. */
    private static final List<String> EVENTS_PACKAGES = List.of("com.xloud.image.api.events.",
            "com.xloud.image.api.metadefs.events.");
    private static final DateTimeFormatter EVENT_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    /** The range the fixed-width text can show; times outside it filter as its ends. */
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

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
            sql.append(" AND payloadType IN (?, ?)");
            EVENTS_PACKAGES.forEach(p -> args.add(p + q.type()));
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
            sql.append(" AND event_at >= ?");
            args.add(eventAt(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND event_at < ?");
            args.add(eventAt(q.until()));
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

    /**
     * {@code t} as the event_at column writes times (migration V13). Events are stamped to the
     * microsecond, so for any finer {@code t}, "at >= t" and "at < t" both mean the same as with
     * {@code t} rounded up to the next microsecond: a filter of any resolution is exact.
     */
    static String eventAt(Instant t) {
        Instant micros = t.truncatedTo(ChronoUnit.MICROS);
        if (micros.isBefore(t)) {
            micros = micros.plus(1, ChronoUnit.MICROS);
        }
        if (micros.isBefore(FIRST)) {
            micros = FIRST;
        } else if (micros.isAfter(LAST)) {
            micros = LAST;
        }
        return EVENT_AT.format(micros);
    }

    private static String shortType(String type) {
        for (String p : EVENTS_PACKAGES) {
            if (type.startsWith(p)) {
                return type.substring(p.length());
            }
        }
        return type;
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
                payload.remove("namespaceId");
                String type = rs.getString(4);
                Object at = origin.get("at");
                out.add(new ImageEventRecord(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        shortType(type),
                        at == null ? null : Instant.parse(String.valueOf(at)), (String) origin.get("userId"),
                        (String) origin.get("projectId"),
                        origin.get("roles") instanceof List<?> r ? (List<String>) r : List.of(),
                        (String) origin.get("nodeId"), (String) origin.get("requestId"), payload));
            }
        }
        return out;
    }
}
