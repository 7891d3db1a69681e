package com.xloud.image.core.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ProjectUsage;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Glance's per-project quotas (image_size_total and image_stage_total in MiB, image_count_total,
 * image_count_uploading), with the limits kept locally in {@code etc/com.xloud.image.quota.cfg}
 * instead of Keystone: {@code quota.default.<quota>} for every project,
 * {@code quota.project.<id>.<quota>} for one; -1 is unlimited. Enforced as oslo.limit does: over when usage + delta > limit.
 */
public final class ProjectQuotas {
    static final List<String> NAMES = List.of("image_size_total", "image_stage_total", "image_count_total",
            "image_count_uploading");
    private static final long MIB = 1024L * 1024L;

    private final Map<String, Long> defaults = new HashMap<>();
    private final Map<String, Map<String, Long>> perProject = new HashMap<>();

    public static ProjectQuotas unlimited() {
        return new ProjectQuotas(Map.of());
    }

    /**
     * Reads the {@code quota.default.*} and {@code quota.project.<id>.*} keys (the component's other
     * properties pass by); anything malformed stops the start, naming its key.
     */
    public ProjectQuotas(Map<String, ?> properties) {
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            String quota = null;
            String project = null;
            if (key.startsWith("quota.default.")) {
                quota = key.substring("quota.default.".length());
            } else if (key.startsWith("quota.project.") && key.lastIndexOf('.') > "quota.project.".length()) {
                project = key.substring("quota.project.".length(), key.lastIndexOf('.'));
                quota = key.substring(key.lastIndexOf('.') + 1);
            } else {
                continue;
            }
            if (!NAMES.contains(quota)) {
                throw new IllegalArgumentException("com.xloud.image.quota: unknown quota '" + quota + "' in key " + key
                        + "; known: " + NAMES);
            }
            long limit;
            try {
                limit = Long.parseLong(String.valueOf(e.getValue()).strip());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("com.xloud.image.quota: " + key + " must be a whole number (-1: unlimited),"
                        + " got '" + e.getValue() + "'");
            }
            if (limit < -1) {
                throw new IllegalArgumentException("com.xloud.image.quota: " + key + " must be -1 or more, got " + limit);
            }
            if (project == null) {
                defaults.put(quota, limit);
            } else {
                perProject.computeIfAbsent(project, p -> new HashMap<>()).put(quota, limit);
            }
        }
    }

    long limit(String project, String quota) {
        Map<String, Long> own = perProject.get(project);
        if (own != null && own.containsKey(quota)) {
            return own.get(quota);
        }
        return defaults.getOrDefault(quota, -1L);
    }

    static long usage(ProjectUsage u, String quota) {
        return switch (quota) {
            case "image_size_total" -> u.storedBytes() / MIB;
            case "image_stage_total" -> u.stagedBytes() / MIB;
            case "image_count_total" -> u.images();
            case "image_count_uploading" -> u.uploading();
            default -> throw new IllegalArgumentException(quota);
        };
    }

    /** 413 when {@code usage + delta > limit}, worded as oslo.limit words it. */
    void enforce(String project, ProjectUsage usage, String quota, long delta) {
        long limit = limit(project, quota);
        long current = usage(usage, quota);
        if (limit >= 0 && current + delta > limit) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Project " + project + " is over a limit for"
                    + " [Resource " + quota + " is over limit of " + limit + " due to current usage " + current
                    + " and delta " + delta + "]");
        }
    }

    boolean limits(String project) {
        return NAMES.stream().anyMatch(q -> limit(project, q) >= 0);
    }

    /** The body of {@code GET /v2/info/usage}. */
    Map<String, Object> report(String project, ProjectUsage usage) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String q : NAMES) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("limit", limit(project, q));
            one.put("usage", usage(usage, q));
            out.put(q, one);
        }
        return out;
    }
}
