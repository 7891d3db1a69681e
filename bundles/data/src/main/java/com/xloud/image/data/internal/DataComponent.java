package com.xloud.image.data.internal;

import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.images.ImageDataService;
import com.xloud.image.core.kernel.Kernel;
import io.micrometer.core.instrument.MeterRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The data bundle's wiring: on the image service's {@link Kernel}, the data flows (uploads through
 * the upload filters and the digests into a store, downloads through this node's cache), the
 * cache's keeper (prefetching, and dropping what other nodes deleted), and the store meters;
 * offered as the {@link ImageDataService}.
 */
@Component(service = {}, immediate = true)
public final class DataComponent {
    private final DataMetrics metrics = new DataMetrics();
    private final ImageData data;
    private final CacheKeeper keeper;
    private final ServiceRegistration<ImageDataService> registration;
    /** This node's image cache, while the cache bundle runs. */
    private volatile ImageCache cache;

    /** {@code context}: where the service is registered (null: not registered, as in tests). */
    @Activate
    public DataComponent(@Reference Kernel kernel, BundleContext context) {
        DataFlow flow = new DataFlow(kernel, () -> this.cache, metrics);
        this.data = new ImageData(kernel, flow);
        this.keeper = new CacheKeeper(() -> this.cache, kernel.registry(), flow);
        this.registration = context == null ? null : context.registerService(ImageDataService.class, data, null);
    }

    /** The use case this component offers. */
    public ImageDataService service() {
        return data;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setCache(ImageCache cache) {
        this.cache = cache;
    }

    public void unsetCache(ImageCache gone) {
        if (cache == gone) {
            cache = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addMeterRegistry(MeterRegistry registry) {
        metrics.add(registry);
    }

    public void removeMeterRegistry(MeterRegistry registry) {
        metrics.remove(registry);
    }

    @Deactivate
    public void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException gone) {
                // the framework took it down already
            }
        }
        keeper.close();
    }
}
