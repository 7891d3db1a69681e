package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.Commands;
import com.xloud.image.core.kernel.ImageGate;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.KernelSettings;
import com.xloud.image.core.kernel.LocationChanges;
import com.xloud.image.core.kernel.Scrubber;
import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.StoreRules;
import com.xloud.image.core.kernel.Transfers;
import com.xloud.image.core.kernel.UploadFilters;
import com.xloud.image.registry.ImageRegistry;

/** The core's parts, as the {@link Kernel} service hands them to the other use cases' bundles. */
record CoreKernel(Commands commands, ImageGate images, ImageRegistry registry, StoreDirectory stores,
                  Transfers transfers, Scrubber scrubber, UploadFilters uploadFilters, StoreRules storeRules,
                  LocationChanges locations, KernelSettings settings)
        implements Kernel {
}
