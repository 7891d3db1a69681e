package com.xloud.image.core.internal;

import java.util.List;

/** Interoperable import: methods offered, the staging area, workers, web-download filtering. */
public record ImportSettings(List<String> methods, java.nio.file.Path stagingDir, int workers, ImportFilter filter,
                             java.time.Duration stallTimeout) {
    public static ImportSettings defaults(java.nio.file.Path stagingDir) {
        return new ImportSettings(List.of("glance-direct", "web-download", "copy-image"), stagingDir, 4,
                ImportFilter.glanceDefaults(), java.time.Duration.ofSeconds(60));
    }
}
