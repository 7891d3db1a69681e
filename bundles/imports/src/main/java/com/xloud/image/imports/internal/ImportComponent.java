package com.xloud.image.imports.internal;

import com.xloud.image.api.config.StartupFailure;
import com.xloud.image.api.identity.ServiceCatalog;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.registry.ImageRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import bundle's wiring: on the image service's {@link Kernel}, the staging area, web-download
 * and glance-download, the import tasks' workers and Glance's task API, offered as the
 * {@link ImportService}. The staging area is swept of data no image waits for when the bundle
 * starts and every five transfer stall times (an import that failed on another node, a deleted image).
 */
@Component(service = {}, immediate = true, configurationPid = "com.xloud.image.core",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ImportComponent {
    private static final Logger LOG = LoggerFactory.getLogger(ImportComponent.class);

    private final ImportFlow flow;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "staging-sweeper");
        t.setDaemon(true);
        return t;
    });
    private final ServiceRegistration<ImportService> registration;
    /** The callers' service catalog (Keystone mode), where glance-download finds other regions. */
    private volatile ServiceCatalog catalog;

    @Activate
    public ImportComponent(@Reference Kernel kernel, @Reference ImageService lifecycle, BundleContext context,
                           ImportConfig config) {
        ImportSettings settings;
        try {
            settings = ImportSettings.read(config, context.getProperty("xloud.data.dir"));
        } catch (IllegalArgumentException e) {
            throw StartupFailure.report(context, "the image import", e);
        }
        StagingArea staging = new StagingArea(settings.stagingDir());
        WebDownload web = new WebDownload(settings.filter(), Duration.ofSeconds(10), settings.stallTimeout());
        this.flow = new ImportFlow(kernel, staging, web, new GlanceDownload(web, () -> catalog,
                settings.glanceDownloadProperties()), settings.workers());
        ImageRegistry registry = kernel.registry();
        Predicate<String> waiting = id -> registry.find(id).map(i -> i.status() == ImageStatus.UPLOADING
                || i.status() == ImageStatus.IMPORTING).orElse(false);
        staging.sweep(waiting); // no staging of this bundle runs yet: its temporary files go too
        long every = Duration.ofSeconds(config.transfer_stall_seconds()).toMillis() * 5;
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                staging.sweep(waiting, false);
            } catch (RuntimeException e) {
                LOG.debug("sweeping the staging area failed: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        Imports imports = new Imports(kernel, settings, flow, staging,
                new TaskRules(registry, settings.filter(), kernel.images()), lifecycle);
        this.registration = context.registerService(ImportService.class, imports, null);
        LOG.info("image import ready ({})", String.join(", ", settings.methods()));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setServiceCatalog(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    public void unsetServiceCatalog(ServiceCatalog gone) {
        if (this.catalog == gone) {
            this.catalog = null;
        }
    }

    @Deactivate
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException gone) {
            // the framework took it down already
        }
        sweeper.shutdownNow();
        flow.close();
    }
}
