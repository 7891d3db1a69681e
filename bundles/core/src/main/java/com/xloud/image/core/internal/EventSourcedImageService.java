package com.xloud.image.core.internal;

import com.xloud.image.api.cache.ImageCache;
import io.micrometer.core.instrument.MeterRegistry;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.api.policy.PropertyProtection;
import com.xloud.image.api.images.ByteRange;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.LocationView;
import com.xloud.image.api.images.ImageDownload;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageMember;
import com.xloud.image.api.images.ImageTask;
import com.xloud.image.api.images.ImagePage;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.identity.ServiceCatalog;
import com.xloud.image.api.upload.UploadFilter;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.images.StagedElsewhereException;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.core.internal.command.AddTag;
import com.xloud.image.core.internal.command.DeactivateImage;
import com.xloud.image.core.internal.command.ReactivateImage;
import com.xloud.image.core.internal.command.CreateImage;
import com.xloud.image.core.internal.command.DeleteImage;
import com.xloud.image.core.internal.command.FailImport;
import com.xloud.image.core.internal.command.FailStaging;
import com.xloud.image.core.internal.command.FailUpload;
import com.xloud.image.core.internal.command.RemoveTag;
import com.xloud.image.core.internal.command.UpdateImage;
import com.xloud.image.registry.ImageRegistry;
import java.io.InputStream;
import java.net.URI;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * The image use cases: access checks, then a command to the aggregate (the event and its
 * projection commit together), reads from the registry, data through the stores.
 */
@Component(service = ImageService.class, configurationPid = {"com.xloud.image.core", "com.xloud.image.quota"},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class EventSourcedImageService implements ImageService {
    private static final Logger LOG = LoggerFactory.getLogger(EventSourcedImageService.class);
    public static final int API_LIMIT_MAX = 1000;

    private final ImageRegistry registry;
    private final Settings settings;
    private final EventSourcing events;
    private final StoreDirectory stores = new StoreDirectory();
    private final StagingArea staging;
    private final ImportFlow imports;
    private final Sharing sharing;
    private final DataFlow dataFlow;
    private final StoreRules storeRules;
    private final TaskRules tasks;
    private final ExternalLocations externalLocations;
    private final LocationPatch locationPatch;
    private final RegistryRebuild rebuild;
    private final CacheKeeper cacheKeeper;
    private final CoreMetrics metrics = new CoreMetrics();
    private final AccessPolicy access;
    private final Protections protections;
    /** The policy and the property protections, while their bundles run. */
    private volatile PolicyEnforcer policy;
    private volatile PropertyProtection protection;
    private volatile org.osgi.service.cm.ConfigurationAdmin configurations;
    private final Transfers transfers;
    private final TransferJanitor janitor;
    private final Scrubber scrubber;
    /** The upload filters (inspection, signature, …) every upload and import goes through. */
    private final UploadFilters uploadFilters;
    private final CacheAdmin cacheAdmin;
    private volatile ServiceCatalog catalog;
    /** This node's image cache, while the cache bundle runs. */
    private volatile ImageCache cache;

    @Activate
    public EventSourcedImageService(@Reference ImageRegistry registry, BundleContext context, CoreConfig config,
                                    Map<String, Object> properties) {
        this(registry, CoreConfiguration.read(context, config, properties));
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
        org.osgi.service.cm.ConfigurationAdmin admin = configurations;
        if (admin == null) {
            return false;
        }
        try {
            return admin.listConfigurations("(service.pid=com.xloud.image.protection)") != null;
        } catch (java.io.IOException | org.osgi.framework.InvalidSyntaxException e) {
            return true; // cannot tell: protect
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

    /** The callers' service catalog (Keystone mode), where glance-download finds other regions. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setServiceCatalog(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    public void unsetServiceCatalog(ServiceCatalog catalog) {
        if (this.catalog == catalog) {
            this.catalog = null;
        }
    }

    private Image readable(RequestContext ctx, Image image) {
        return protections.readable(ctx, image);
    }

    /** {@code policy}: the policy in force until the service's own is set; null: none, nothing allowed. */
    public EventSourcedImageService(ImageRegistry registry, Settings settings, PolicyEnforcer policy) {
        this.policy = policy;
        this.access = new AccessPolicy(() -> this.policy);
        this.protections = new Protections(() -> protection, this::protectionConfigured);
        new com.xloud.image.api.store.Hashing(settings.hashingAlgorithm()).close(); // refuses an unknown algorithm at start, not at the first upload
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
        this.dataFlow = new DataFlow(events, stores, settings, this::origin, () -> cache, metrics, transfers,
                scrubber, uploadFilters);
        this.cacheKeeper = new CacheKeeper(() -> cache, registry, dataFlow);
        this.cacheAdmin = new CacheAdmin(() -> cache, access);
        this.storeRules = new StoreRules(stores, events, settings, this::origin, scrubber);
        this.tasks = new TaskRules(registry, settings, access);
        this.externalLocations = new ExternalLocations(events, stores, settings, this::origin, access);
        this.locationPatch = new LocationPatch(events, stores, settings, access, this::origin, externalLocations,
                scrubber);
        this.rebuild = new RegistryRebuild(registry, events, settings.nodeId());
        this.staging = new StagingArea(settings.imports().stagingDir());
        WebDownload web = new WebDownload(settings.imports().filter(), java.time.Duration.ofSeconds(10),
                settings.imports().stallTimeout());
        this.imports = new ImportFlow(events, stores, staging, web, new GlanceDownload(web, () -> catalog,
                settings.imports().glanceDownloadProperties()), settings, this::origin,
                settings.imports().workers(), transfers, scrubber, uploadFilters);
        recoverInterruptedUploads();
        staging.sweep(id -> registry.find(id).map(i -> i.status() == ImageStatus.UPLOADING).orElse(false));
        this.janitor = new TransferJanitor(registry, events, stores, settings, this::origin, staging);
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
                case UPLOADING -> {
                    staging.delete(image.id());
                    events.send(new FailStaging(image.id(), origin(system), reason));
                }
                case IMPORTING -> {
                    staging.delete(image.id());
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

    @Deactivate
    public void close() {
        janitor.close();
        scrubber.close();
        cacheKeeper.close();
        rebuild.close();
        externalLocations.close();
        imports.close();
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

    @Override
    public Map<String, Object> healthReport(RequestContext ctx) {
        access.require("health_report", ctx);
        return new HealthReport(registry, stores, () -> cache, settings.nodeId(), settings.cluster().scrubRetry(),
                uploadFilters, new Concerns(() -> policy, () -> protection, this::protectionConfigured, uploadFilters))
                .build();
    }

    @Override
    public String nodeId() {
        return settings.nodeId();
    }

    @Override
    public boolean cacheEnabled() {
        return cache != null;
    }

    @Override
    public Map<String, Object> cacheState(RequestContext ctx) {
        return cacheAdmin.state(ctx);
    }

    @Override
    public void cacheImage(RequestContext ctx, String id) {
        cacheAdmin.queue(ctx, () -> visible(ctx, id));
    }

    @Override
    public void uncacheImage(RequestContext ctx, String id) {
        cacheAdmin.delete(ctx, () -> visible(ctx, id));
    }

    @Override
    public void clearCache(RequestContext ctx, String target) {
        cacheAdmin.clear(ctx, target);
    }

    @Override
    public Map<String, Object> cleanCache(RequestContext ctx) {
        return cacheAdmin.clean(ctx);
    }

    @Override
    public Map<String, Object> pruneCache(RequestContext ctx) {
        return cacheAdmin.prune(ctx);
    }

    /** Rebuilds the registry on the calling thread (see {@link RegistryRebuild}) and returns its final state. */
    public Map<String, Object> rebuildRegistryNow() {
        return rebuild.runNow("local");
    }

    @Override
    public Map<String, Object> rebuildRegistry(RequestContext ctx) {
        access.require("registry_rebuild", ctx);
        return rebuild.start(ctx.userId() == null ? "admin" : ctx.userId());
    }

    @Override
    public LocationView locationView(RequestContext ctx, Image image) {
        LocationView shown = settings.shownLocations();
        if (!shown.locations() && !shown.directUrl()) {
            return LocationView.NONE;
        }
        // membership does not matter to get_image_location's rules: no registry query per image
        return access.allows("get_image_location", ctx, AccessPolicy.target(image, null)) ? shown : shown.forbidden();
    }

    @Override
    public Map<String, Object> registryRebuildStatus(RequestContext ctx) {
        access.require("registry_rebuild", ctx);
        return rebuild.status();
    }

    private Origin origin(RequestContext ctx) {
        return new Origin(ctx.userId(), ctx.projectId(), ctx.roles(), settings.nodeId(), ctx.requestId(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    @Override
    public Image create(RequestContext ctx, Map<String, Object> attributes) {
        CreateImage command = ImageCreation.command(ctx, attributes, origin(ctx), settings.limits());
        Map<String, Object> target = new java.util.HashMap<>();
        target.put("project_id", command.owner());
        target.put("owner", command.owner());
        target.put("visibility", command.visibility());
        access.require("add_image", ctx, target);
        command.properties().keySet().forEach(k -> protections.require(ctx, k, PropertyProtection.Operation.CREATE));
        if (command.visibility().equals("public")) {
            access.require("publicize_image", ctx, target);
        } else if (command.visibility().equals("community")) {
            access.require("communitize_image", ctx, target);
        }
        enforce(command.owner(), "image_count_total", 1);
        if (registry.find(command.imageId()).isPresent()) {
            throw ImageException.conflict("Image with identifier " + command.imageId() + " already exists!");
        }
        try {
            events.send(command);
        } catch (ImageException e) {
            if (e.kind() == ImageException.Kind.CONFLICT) {
                throw ImageException.conflict("Image with identifier " + command.imageId() + " already exists!");
            }
            throw e;
        }
        return readable(ctx, registry.find(command.imageId()).orElseThrow());
    }

    @Override
    public Image get(RequestContext ctx, String id) {
        return readable(ctx, visible(ctx, id));
    }

    private Image visible(RequestContext ctx, String id) {
        if (!ImageCreation.isUuid(id)) {
            throw ImageException.notFound(id);
        }
        Image image = registry.find(id.toLowerCase(java.util.Locale.ROOT)).orElseThrow(() -> ImageException.notFound(id));
        if (image.status() == ImageStatus.DELETED || !canSee(ctx, image)
                || !access.allows("get_image", ctx, target(ctx, image))) {
            throw ImageException.notFound(id); // Glance hides what the caller may not see
        }
        return image;
    }

    /** The policy target of an image for this caller: its owner, visibility, and the caller's membership. */
    private Map<String, Object> target(RequestContext ctx, Image image) {
        return AccessPolicy.target(image, sharing.isMember(ctx, image) ? ctx.projectId() : null);
    }

    /** Glance's visibility, members included: a member sees a shared image whatever its membership status. */
    private boolean canSee(RequestContext ctx, Image image) {
        return AccessPolicy.canSee(ctx, image) || sharing.isMember(ctx, image);
    }

    /** A visible image the caller may {@code action} (403 otherwise, with Glance's policy wording). */
    private Image modifiable(RequestContext ctx, String id, String action) {
        Image image = visible(ctx, id);
        if (!access.allows(action, ctx, target(ctx, image))) {
            throw ImageException.forbidden(AccessPolicy.owns(ctx, image) || ctx.isAdmin()
                    ? "You are not authorized to complete " + action + " action."
                    : "You are not permitted to modify image " + image.id() + ".");
        }
        return image;
    }

    @Override
    public ImagePage list(RequestContext ctx, ImageQuery query) {
        access.require("get_images", ctx);
        ListingRules.validate(query, API_LIMIT_MAX);
        Image marker = null;
        if (query.marker() != null) {
            marker = registry.find(query.marker()).orElse(null);
            if (marker == null || marker.status() == ImageStatus.DELETED || !canSee(ctx, marker)) {
                throw ImageException.badRequest("marker " + query.marker() + " could not be found.");
            }
        }
        ImagePage page = registry.list(query, ctx.projectId(), ctx.isAdmin(), marker);
        return new ImagePage(page.images().stream().map(i -> readable(ctx, i)).toList(), page.more());
    }

    @Override
    public Image update(RequestContext ctx, String id, List<PatchOperation> patch) {
        Image image = modifiable(ctx, id, "modify_image");
        // changes of /locations are one change of their own, after the attributes' (Tempest and the
        // clients never mix them in one PATCH)
        List<PatchOperation> locationOps = patch.stream().filter(LocationPatch::concerns).toList();
        List<PatchOperation> operations = patch.stream().filter(op -> !LocationPatch.concerns(op)).toList();
        if (!locationOps.isEmpty()) {
            if (!operations.isEmpty()) {
                updateAttributes(ctx, image, operations);
                image = modifiable(ctx, id, "modify_image");
            }
            locationPatch.apply(ctx, image, locationOps);
            return readable(ctx, registry.find(image.id()).orElseThrow());
        }
        return updateAttributes(ctx, image, operations);
    }

    private Image updateAttributes(RequestContext ctx, Image image, List<PatchOperation> operations) {
        Map<String, Object> target = target(ctx, image);
        for (PatchOperation op : operations) {
            String name = op.path();
            if (com.xloud.image.core.internal.aggregate.ImageAttributes.WRITABLE.contains(name)
                    || com.xloud.image.core.internal.aggregate.ImageAttributes.READ_ONLY.contains(name)
                    || com.xloud.image.core.internal.aggregate.ImageAttributes.RESERVED.contains(name)) {
                continue;
            }
            protections.requireAvailable();
            boolean present = image.properties().containsKey(name) && protections.mayRead(ctx, name);
            switch (op.op()) {
                case "add" -> protections.require(ctx, name, present ? PropertyProtection.Operation.UPDATE
                        : PropertyProtection.Operation.CREATE);
                case "replace" -> {
                    if (!present && image.properties().containsKey(name)) {
                        throw ImageException.conflict("Property " + name + " does not exist.");
                    }
                    protections.require(ctx, name, PropertyProtection.Operation.UPDATE);
                }
                default -> {
                    if (!present && image.properties().containsKey(name)) {
                        throw ImageException.conflict("Property " + name + " does not exist.");
                    }
                    protections.require(ctx, name, PropertyProtection.Operation.DELETE);
                }
            }
        }
        for (PatchOperation op : operations) {
            if (op.path().equals("visibility") && !op.op().equals("remove") && "community".equals(op.value())
                    && !"community".equals(image.visibility())) {
                access.require("communitize_image", ctx, target);
            }
        }
        events.send(new UpdateImage(image.id(), origin(ctx), operations, ctx.isAdmin(),
                access.allows("publicize_image", ctx, target), settings.limits()));
        return readable(ctx, registry.find(image.id()).orElseThrow());
    }

    @Override
    public void delete(RequestContext ctx, String id) {
        Image image = modifiable(ctx, id, "delete_image");
        storeRules.requireNotInUse(image, image.locations().keySet());
        events.send(new DeleteImage(image.id(), origin(ctx)));
        dropFromCache(image.id());
        image.locations().forEach((storeId, location) -> scrubber.scrub(ctx, image.id(), storeId, location));
    }

    @Override
    public void addTag(RequestContext ctx, String id, String tag) {
        Image image = modifiable(ctx, id, "modify_image");
        events.send(new AddTag(image.id(), origin(ctx), tag, settings.limits()));
    }

    @Override
    public void removeTag(RequestContext ctx, String id, String tag) {
        Image image = modifiable(ctx, id, "modify_image");
        events.send(new RemoveTag(image.id(), origin(ctx), tag));
    }

    @Override
    public void upload(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId) {
        Image image = modifiable(ctx, id, "upload_image");
        if (expectedSize > settings.imageSizeCap()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Image exceeds the storage quota: the limit is "
                    + settings.imageSizeCap() + " bytes");
        }
        enforce(image.owner(), "image_count_uploading", 0);
        enforce(image.owner(), "image_size_total", 0);
        dataFlow.upload(ctx, image, data, expectedSize, storeId);
    }

    @Override
    public void addLocation(RequestContext ctx, String id, Object url, Object validationData) {
        Image image = modifiable(ctx, id, "add_image_location");
        enforce(image.owner(), "image_size_total", 0);
        externalLocations.add(ctx, image, url, validationData);
    }

    @Override
    public List<Map<String, Object>> locations(RequestContext ctx, String id) {
        return externalLocations.list(ctx, visible(ctx, id));
    }

    @Override
    public ImageDownload download(RequestContext ctx, String id, ByteRange range) {
        Image image = visible(ctx, id);
        access.require("download_image", ctx, target(ctx, image));
        if (image.status() == ImageStatus.DEACTIVATED && !ctx.isAdmin()) {
            throw ImageException.forbidden("The requested image has been deactivated. Image data download is forbidden.");
        }
        return dataFlow.download(image, range);
    }

    @Override
    public ImageMember addMember(RequestContext ctx, String id, String memberId) {
        return sharing.add(ctx, modifiable(ctx, id, "add_member"), memberId);
    }

    @Override
    public List<ImageMember> members(RequestContext ctx, String id) {
        Image image = visible(ctx, id);
        access.require("get_members", ctx, target(ctx, image));
        return sharing.list(ctx, image);
    }

    @Override
    public ImageMember member(RequestContext ctx, String id, String memberId) {
        Image image = visible(ctx, id);
        access.require("get_member", ctx, target(ctx, image));
        return sharing.show(ctx, image, memberId);
    }

    @Override
    public ImageMember updateMember(RequestContext ctx, String id, String memberId, String status) {
        Image image = visible(ctx, id);
        if (!access.allows("modify_member", ctx, AccessPolicy.target(image, memberId))) {
            throw ImageException.forbidden("You are not permitted to modify the membership of " + memberId
                    + " in image " + image.id() + ".");
        }
        return sharing.update(ctx, image, memberId, status);
    }

    @Override
    public void removeMember(RequestContext ctx, String id, String memberId) {
        Image image = visible(ctx, id);
        access.require("delete_member", ctx, target(ctx, image));
        sharing.remove(ctx, image, memberId);
    }

    @Override
    public void deactivate(RequestContext ctx, String id) {
        Image image = modifiable(ctx, id, "deactivate");
        events.send(new DeactivateImage(image.id(), origin(ctx)));
        dropFromCache(image.id());
    }

    /** This node's cache forgets the image at once; other nodes' caches at their next sweep. */
    private void dropFromCache(String imageId) {
        ImageCache c = cache;
        if (c != null) {
            c.remove(imageId);
        }
    }

    @Override
    public void reactivate(RequestContext ctx, String id) {
        Image image = modifiable(ctx, id, "reactivate");
        events.send(new ReactivateImage(image.id(), origin(ctx)));
    }

    @Override
    public void stage(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId) {
        requireMethod("glance-direct");
        Image image = modifiable(ctx, id, "upload_image");
        stores.forUpload(storeId, settings.defaultStore());
        if (expectedSize > settings.imageSizeCap()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Image exceeds the storage quota: the limit is "
                    + settings.imageSizeCap() + " bytes");
        }
        enforce(image.owner(), "image_count_uploading", 0);
        enforce(image.owner(), "image_stage_total", 0);
        imports.stage(ctx, image, data, expectedSize);
    }

    @Override
    public String importImage(RequestContext ctx, String id, String method, String uri, List<String> storeIds,
                              boolean allStores, boolean allStoresMustSucceed, Map<String, Object> body) {
        if (!settings.imports().methods().contains(method)) {
            throw ImageException.badRequest("Unknown import method name '" + method + "'.");
        }
        Image image = modifiable(ctx, id, "modify_image");
        if (method.equals(GlanceDownload.METHOD)) {
            // Glance's order: the image's state first, then the method's parameters
            if (image.status() == ImageStatus.ACTIVE) {
                throw ImageException.conflict("Image with status active cannot be target for import");
            }
            if (image.status() != ImageStatus.QUEUED) {
                throw ImageException.conflict("Image needs to be in 'queued' state to use 'glance-download' method");
            }
            if (image.containerFormat() == null) {
                throw ImageException.conflict("'container_format' needs to be set before import");
            }
            if (image.diskFormat() == null) {
                throw ImageException.conflict("'disk_format' needs to be set before import");
            }
            body = GlanceDownload.checkedInput(body);
        }
        for (String store : storeIds) {
            stores.byId(store).orElseThrow(() -> ImageException.conflict("Store " + store + " could not be found"));
        }
        if (method.equals("copy-image")) {
            access.require("copy_image", ctx, target(ctx, image));
            List<StoreDirectory.Entry> targets = allStores
                    ? stores.all().stream().filter(e -> !e.readOnly() && !image.locations().containsKey(e.id())).toList()
                    : storeIds.stream().map(sid -> stores.byId(sid).orElseThrow()).toList();
            if (targets.isEmpty() && allStores) {
                // every writable store holds the image already: Glance answers 202 and does nothing; here the
                // request is a copy task with no store to copy to, which succeeds at once (it is on record, and a
                // client waiting for os_glance_importing_to_stores to empty, as Tempest does, sees it end)
                LOG.info("copy-image of {}: every writable store holds it already", image.id());
                return imports.startCopy(ctx, image, List.of(), allStoresMustSucceed, body);
            }
            if (targets.isEmpty()) {
                throw ImageException.badRequest("copy-image needs 'stores' or 'all_stores' naming stores that do not"
                        + " hold image " + image.id() + " yet");
            }
            for (StoreDirectory.Entry t : targets) {
                if (t.readOnly()) {
                    throw ImageException.badRequest("Store " + t.id() + " is read-only");
                }
            }
            return imports.startCopy(ctx, image, targets, allStoresMustSucceed, body);
        }
        List<StoreDirectory.Entry> targets = allStores
                ? stores.all().stream().filter(e -> !e.readOnly()).toList()
                : storeIds.stream().map(sid -> stores.forUpload(sid, settings.defaultStore())).toList();
        enforce(image.owner(), "image_count_uploading", 0);
        if (method.equals("web-download") || method.equals(GlanceDownload.METHOD)) {
            enforce(image.owner(), "image_stage_total", 0);
        }
        if (method.equals("glance-direct") && image.status() == ImageStatus.UPLOADING && !staging.holds(image.id())) {
            stagedElsewhere(image);
        }
        return imports.start(ctx, image, method, uri, body, targets, allStoresMustSucceed);
    }

    /** The data was staged on another node: the import must run there (Glance: worker_self_reference_url). */
    private void stagedElsewhere(Image image) {
        String node = registry.transferNode(image.id()).orElse(null);
        if (node == null || node.equals(settings.nodeId())) {
            return; // staged here and lost: the import fails and says so
        }
        String url = registry.nodeUrl(node).orElseThrow(() -> ImageException.conflict("Image " + image.id()
                + " was staged on node " + node + ", which never said where it answers; stage the data again."));
        throw new StagedElsewhereException(image.id(), node, url);
    }

    private void requireMethod(String method) {
        if (!settings.imports().methods().contains(method)) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "The " + method + " import method is not enabled");
        }
    }

    @Override
    public void deleteFromStore(RequestContext ctx, String storeId, String id) {
        if (stores.byId(storeId).isEmpty()) {
            throw ImageException.conflict("Unknown store " + storeId);
        }
        storeRules.removeCopy(ctx, modifiable(ctx, id, "delete_image_location"), storeId);
    }

    @Override
    public List<com.xloud.image.api.images.StoreInfo> stores(RequestContext ctx, boolean detail) {
        if (detail) {
            access.require("stores_info_detail", ctx);
        }
        return storeRules.describe(detail);
    }

    @Override
    public List<String> importMethods() {
        return settings.imports().methods();
    }

    @Override
    public List<ImageTask> imageTasks(RequestContext ctx, String id) {
        return registry.tasksOf(visible(ctx, id).id());
    }

    @Override
    public ImageTask task(RequestContext ctx, String taskId) {
        return tasks.task(ctx, taskId);
    }

    @Override
    public List<ImageTask> tasks(RequestContext ctx, int limit, String marker) {
        return tasks.list(ctx, limit, marker);
    }

    @Override
    public ImageTask createTask(RequestContext ctx, String type, Map<String, Object> input) {
        return tasks.create(ctx, type, input, this);
    }

    @Override
    public List<com.xloud.image.api.images.ImageEventRecord> history(RequestContext ctx, String id) {
        if (!ImageCreation.isUuid(id)) {
            throw ImageException.notFound(id);
        }
        Image image = registry.find(id.toLowerCase(java.util.Locale.ROOT)).orElseThrow(() -> ImageException.notFound(id));
        if (!ctx.isAdmin() && (image.status() == ImageStatus.DELETED || !canSee(ctx, image))) {
            throw ImageException.notFound(id);
        }
        if (!access.allows("get_image_history", ctx, target(ctx, image))) {
            throw ImageException.forbidden("Only the owner of image " + image.id() + " or an admin may read its history.");
        }
        return registry.history(image.id());
    }

    @Override
    public Image getAsOf(RequestContext ctx, String id, java.time.Instant at) {
        List<com.xloud.image.api.images.ImageEventRecord> events = history(ctx, id);
        Image past = PastImage.at(events, at);
        if (past == null) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Image " + id + " did not exist at " + at);
        }
        return readable(ctx, past);
    }

    @Override
    public List<com.xloud.image.api.images.ImageEventRecord> audit(RequestContext ctx,
                                                                    com.xloud.image.api.images.AuditQuery query) {
        access.require("audit", ctx);
        if (query.limit() < 0) {
            throw ImageException.badRequest("limit param must be positive");
        }
        return registry.audit(query);
    }

    /** Per-project quotas cost a usage query only for projects that have a limit. */
    private void enforce(String project, String quota, long delta) {
        if (settings.quotas().limit(project, quota) >= 0) {
            settings.quotas().enforce(project, registry.usage(project), quota, delta);
        }
    }

    @Override
    public Map<String, Object> usage(RequestContext ctx) {
        return settings.quotas().report(ctx.projectId(), registry.usage(ctx.projectId()));
    }

    @Override
    public boolean healthy() {
        try (Connection c = registry.dataSource().getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
