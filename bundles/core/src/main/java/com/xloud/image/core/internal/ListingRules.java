package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.ImageAttributes;
import com.xloud.image.api.images.FilterValues;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageStatus;
import java.util.List;
import java.util.Set;

/** The checks Glance makes on a list request before it queries (400 on anything malformed). */
final class ListingRules {
    static final Set<String> SORT_KEYS = Set.of("name", "status", "container_format", "disk_format", "size", "id",
            "created_at", "updated_at");
    private static final Set<String> VISIBILITIES = Set.of("public", "private", "shared", "community", "all");

    private ListingRules() {
    }

    static void validate(ImageQuery q, int maxLimit) {
        if (q.limit() < 0) {
            throw ImageException.badRequest("limit param must be positive");
        }
        if (q.limit() > maxLimit) {
            throw new IllegalStateException("limit above the cap must be clamped before validation");
        }
        for (ImageQuery.SortKey k : q.sort()) {
            if (!SORT_KEYS.contains(k.key())) {
                throw ImageException.badRequest("Invalid sort key: " + k.key() + ". It must be one of the following: "
                        + String.join(", ", SORT_KEYS.stream().sorted().toList()) + ".");
            }
        }
        String status = q.filters().get("status");
        if (status != null) {
            for (String one : FilterValues.isInList("status", status) ? FilterValues.inList("status", status) : List.of(status)) {
                try {
                    ImageStatus.fromWire(one);
                } catch (IllegalArgumentException e) {
                    throw ImageException.badRequest("Invalid status value: " + one);
                }
            }
        }
        for (String key : FilterValues.IN_FILTERS) {
            String v = q.filters().get(key);
            if (v != null && FilterValues.isInList(key, v)) {
                FilterValues.inList(key, v);
            }
        }
        for (String key : FilterValues.TIME_FILTERS) {
            String v = q.filters().get(key);
            if (v != null) {
                FilterValues.time(key, v);
            }
        }
        if (q.sizeMin() != null && q.sizeMin() < 0 || q.sizeMax() != null && q.sizeMax() < 0) {
            throw ImageException.badRequest("size_min and size_max must not be negative");
        }
        String visibility = q.filters().get("visibility");
        if (visibility != null && !VISIBILITIES.contains(visibility)) {
            throw ImageException.badRequest("Invalid visibility value: " + visibility);
        }
        String memberStatus = q.filters().get("member_status");
        if (memberStatus != null && !Set.of("accepted", "pending", "rejected", "all").contains(memberStatus)) {
            throw ImageException.badRequest("Invalid status: " + memberStatus + " (member_status must be one of"
                    + " accepted, pending, rejected, all)");
        }
        for (String bool : new String[] {"protected", "os_hidden"}) {
            String v = q.filters().get(bool);
            if (v != null && bool.equals("os_hidden")) {
                v = v.toLowerCase(java.util.Locale.ROOT); // as Glance: openstacksdk sends os_hidden=True
            }
            if (v != null && !v.equals("true") && !v.equals("false")) {
                throw ImageException.badRequest("Invalid value for " + bool + ": " + v + " (expected true or false)");
            }
        }
        for (String num : new String[] {"min_ram", "min_disk", "size", "virtual_size"}) {
            String v = q.filters().get(num);
            if (v != null && !v.matches(num.startsWith("min_") ? "\\d{1,9}" : "\\d{1,18}")) {
                throw ImageException.badRequest("Invalid value for " + num + ": " + v);
            }
        }
        if (q.marker() != null && !ImageAttributes.isUuid(q.marker())) {
            throw ImageException.badRequest("marker " + q.marker() + " could not be found.");
        }
    }
}
