package com.xloud.image.core.kernel;

import com.xloud.image.registry.ImageRegistry;

/**
 * The image service's kernel, offered by the core bundle to the bundles of the other use cases
 * (import and tasks): the aggregate's command side, the access checks, the registry, the stores
 * of this node, the transfer heartbeats, the removal of data, the upload filters and the settings.
 * The parts are the core's own: what is sent through them is decided by the image aggregate.
 */
public interface Kernel {
    Commands commands();

    ImageGate images();

    ImageRegistry registry();

    StoreDirectory stores();

    Transfers transfers();

    Scrubber scrubber();

    UploadFilters uploadFilters();

    KernelSettings settings();
}
