package com.xloud.image.core.internal;

import com.xloud.image.api.images.LocationView;
import com.xloud.image.core.command.Limits;
import com.xloud.image.core.kernel.KernelSettings;
import org.osgi.framework.BundleContext;

/** What the image service needs to know besides its collaborators, read from its configuration. */
public record Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore,
                       Limits limits, ProjectQuotas quotas, Cluster cluster,
                       boolean inspectionRequired, LocationView shownLocations) {
    /**
     * How this node works with the others on the same database: the URL they reach it at (null:
     * it does not take requests forwarded by them), how long a transfer may make no progress
     * before another node declares it dead and cleans up after it, and how often the data of
     * deleted images that a store could not remove at the delete is tried again.
     */
    public record Cluster(String selfUrl, java.time.Duration transferStall, java.time.Duration scrubRetry) {
        public Cluster {
            if (transferStall.isNegative() || transferStall.isZero()) {
                throw new IllegalArgumentException("transfer.stall.seconds must be positive");
            }
            if (scrubRetry.isNegative() || scrubRetry.isZero()) {
                throw new IllegalArgumentException("scrub.retry.seconds must be positive");
            }
        }

        public static Cluster defaults() {
            return new Cluster(null, java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(60));
        }
    }

    public Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore,
                    Limits limits, ProjectQuotas quotas) {
        this(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, quotas, Cluster.defaults(), false,
                LocationView.NONE);
    }

    public Settings withCluster(Cluster cluster) {
        return new Settings(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, quotas, cluster,
                inspectionRequired, shownLocations);
    }

    /**
     * Which location fields image bodies may show (Glance: show_multiple_locations,
     * show_image_direct_url); the get_image_location policy decides per caller.
     */
    public Settings withShownLocations(LocationView shown) {
        return new Settings(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, quotas, cluster,
                inspectionRequired, shown);
    }

    /**
     * true (a node's default): uploads and imports are refused (503) while no disk-format
     * inspection filter runs; false: data is accepted uninspected then (the default of the
     * settings made in code, as tests make them, with no OSGi filters around).
     */
    public Settings withInspectionRequired(boolean required) {
        return new Settings(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, quotas, cluster,
                required, shownLocations);
    }

    /** The worker self-reference URL (default: the launcher's host and port) and the stall time. */
    static Cluster cluster(BundleContext context, CoreConfig config) {
        String url = config.worker_self_reference_url();
        if (url.isBlank()) {
            String host = context.getProperty("xloud.http.host");
            String port = context.getProperty("xloud.http.port");
            url = host == null || port == null ? null : "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                    + port;
        }
        return new Cluster(url == null ? null : url.replaceAll("/+$", ""),
                java.time.Duration.ofSeconds(config.transfer_stall_seconds()),
                java.time.Duration.ofSeconds(config.scrub_retry_seconds()));
    }

    public Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore) {
        this(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, Limits.GLANCE_DEFAULTS);
    }

    public Settings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore, Limits limits) {
        this(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, ProjectQuotas.unlimited());
    }

    /** What the bundles of the other use cases read of these settings. */
    public KernelSettings kernel() {
        return new KernelSettings(nodeId, hashingAlgorithm, imageSizeCap, defaultStore, limits, shownLocations);
    }
}
