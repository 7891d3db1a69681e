package com.xloud.image.api.images;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operator syntax of Glance's list filters: {@code in:a,"b,c"} lists for id, name, status and
 * the formats, and {@code gt:|gte:|eq:|neq:|lt:|lte:} comparisons with an ISO 8601 time for
 * created_at and updated_at. Malformed values are {@link ImageException}s (400).
 */
public final class FilterValues {
    /** Filters that take {@code in:}. */
    public static final Set<String> IN_FILTERS = Set.of("id", "name", "status", "container_format", "disk_format");
    /** Filters that take a time comparison. */
    public static final Set<String> TIME_FILTERS = Set.of("created_at", "updated_at");

    /** A comparison: SQL operator and the instant. */
    public record TimeComparison(String sqlOperator, Instant at) {
    }

    private FilterValues() {
    }

    public static boolean isInList(String key, String value) {
        return IN_FILTERS.contains(key) && value.startsWith("in:");
    }

    /** The values of {@code in:v1,"v,2",v3}: comma-separated, double quotes around values with commas. */
    public static List<String> inList(String key, String value) {
        String body = value.substring(3);
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch == '"') {
                if (!quoted && current.length() > 0) {
                    throw ImageException.badRequest("Invalid filter value " + value + ": a quote must start a value");
                }
                quoted = !quoted;
                wasQuoted = true;
            } else if (ch == ',' && !quoted) {
                add(values, current, wasQuoted, key, value);
                current.setLength(0);
                wasQuoted = false;
            } else {
                current.append(ch);
            }
        }
        if (quoted) {
            throw ImageException.badRequest("Invalid filter value " + value + ". The quote is not closed.");
        }
        add(values, current, wasQuoted, key, value);
        return values;
    }

    private static void add(List<String> values, StringBuilder current, boolean quoted, String key, String value) {
        if (current.length() == 0 && !quoted) {
            throw ImageException.badRequest("Invalid filter value " + value + " for " + key + ": empty element");
        }
        values.add(current.toString());
    }

    /** {@code op:time} for created_at/updated_at; a bare time means eq. */
    public static TimeComparison time(String key, String value) {
        String op = "eq";
        String time = value;
        int colon = value.indexOf(':');
        if (colon > 0 && Set.of("gt", "gte", "eq", "neq", "lt", "lte").contains(value.substring(0, colon))) {
            op = value.substring(0, colon);
            time = value.substring(colon + 1);
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            try {
                at = java.time.LocalDateTime.parse(time).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw ImageException.badRequest("Unable to filter by " + key + ": '" + value
                        + "' is not an operator (gt, gte, eq, neq, lt, lte) and an ISO 8601 time.");
            }
        }
        String sql = switch (op) {
            case "gt" -> ">";
            case "gte" -> ">=";
            case "lt" -> "<";
            case "lte" -> "<=";
            case "neq" -> "<>";
            default -> "=";
        };
        return new TimeComparison(sql, at);
    }
}
