package com.xloud.image.core.internal;

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

    public static ImportSettings defaults(java.nio.file.Path stagingDir) {
        return new ImportSettings(List.of("glance-direct", "web-download", "copy-image"), stagingDir, 4,
                ImportFilter.glanceDefaults(), java.time.Duration.ofSeconds(60), GlanceDownload.DEFAULT_PREFIXES);
    }
}
