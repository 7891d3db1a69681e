package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.ImageAttributes;
import com.xloud.image.core.kernel.LocationChanges;
import com.xloud.image.core.kernel.Scrubber;
import com.xloud.image.core.kernel.StoreRules;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImagePage;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.LocationView;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.registry.ImageRegistry;
import java.util.List;
import java.util.Map;
import com.xloud.image.api.policy.PropertyProtection;
import com.xloud.image.core.command.AddTag;
import com.xloud.image.core.command.CreateImage;
import com.xloud.image.core.command.DeactivateImage;
import com.xloud.image.core.command.DeleteImage;
import com.xloud.image.core.command.ReactivateImage;
import com.xloud.image.core.command.RemoveTag;
import com.xloud.image.core.command.UpdateImage;
import java.sql.Connection;

/**
 * The image lifecycle and its metadata: create (policy, protections, quotas), show, list, patch
 * (attributes, properties, and the /locations changes handed to {@link LocationChanges}), tags,
 * deactivate, reactivate, delete (its data scrubbed from every store), the history and the image
 * as it was at a moment.
 */
final class ImageLifecycle implements ImageService {
    /** The most images one page may hold (Glance's api_limit_max). */
    static final int API_LIMIT_MAX = 1000;
    private final ImageAccess images;
    private final ImageRegistry registry;
    private final Settings settings;
    private final AccessPolicy access;
    private final Protections protections;
    private final EventSourcing events;
    private final LocationChanges locations;
    private final StoreRules storeRules;
    private final Scrubber scrubber;

    ImageLifecycle(ImageAccess images, EventSourcing events, LocationChanges locations, StoreRules storeRules,
                   Scrubber scrubber) {
        this.images = images;
        this.registry = images.registry();
        this.settings = images.settings();
        this.access = images.access();
        this.protections = images.protections();
        this.events = events;
        this.locations = locations;
        this.storeRules = storeRules;
        this.scrubber = scrubber;
    }

    @Override
    public Image create(RequestContext ctx, Map<String, Object> attributes) {
        CreateImage command = ImageCreation.command(ctx, attributes, images.origin(ctx), settings.limits());
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
        images.enforce(command.owner(), "image_count_total", 1);
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
        return images.readable(ctx, registry.find(command.imageId()).orElseThrow());
    }

    @Override
    public Image get(RequestContext ctx, String id) {
        return images.readable(ctx, images.visible(ctx, id));
    }

    @Override
    public ImagePage list(RequestContext ctx, ImageQuery query) {
        access.require("get_images", ctx);
        ListingRules.validate(query, API_LIMIT_MAX);
        Image marker = null;
        if (query.marker() != null) {
            marker = registry.find(query.marker()).orElse(null);
            if (marker == null || marker.status() == ImageStatus.DELETED || !images.canSee(ctx, marker)) {
                throw ImageException.badRequest("marker " + query.marker() + " could not be found.");
            }
        }
        ImagePage page = registry.list(query, ctx.projectId(), ctx.isAdmin(), marker);
        return new ImagePage(page.images().stream().map(i -> images.readable(ctx, i)).toList(), page.more());
    }

    @Override
    public Image update(RequestContext ctx, String id, List<PatchOperation> patch) {
        Image image = images.modifiable(ctx, id, "modify_image");
        // changes of /locations are one change of their own, after the attributes' (Tempest and the
        // clients never mix them in one PATCH)
        List<PatchOperation> locationOps = patch.stream().filter(op -> op.path().equals("locations")).toList();
        List<PatchOperation> operations = patch.stream().filter(op -> !op.path().equals("locations")).toList();
        if (!locationOps.isEmpty()) {
            if (!operations.isEmpty()) {
                updateAttributes(ctx, image, operations);
                image = images.modifiable(ctx, id, "modify_image");
            }
            locations.patch(ctx, image, locationOps);
            return images.readable(ctx, registry.find(image.id()).orElseThrow());
        }
        return updateAttributes(ctx, image, operations);
    }

    private Image updateAttributes(RequestContext ctx, Image image, List<PatchOperation> operations) {
        Map<String, Object> target = images.target(ctx, image);
        for (PatchOperation op : operations) {
            String name = op.path();
            if (com.xloud.image.core.kernel.ImageAttributes.WRITABLE.contains(name)
                    || com.xloud.image.core.kernel.ImageAttributes.READ_ONLY.contains(name)
                    || com.xloud.image.core.kernel.ImageAttributes.RESERVED.contains(name)) {
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
        events.send(new UpdateImage(image.id(), images.origin(ctx), operations, ctx.isAdmin(),
                access.allows("publicize_image", ctx, target), settings.limits()));
        return images.readable(ctx, registry.find(image.id()).orElseThrow());
    }

    @Override
    public void delete(RequestContext ctx, String id) {
        Image image = images.modifiable(ctx, id, "delete_image");
        storeRules.requireNotInUse(image, image.locations().keySet());
        events.send(new DeleteImage(image.id(), images.origin(ctx)));
        images.dropFromCache(image.id());
        image.locations().forEach((storeId, location) -> scrubber.scrub(ctx, image.id(), storeId, location));
    }

    @Override
    public void addTag(RequestContext ctx, String id, String tag) {
        Image image = images.modifiable(ctx, id, "modify_image");
        events.send(new AddTag(image.id(), images.origin(ctx), tag, settings.limits()));
    }

    @Override
    public void removeTag(RequestContext ctx, String id, String tag) {
        Image image = images.modifiable(ctx, id, "modify_image");
        events.send(new RemoveTag(image.id(), images.origin(ctx), tag));
    }

    @Override
    public void deactivate(RequestContext ctx, String id) {
        Image image = images.modifiable(ctx, id, "deactivate");
        events.send(new DeactivateImage(image.id(), images.origin(ctx)));
        images.dropFromCache(image.id());
    }

    @Override
    public void reactivate(RequestContext ctx, String id) {
        Image image = images.modifiable(ctx, id, "reactivate");
        events.send(new ReactivateImage(image.id(), images.origin(ctx)));
    }

    @Override
    public List<com.xloud.image.api.images.ImageEventRecord> history(RequestContext ctx, String id) {
        if (!ImageAttributes.isUuid(id)) {
            throw ImageException.notFound(id);
        }
        Image image = registry.find(id.toLowerCase(java.util.Locale.ROOT)).orElseThrow(() -> ImageException.notFound(id));
        if (!ctx.isAdmin() && (image.status() == ImageStatus.DELETED || !images.canSee(ctx, image))) {
            throw ImageException.notFound(id);
        }
        if (!access.allows("get_image_history", ctx, images.target(ctx, image))) {
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
        return images.readable(ctx, past);
    }

    @Override
    public Map<String, Object> usage(RequestContext ctx) {
        return settings.quotas().report(ctx.projectId(), registry.usage(ctx.projectId()));
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
    public String nodeId() {
        return settings.nodeId();
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
