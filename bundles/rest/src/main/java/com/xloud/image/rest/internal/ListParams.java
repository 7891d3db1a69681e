package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageQuery;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Glance's list query parameters: limit, marker, sort_key/sort_dir or sort, tag, size bounds, filters. */
final class ListParams {
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> NOT_FILTERS = Set.of("limit", "marker", "sort_key", "sort_dir", "sort", "tag",
            "size_min", "size_max");

    private ListParams() {
    }

    static ImageQuery parse(MultivaluedMap<String, String> params) {
        int limit = DEFAULT_LIMIT;
        String limitParam = params.getFirst("limit");
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                throw ImageException.badRequest("limit param must be an integer");
            }
            if (limit < 0) {
                throw ImageException.badRequest("limit param must be positive");
            }
            limit = Math.min(limit, MAX_LIMIT);
        }
        String marker = params.getFirst("marker");
        Map<String, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (p.getKey().equals("changes-since")) {
                throw ImageException.badRequest("The changes-since filter is no longer available on v2.");
            }
            if (!NOT_FILTERS.contains(p.getKey()) && !p.getValue().isEmpty()) {
                filters.put(p.getKey(), p.getValue().get(0));
            }
        }
        List<String> tags = params.getOrDefault("tag", List.of());
        return new ImageQuery(filters, tags, longParam(params, "size_min"), longParam(params, "size_max"),
                sortKeys(params), limit, marker);
    }

    private static Long longParam(MultivaluedMap<String, String> params, String name) {
        String v = params.getFirst(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ImageException.badRequest("Invalid value for " + name + ": " + v);
        }
    }

    private static List<ImageQuery.SortKey> sortKeys(MultivaluedMap<String, String> params) {
        List<String> keys = params.getOrDefault("sort_key", List.of());
        List<String> dirs = params.getOrDefault("sort_dir", List.of());
        String sort = params.getFirst("sort");
        List<ImageQuery.SortKey> result = new ArrayList<>();
        if (sort != null) {
            if (!keys.isEmpty() || !dirs.isEmpty()) {
                throw ImageException.badRequest("The 'sort' parameter cannot be combined with 'sort_key' or 'sort_dir'.");
            }
            for (String part : sort.split(",")) {
                String[] kd = part.trim().split(":");
                if (kd.length > 2 || kd[0].isBlank()) {
                    throw ImageException.badRequest("Invalid sort value: " + part);
                }
                result.add(new ImageQuery.SortKey(kd[0].trim(), ascending(kd.length == 2 ? kd[1].trim() : "desc")));
            }
            return result;
        }
        if (dirs.size() > 1 && dirs.size() != keys.size()) {
            throw ImageException.badRequest("Number of sort dirs does not match the number of sort keys");
        }
        for (int i = 0; i < keys.size(); i++) {
            String dir = dirs.isEmpty() ? "desc" : dirs.get(dirs.size() == 1 ? 0 : i);
            result.add(new ImageQuery.SortKey(keys.get(i), ascending(dir)));
        }
        if (result.isEmpty()) {
            result.add(new ImageQuery.SortKey("created_at", dirs.isEmpty() ? false : ascending(dirs.get(0))));
        }
        return result;
    }

    private static boolean ascending(String dir) {
        return switch (dir) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw ImageException.badRequest("Invalid sort direction: " + dir);
        };
    }

    /**
     * This request's query string as the client wrote it, in its order, without the marker
     * (Glance's "first" link), or with a new marker appended (the "next" link).
     */
    static String link(String rawQuery, String marker) {
        StringBuilder sb = new StringBuilder("/v2/images");
        char sep = '?';
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty() || pair.equals("marker") || pair.startsWith("marker=")) {
                    continue;
                }
                sb.append(sep).append(pair);
                sep = '&';
            }
        }
        if (marker != null) {
            sb.append(sep).append("marker=").append(enc(marker));
        }
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
