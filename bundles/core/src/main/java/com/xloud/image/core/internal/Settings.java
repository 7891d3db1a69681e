package com.xloud.image.core.internal;

import com.xloud.image.core.internal.command.Limits;
import java.util.List;
import org.osgi.framework.BundleContext;

/** What the image service needs to know besides its collaborators, read from its configuration. */
public record Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore,
                       Limits limits, ProjectQuotas quotas, ImportSettings imports) {
    public Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore) {
        this(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, Limits.GLANCE_DEFAULTS);
    }

    public Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore, Limits limits) {
        this(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, ProjectQuotas.unlimited());
    }

    public Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore, Limits limits,
                    ProjectQuotas quotas) {
        this(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, quotas, ImportSettings.defaults(
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "xloud-staging-" + nodeId)));
    }

    public Settings withImports(ImportSettings imports) {
        return new Settings(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, quotas, imports);
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

    static ImportSettings imports(BundleContext context, CoreConfig config) {
        List<String> methods = list(config.enabled_import_methods());
        for (String m : methods) {
            if (!List.of("glance-direct", "web-download", "copy-image").contains(m)) {
                throw new IllegalArgumentException("enabled.import.methods: unknown method '" + m
                        + "' (known: glance-direct, web-download, copy-image)");
            }
        }
        if (config.import_workers() < 1) {
            throw new IllegalArgumentException("import.workers must be at least 1, got " + config.import_workers());
        }
        String dataDir = context.getProperty("xloud.data.dir");
        java.nio.file.Path staging = config.staging_dir().isBlank()
                ? java.nio.file.Path.of(dataDir == null ? "data" : dataDir, "staging")
                : java.nio.file.Path.of(config.staging_dir());
        ImportFilter filter = new ImportFilter(list(config.import_allowed_schemes()),
                list(config.import_disallowed_schemes()), list(config.import_allowed_hosts()),
                list(config.import_disallowed_hosts()), ports("import.allowed.ports", config.import_allowed_ports()),
                ports("import.disallowed.ports", config.import_disallowed_ports()));
        return new ImportSettings(methods, staging, config.import_workers(), filter,
                java.time.Duration.ofSeconds(config.web_download_stall_seconds()));
    }
}
