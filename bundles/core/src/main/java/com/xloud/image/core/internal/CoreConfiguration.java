package com.xloud.image.core.internal;

import com.xloud.image.core.internal.command.Limits;
import com.xloud.image.core.internal.policy.Policy;
import com.xloud.image.core.internal.policy.PropertyProtections;
import com.xloud.image.api.images.LocationView;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the configuration says; a configuration a node cannot start with stops the node while it starts. */
record CoreConfiguration(Settings settings, Policy policy, PropertyProtections protections) {
    private static final Logger LOG = LoggerFactory.getLogger(CoreConfiguration.class);

    static CoreConfiguration read(BundleContext context, CoreConfig config, Map<String, Object> properties) {
        try {
            Settings settings = new Settings(config.node_id().isBlank() ? nodeId(context) : config.node_id(),
                    config.hashing_algorithm(), config.image_size_cap(), config.default_store(),
                    new Limits(config.image_property_quota(), config.image_tag_quota(), config.image_member_quota()),
                    new ProjectQuotas(properties), Settings.imports(context, config))
                    .withCluster(Settings.cluster(context, config))
                    .withInspectionRequired(config.inspection_required())
                    .withShownLocations(new LocationView(config.show_multiple_locations(),
                            config.show_image_direct_url(), true));
            Policy policy = new Policy(config.policy_file().isBlank() ? null
                    : java.nio.file.Path.of(config.policy_file()));
            PropertyProtections protections = config.property_protection_file().isBlank()
                    ? PropertyProtections.none()
                    : new PropertyProtections(java.nio.file.Path.of(config.property_protection_file()),
                    config.property_protection_rule_format().strip(), policy, java.time.Duration.ofSeconds(2));
            return new CoreConfiguration(settings, policy, protections);
        } catch (IllegalArgumentException e) {
            LOG.error("the image service cannot start: {}", e.getMessage());
            if (!Boolean.getBoolean("xloud.node.ready")) {
                // still starting: a node that cannot serve as configured stops, saying why
                Thread stop = new Thread(() -> {
                    try {
                        context.getBundle(0).stop();
                    } catch (Exception ignored) {
                        // stopping anyway
                    }
                }, "xloud-fatal-configuration");
                stop.start();
            }
            throw e;
        }
    }

    private static String nodeId(BundleContext context) {
        String id = context.getProperty("xloud.node.id");
        return id == null || id.isBlank() ? "node" : id;
    }
}
