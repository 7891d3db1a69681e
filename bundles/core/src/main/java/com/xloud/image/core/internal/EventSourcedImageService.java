package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.Transfers;
import com.xloud.image.core.kernel.Hashing;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.LocationChanges;
import com.xloud.image.core.kernel.UploadFilters;
import com.xloud.image.core.kernel.Scrubber;
import com.xloud.image.core.kernel.StoreRules;
import com.xloud.image.api.cache.ImageCache;
import io.micrometer.core.instrument.MeterRegistry;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.api.policy.PropertyProtection;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.upload.UploadFilter;
import com.xloud.image.api.images.AdminService;
import com.xloud.image.api.images.ImageDataService;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.SharingService;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.core.command.FailImport;
import com.xloud.image.core.command.FailStaging;
import com.xloud.image.core.command.FailUpload;
import com.xloud.image.registry.ImageRegistry;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
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
 * The image service's wiring: its configuration, the services it is bound to (the registry, the
 * stores, the upload filters, the policy, the property protections, the cache), the parts the use
 * cases share, and the use cases themselves, offered as three services: {@link ImageLifecycle}
 * ({@code ImageService}), {@link Members} and {@link Administration}; and the {@link Kernel} the
 * import, data and locations bundles build theirs on. Each use case checks access, then sends a
 * command to the aggregate (the event and its projection commit together) and reads from the
 * registry.
 */
@Component(service = {}, immediate = true, configurationPid = {"com.xloud.image.core", "com.xloud.image.quota"},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class EventSourcedImageService {
    private static final Logger LOG = LoggerFactory.getLogger(EventSourcedImageService.class);

    private final ImageRegistry registry;
    private final Settings settings;
    private final EventSourcing events;
    private final StoreDirectory stores = new StoreDirectory();
    private final Sharing sharing;
    private final StoreRules storeRules;
    private volatile ImportService importService;
    private volatile ImageDataService dataService;
    /** The changes to locations, while the locations bundle runs. */
    private final LocationSlot locations = new LocationSlot();
    private final RegistryRebuild rebuild;
    private final CoreMetrics metrics = new CoreMetrics();
    private final AccessPolicy access;
    private final Protections protections;
    /** The policy and the property protections, while their bundles run. */
    private volatile PolicyEnforcer policy;
    private volatile PropertyProtection protection;
    private volatile org.osgi.service.cm.ConfigurationAdmin configurations;
    /** Whether property protection was configured when last looked at (at most every second). */
    private static final long CONFIGURED_RECHECK_NANOS = 1_000_000_000L;
    private volatile boolean configuredSeen;
    private volatile long configuredCheckedAt = System.nanoTime() - CONFIGURED_RECHECK_NANOS;
    private final Transfers transfers;
    private final TransferJanitor janitor;
    private final Scrubber scrubber;
    /** The upload filters (inspection, signature, …) every upload and import goes through. */
    private final UploadFilters uploadFilters;
    private final CacheAdmin cacheAdmin;
    private final ImageLifecycle lifecycle;
    private final Members members;
    /** What the bundles of the other use cases (import and tasks) build on. */
    private final Kernel kernel;
    private final Administration administration;
    /** The services this component offers, while it offers them. */
    private final List<org.osgi.framework.ServiceRegistration<?>> registrations = new java.util.ArrayList<>();
    /** This node's image cache, while the cache bundle runs. */
    private volatile ImageCache cache;

    @Activate
    public EventSourcedImageService(@Reference ImageRegistry registry, BundleContext context, CoreConfig config,
                                    Map<String, Object> properties) {
        this(registry, CoreConfiguration.read(context, config, properties));
        registrations.add(context.registerService(ImageService.class, lifecycle, null));
        registrations.add(context.registerService(Kernel.class, kernel, null));
        registrations.add(context.registerService(SharingService.class, members, null));
        registrations.add(context.registerService(AdminService.class, administration, null));
    }

    private EventSourcedImageService(ImageRegistry registry, CoreConfiguration c) {
        this(registry, c.settings(), null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicy(PolicyEnforcer policy) {
        this.policy = policy;
        LOG.info("the policy is in force");
    }

    public void unsetPolicy(PolicyEnforcer gone) {
        if (policy == gone) {
            policy = null;
            LOG.warn("the policy is gone: requests are refused until it is back");
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPropertyProtection(PropertyProtection protection) {
        this.protection = protection;
        LOG.info("property protections are in force");
    }

    public void unsetPropertyProtection(PropertyProtection gone) {
        if (protection == gone) {
            protection = null;
            LOG.info("property protections are gone");
        }
    }

    /** Where the node's configurations are: whether property protection is configured. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setConfigurationAdmin(org.osgi.service.cm.ConfigurationAdmin admin) {
        this.configurations = admin;
    }

    public void unsetConfigurationAdmin(org.osgi.service.cm.ConfigurationAdmin gone) {
        if (configurations == gone) {
            configurations = null;
        }
    }

    /** Whether etc/com.xloud.image.protection.cfg (or any source of that configuration) exists. */
    private boolean protectionConfigured() {
        long now = System.nanoTime();
        if (now - configuredCheckedAt < CONFIGURED_RECHECK_NANOS) {
            return configuredSeen; // asked on every read of an image with properties while the bundle is absent
        }
        org.osgi.service.cm.ConfigurationAdmin admin = configurations;
        if (admin == null) {
            return false; // no configuration service (unit tests): nothing is configured
        }
        boolean configured;
        try {
            configured = admin.listConfigurations("(service.pid=com.xloud.image.protection)") != null;
        } catch (java.io.IOException | org.osgi.framework.InvalidSyntaxException e) {
            configured = true; // cannot tell: protect
        }
        configuredSeen = configured;
        configuredCheckedAt = now;
        return configured;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setLocationChanges(LocationChanges changes) {
        locations.set(changes);
    }

    public void unsetLocationChanges(LocationChanges gone) {
        locations.unset(gone);
    }

    /** The data bundle's service, while it runs: the health report says whether it does. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setImageDataService(ImageDataService service) {
        this.dataService = service;
    }

    public void unsetImageDataService(ImageDataService gone) {
        if (dataService == gone) {
            dataService = null;
        }
    }

    /** The import bundle's service, while it runs: the health report says whether it does. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setImportService(ImportService service) {
        this.importService = service;
    }

    public void unsetImportService(ImportService gone) {
        if (importService == gone) {
            importService = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addUploadFilter(UploadFilter filter, Map<String, Object> properties) {
        uploadFilters.add(filter, properties);
        LOG.info("upload filter {} is in use", filter.name());
    }

    public void removeUploadFilter(UploadFilter filter) {
        uploadFilters.remove(filter);
        LOG.info("upload filter {} is gone", filter.name());
    }

    /** {@code policy}: the policy in force until the service's own is set; null: none, nothing allowed. */
    public EventSourcedImageService(ImageRegistry registry, Settings settings, PolicyEnforcer policy) {
        this.policy = policy;
        this.access = new AccessPolicy(() -> this.policy);
        this.protections = new Protections(() -> protection, this::protectionConfigured);
        new Hashing(settings.hashingAlgorithm()).close(); // refuses an unknown algorithm at start, not at the first upload
        if (settings.limits().properties() < 0 || settings.limits().tags() < 0 || settings.limits().members() < 0) {
            throw new IllegalArgumentException("image property, tag and member quotas must not be negative: "
                    + settings.limits());
        }
        if (settings.imageSizeCap() <= 0) {
            throw new IllegalArgumentException("image_size_cap must be positive, got " + settings.imageSizeCap());
        }
        this.registry = registry;
        this.settings = settings;
        this.events = new EventSourcing(registry, metrics);
        this.sharing = new Sharing(registry, events, settings.limits(), this::origin);
        this.transfers = new Transfers(registry, settings.nodeId(), settings.cluster().transferStall());
        this.scrubber = new Scrubber(registry, events, stores, this::origin, settings.cluster().scrubRetry());
        this.uploadFilters = new UploadFilters(settings.inspectionRequired());
        this.cacheAdmin = new CacheAdmin(() -> cache, access);
        this.storeRules = new StoreRules(stores, events, settings.defaultStore(), this::origin, scrubber);
        this.rebuild = new RegistryRebuild(registry, events, settings.nodeId());
        recoverInterruptedUploads();
        this.janitor = new TransferJanitor(registry, events, stores, settings, this::origin);
        ImageAccess images = new ImageAccess(registry, settings, access, protections, sharing, () -> cache);
        this.lifecycle = new ImageLifecycle(images, events, locations, storeRules, scrubber);
        this.kernel = new CoreKernel(events, images, registry, stores, transfers, scrubber, uploadFilters,
                storeRules, locations, settings.kernel());
        this.members = new Members(images);
        this.administration = new Administration(images, cacheAdmin, rebuild, () -> new HealthReport(registry, stores,
                () -> cache, settings.nodeId(), settings.cluster().scrubRetry(), uploadFilters,
                new Concerns(() -> this.policy, () -> this.protection, this::protectionConfigured, uploadFilters,
                        () -> dataService, () -> importService, locations::current)).build());
        LOG.info("image service ready on node {}", settings.nodeId());
    }

    /**
     * Uploads that were streaming through this node when it stopped without finishing them (a
     * crash, a kill): no one will complete them, so they go back to queued. Their partial data was
     * never renamed into place; the store removes its leftovers when it starts.
     */
    private void recoverInterruptedUploads() {
        RequestContext system = new RequestContext("xloud-recovery", null, List.of("admin"),
                "req-recovery-" + java.util.UUID.randomUUID());
        String reason = "node " + settings.nodeId() + " restarted while the operation was in progress";
        for (Image image : registry.uploadingThrough(settings.nodeId())) {
            switch (image.status()) {
                case SAVING -> events.send(new FailUpload(image.id(), origin(system), reason));
                // the staged data goes when the import bundle sweeps its staging area
                case UPLOADING -> events.send(new FailStaging(image.id(), origin(system), reason));
                case IMPORTING -> {
                    events.send(new FailImport(image.id(), origin(system),
                            image.properties().getOrDefault("os_glance_import_task", ""), 
                            image.properties().getOrDefault("os_glance_importing_to_stores", ""), reason));
                }
                default -> {
                    continue;
                }
            }
            LOG.warn("image {} was {} when this node stopped; it is queued again", image.id(), image.status().wire());
        }
    }

    /** The command side, for tests in this package. */
    EventSourcing events() {
        return events;
    }

    /** The scrubber, for tests in this package. */
    Scrubber scrubber() {
        return scrubber;
    }

    ImageService images() {
        return lifecycle;
    }

    /** The kernel the other use cases' bundles build on, for tests in this package. */
    Kernel kernel() {
        return kernel;
    }

    SharingService members() {
        return members;
    }

    Administration admin() {
        return administration;
    }

    private Origin origin(RequestContext ctx) {
        return ImageAccess.origin(ctx, settings.nodeId());
    }

    @Deactivate
    public void close() {
        registrations.forEach(r -> {
            try {
                r.unregister();
            } catch (IllegalStateException gone) {
                // the framework took it down already
            }
        });
        janitor.close();
        scrubber.close();
        rebuild.close();
        events.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addStore(ImageStore store, Map<String, Object> properties) {
        stores.add(store, properties);
        LOG.info("store {} available", properties.get(ImageStore.PROP_ID));
    }

    public void removeStore(ImageStore store) {
        stores.remove(store);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addMeterRegistry(MeterRegistry registry) {
        metrics.add(registry);
    }

    public void removeMeterRegistry(MeterRegistry registry) {
        metrics.remove(registry);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setCache(ImageCache cache) {
        this.cache = cache;
        LOG.info("image cache enabled on this node");
    }

    public void unsetCache(ImageCache gone) {
        if (cache == gone) {
            cache = null;
            LOG.info("image cache disabled on this node");
        }
    }
}
