package com.xloud.image.imports.internal;

import java.util.List;

/**
 * Interoperable import: methods offered, the staging area, workers, web-download filtering, and
 * the prefixes of the extra properties glance-download takes over from the source image.
 */
public record ImportSettings(List<String> methods, java.nio.file.Path stagingDir, int workers, ImportFilter filter,
                             java.time.Duration stallTimeout, List<String> glanceDownloadProperties) {
    /** Every method this node can run (Glance's, glance-download included; it is not offered by default). */
    public static final List<String> KNOWN_METHODS =
            List.of("glance-direct", "web-download", "copy-image", "glance-download");

    public ImportSettings {
        methods = List.copyOf(methods);
        glanceDownloadProperties = List.copyOf(glanceDownloadProperties);
        for (String prefix : glanceDownloadProperties) {
            if (prefix.startsWith("os_glance")) {
                throw new IllegalArgumentException("glance.download.properties: '" + prefix
                        + "': os_glance properties are the image service's own and never taken over");
            }
        }
    }

    /** The settings {@code config} gives; {@code dataDir}: where the staging area is unless it says. */
    static ImportSettings read(ImportConfig config, String dataDir) {
        List<String> methods = list(config.enabled_import_methods());
        for (String m : methods) {
            if (!KNOWN_METHODS.contains(m)) {
                throw new IllegalArgumentException("enabled.import.methods: unknown method '" + m
                        + "' (known: " + String.join(", ", KNOWN_METHODS) + ")");
            }
        }
        if (config.import_workers() < 1) {
            throw new IllegalArgumentException("import.workers must be at least 1, got " + config.import_workers());
        }
        if (config.transfer_stall_seconds() <= 0) {
            throw new IllegalArgumentException("transfer.stall.seconds must be positive");
        }
        java.nio.file.Path staging = config.staging_dir().isBlank()
                ? java.nio.file.Path.of(dataDir == null ? "data" : dataDir, "staging")
                : java.nio.file.Path.of(config.staging_dir());
        ImportFilter filter = new ImportFilter(list(config.import_allowed_schemes()),
                list(config.import_disallowed_schemes()), list(config.import_allowed_hosts()),
                list(config.import_disallowed_hosts()), ports("import.allowed.ports", config.import_allowed_ports()),
                ports("import.disallowed.ports", config.import_disallowed_ports()));
        return new ImportSettings(methods, staging, config.import_workers(), filter,
                java.time.Duration.ofSeconds(config.web_download_stall_seconds()),
                list(config.glance_download_properties()));
    }

    private static List<String> list(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static List<Integer> ports(String key, String csv) {
        try {
            return list(csv).stream().map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must list port numbers, got '" + csv + "'");
        }
    }

    public static ImportSettings defaults(java.nio.file.Path stagingDir) {
        return new ImportSettings(List.of("glance-direct", "web-download", "copy-image"), stagingDir, 4,
                ImportFilter.glanceDefaults(), java.time.Duration.ofSeconds(60), GlanceDownload.DEFAULT_PREFIXES);
    }
}
