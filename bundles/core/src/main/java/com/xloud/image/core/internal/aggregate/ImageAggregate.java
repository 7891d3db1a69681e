package com.xloud.image.core.internal.aggregate;

import com.xloud.image.core.kernel.ImageAttributes;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.xloud.image.api.events.ImageActivated;
import com.xloud.image.api.events.ImageCreated;
import com.xloud.image.api.events.ImageDataStored;
import com.xloud.image.api.events.ImageDeactivated;
import com.xloud.image.api.events.ImageDeleted;
import com.xloud.image.api.events.ImportFailed;
import com.xloud.image.api.events.ImportStarted;
import com.xloud.image.api.events.StagingFailed;
import com.xloud.image.api.events.StagingStarted;
import com.xloud.image.api.events.ImageReactivated;
import com.xloud.image.api.events.ImageUpdated;
import com.xloud.image.api.events.TagAdded;
import com.xloud.image.api.events.TagRemoved;
import com.xloud.image.api.events.SignatureRejected;
import com.xloud.image.api.events.UploadFailed;
import com.xloud.image.api.events.UploadRefused;
import com.xloud.image.api.events.UploadStarted;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.core.command.RefuseUpload;
import com.xloud.image.core.command.RejectSignature;
import com.xloud.image.core.command.AddTag;
import com.xloud.image.core.command.DeactivateImage;
import com.xloud.image.core.command.Limits;
import com.xloud.image.core.command.ReactivateImage;
import com.xloud.image.core.command.CompleteUpload;
import com.xloud.image.core.command.CreateImage;
import com.xloud.image.core.command.DeleteImage;
import com.xloud.image.core.command.FailUpload;
import com.xloud.image.core.command.RemoveTag;
import com.xloud.image.core.command.StartUpload;
import com.xloud.image.core.command.UpdateImage;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.AggregateRoot;

/**
 * One image. Command handlers check Glance's status machine and attribute rules and apply events;
 * event-sourcing handlers only assign state.
 */
@AggregateRoot(type = "Image")
public class ImageAggregate {
    @AggregateIdentifier
    private String id;
    private ImageStatus status;
    private boolean deleted;
    private String owner;
    private ImageState attributes;
    private Map<String, String> properties;
    private Set<String> tags;
    @AggregateMember
    private final ImageSharing sharing = new ImageSharing(this);
    @AggregateMember
    private final ImageTransfers transfers = new ImageTransfers(this);
    @AggregateMember
    private final ImageLocations locations = new ImageLocations(this);

    protected ImageAggregate() {
        // for Axon's event sourcing
    }

    @CommandHandler
    public ImageAggregate(CreateImage c) {
        checkQuotas(c.properties().size(), c.tags().size(), c.limits());
        apply(new ImageCreated(c.imageId(), c.origin(), c.owner(), c.name(), c.visibility(), c.isProtected(),
                c.osHidden(), c.diskFormat(), c.containerFormat(), c.minRam(), c.minDisk(), c.properties(), c.tags()));
    }

    @CommandHandler
    public void handle(UpdateImage c) {
        requireExists();
        ImagePatch patch = new ImagePatch(status, attributes, properties, tags, c.admin(), c.publicize());
        c.operations().forEach(patch::apply);
        checkQuotas(patch.propertyCount(), patch.tagCount(), c.limits());
        if (patch.changed()) {
            apply(new ImageUpdated(id, c.origin(), patch.attributeChanges(), patch.propertiesSet(),
                    patch.propertiesRemoved(), patch.tagsIfReplaced()));
        }
    }

    @CommandHandler
    public void handle(AddTag c) {
        requireExists();
        ImageAttributes.tag(c.tag());
        if (!tags.contains(c.tag())) {
            checkQuotas(properties.size(), tags.size() + 1, c.limits());
            apply(new TagAdded(id, c.origin(), c.tag()));
        }
    }

    @CommandHandler
    public void handle(RemoveTag c) {
        requireExists();
        if (!tags.contains(c.tag())) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Tag " + c.tag() + " not found");
        }
        apply(new TagRemoved(id, c.origin(), c.tag()));
    }

    @CommandHandler
    public void handle(StartUpload c) {
        requireExists();
        if (status != ImageStatus.QUEUED) {
            throw ImageException.conflict("Image status transition from " + status.wire() + " to saving is not allowed");
        }
        if (attributes.diskFormat() == null || attributes.containerFormat() == null) {
            throw ImageException.badRequest("Properties disk_format, container_format must be set prior to saving data.");
        }
        apply(new UploadStarted(id, c.origin(), c.storeId(), c.expectedSize()));
    }

    @CommandHandler
    public void handle(CompleteUpload c) {
        if (deleted) {
            throw new ImageException(ImageException.Kind.GONE, "Image " + id
                    + " could not be found after upload. The image may have been deleted during the upload.");
        }
        if (status != ImageStatus.SAVING) {
            throw ImageException.conflict("Image status transition from " + status.wire() + " to active is not allowed");
        }
        apply(new ImageDataStored(id, c.origin(), c.storeId(), c.location(), c.size(), c.virtualSize(), c.checksum(),
                c.hashAlgo(), c.hashValue()));
        apply(new ImageActivated(id, c.origin()));
    }

    @CommandHandler
    public void handle(RejectSignature c) {
        if (!deleted && status == ImageStatus.SAVING) {
            apply(new SignatureRejected(id, c.origin(), c.reason()));
        }
    }

    @CommandHandler
    public void handle(RefuseUpload c) {
        if (!deleted && status == ImageStatus.SAVING) {
            apply(new UploadRefused(id, c.origin(), c.filter(), c.reason()));
        }
    }

    @CommandHandler
    public void handle(FailUpload c) {
        if (!deleted && status == ImageStatus.SAVING) {
            apply(new UploadFailed(id, c.origin(), c.reason()));
        }
    }

    @CommandHandler
    public void handle(DeleteImage c) {
        requireExists();
        if (attributes.isProtected()) {
            throw ImageException.forbidden("Image " + id + " is protected and cannot be deleted.");
        }
        apply(new ImageDeleted(id, c.origin()));
    }

    @CommandHandler
    public void handle(DeactivateImage c) {
        requireExists();
        if (status == ImageStatus.ACTIVE) {
            apply(new ImageDeactivated(id, c.origin()));
        } else if (status != ImageStatus.DEACTIVATED) {
            throw ImageException.forbidden("Not allowed to deactivate image in status '" + status.wire() + "'");
        }
    }

    @CommandHandler
    public void handle(ReactivateImage c) {
        requireExists();
        if (status == ImageStatus.DEACTIVATED) {
            apply(new ImageReactivated(id, c.origin()));
        } else if (status != ImageStatus.ACTIVE) {
            throw ImageException.forbidden("Not allowed to reactivate image in status '" + status.wire() + "'");
        }
    }

    static void checkQuotas(int propertyCount, int tagCount, Limits limits) {
        if (propertyCount > limits.properties()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Maximum number of properties exceeded: the limit is "
                    + limits.properties() + " properties per image.");
        }
        if (tagCount > limits.tags()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Maximum number of tags exceeded: the limit is "
                    + limits.tags() + " tags per image.");
        }
    }

    String id() {
        return id;
    }

    java.util.Set<String> propertyNames() {
        return properties.keySet();
    }

    int tagCount() {
        return tags.size();
    }

    Map<String, String> copies() {
        return locations.byStore();
    }

    ImageStatus status() {
        return status;
    }

    boolean isDeleted() {
        return deleted;
    }

    ImageState state() {
        return attributes;
    }

    String visibility() {
        return attributes.visibility();
    }

    void requireExists() {
        if (deleted) {
            throw ImageException.notFound(id);
        }
    }

    @EventSourcingHandler
    void on(ImageCreated e) {
        id = e.imageId();
        status = ImageStatus.QUEUED;
        owner = e.owner();
        attributes = new ImageState(e.name(), e.visibility(), e.isProtected(), e.osHidden(), e.diskFormat(),
                e.containerFormat(), e.minRam(), e.minDisk(), e.owner());
        properties = new TreeMap<>(e.properties());
        tags = new LinkedHashSet<>(e.tags());
    }

    @EventSourcingHandler
    void on(ImageUpdated e) {
        attributes = attributes.with(e.attributes());
        owner = attributes.owner();
        properties.putAll(e.propertiesSet());
        e.propertiesRemoved().forEach(properties::remove);
        if (e.tags() != null) {
            tags = new LinkedHashSet<>(e.tags());
        }
    }

    @EventSourcingHandler
    void on(TagAdded e) {
        tags.add(e.tag());
    }

    @EventSourcingHandler
    void on(TagRemoved e) {
        tags.remove(e.tag());
    }

    @EventSourcingHandler
    void on(UploadStarted e) {
        status = ImageStatus.SAVING;
    }



    @EventSourcingHandler
    void on(ImageActivated e) {
        status = ImageStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(UploadFailed e) {
        status = ImageStatus.QUEUED;
    }

    @EventSourcingHandler
    void on(UploadRefused e) {
        status = ImageStatus.QUEUED;
    }

    @EventSourcingHandler
    void on(SignatureRejected e) {
        status = ImageStatus.QUEUED;
    }

    @EventSourcingHandler
    void on(ImageDeleted e) {
        status = ImageStatus.DELETED;
        deleted = true;
    }

    @EventSourcingHandler
    void on(ImageDeactivated e) {
        status = ImageStatus.DEACTIVATED;
    }

    @EventSourcingHandler
    void on(ImageReactivated e) {
        status = ImageStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(StagingStarted e) {
        status = ImageStatus.UPLOADING;
    }


    @EventSourcingHandler
    void on(StagingFailed e) {
        status = ImageStatus.QUEUED;
    }

    @EventSourcingHandler
    void on(ImportStarted e) {
        status = ImageStatus.IMPORTING;
    }


    @EventSourcingHandler
    void on(ImportFailed e) {
        status = ImageStatus.QUEUED;
    }


}
