package com.xloud.image.core.internal;

import com.xloud.image.core.command.Limits;
import com.xloud.image.api.config.StartupFailure;
import com.xloud.image.api.images.LocationView;
import java.util.Map;
import org.osgi.framework.BundleContext;

/** What the configuration says; a configuration a node cannot start with stops the node while it starts. */
record CoreConfiguration(Settings settings) {

    static CoreConfiguration read(BundleContext context, CoreConfig config, Map<String, Object> properties) {
        try {
            Settings settings = new Settings(config.node_id().isBlank() ? nodeId(context) : config.node_id(),
                    config.hashing_algorithm(), config.image_size_cap(), config.default_store(),
                    new Limits(config.image_property_quota(), config.image_tag_quota(), config.image_member_quota()),
                    new ProjectQuotas(properties))
                    .withCluster(Settings.cluster(context, config))
                    .withInspectionRequired(config.inspection_required())
                    .withShownLocations(new LocationView(config.show_multiple_locations(),
                            config.show_image_direct_url(), true));
            return new CoreConfiguration(settings);
        } catch (IllegalArgumentException e) {
            throw StartupFailure.report(context, "the image service", e);
        }
    }

    private static String nodeId(BundleContext context) {
        String id = context.getProperty("xloud.node.id");
        return id == null || id.isBlank() ? "node" : id;
    }
}
