package com.xloud.image.api.images;

import java.util.List;
import java.util.Map;

/**
 * A list request: equality filters on core attributes and extra properties, tags (all must match),
 * size bounds, sort keys (id is always added last), a page size and the marker (last id seen).
 */
public record ImageQuery(Map<String, String> filters, List<String> tags, Long sizeMin, Long sizeMax,
                         List<SortKey> sort, int limit, String marker) {

    public ImageQuery {
        filters = Map.copyOf(filters);
        tags = List.copyOf(tags);
        sort = List.copyOf(sort);
    }

    public record SortKey(String key, boolean ascending) {
    }
}
