package com.xloud.image.api.config;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration a node cannot serve with. While the node is still starting it stops, saying why
 * (an operator sees the reason at once instead of a node that answers wrongly); once it runs, the
 * component that cannot use its new configuration stays down and the reason is in the log.
 */
public final class StartupFailure {
    private static final Logger LOG = LoggerFactory.getLogger(StartupFailure.class);

    private StartupFailure() {
    }

    /** Logs {@code problem}, stops the node when it is still starting, and returns the problem to throw. */
    public static IllegalArgumentException report(BundleContext context, String service, IllegalArgumentException problem) {
        LOG.error("{} cannot start: {}", service, problem.getMessage());
        if (!Boolean.getBoolean("xloud.node.ready")) {
            Thread stop = new Thread(() -> {
                try {
                    context.getBundle(0).stop();
                } catch (Exception ignored) {
                    // stopping anyway
                }
            }, "xloud-fatal-configuration");
            stop.start();
        }
        return problem;
    }
}
