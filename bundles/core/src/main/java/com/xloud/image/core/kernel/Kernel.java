package com.xloud.image.core.kernel;

import com.xloud.image.registry.ImageRegistry;

/**
 * The image service's kernel, offered by the core bundle to the bundles of the other use cases
 * (import and tasks, image data): the aggregate's command side, the access checks, the registry,
 * the stores of this node and their rules, the transfer heartbeats, the removal of data, the upload
 * filters, the changes to locations and the settings.
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

    StoreRules storeRules();

    /** The changes to locations (503 while the locations bundle is absent). */
    LocationChanges locations();

    KernelSettings settings();
}
