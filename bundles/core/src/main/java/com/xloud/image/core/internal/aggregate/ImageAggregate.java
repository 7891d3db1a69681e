package com.xloud.image.core.internal.aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.xloud.image.api.events.CopyFinished;
import com.xloud.image.api.events.CopyStarted;
import com.xloud.image.api.events.DataLeftBehind;
import com.xloud.image.api.events.DataScrubbed;
import com.xloud.image.api.events.LocationAdded;
import com.xloud.image.api.events.LocationRemoved;
import com.xloud.image.api.events.LocationsSet;
import com.xloud.image.api.images.ImageLocation;
import com.xloud.image.api.events.ImageActivated;
import com.xloud.image.api.events.ImageCreated;
import com.xloud.image.api.events.ImageDataStored;
import com.xloud.image.api.events.ImageDeactivated;
import com.xloud.image.api.events.ImageDeleted;
import com.xloud.image.api.events.ImageHashed;
import com.xloud.image.api.events.ImageStaged;
import com.xloud.image.api.events.ImportFailed;
import com.xloud.image.api.events.ImportProgressed;
import com.xloud.image.api.events.ImportStarted;
import com.xloud.image.api.events.ImportSucceeded;
import com.xloud.image.api.events.StagingFailed;
import com.xloud.image.api.events.StagingStarted;
import com.xloud.image.api.events.ImageReactivated;
import com.xloud.image.api.events.MemberAdded;
import com.xloud.image.api.events.MemberRemoved;
import com.xloud.image.api.events.MemberStatusChanged;
import com.xloud.image.api.events.ImageUpdated;
import com.xloud.image.api.events.TagAdded;
import com.xloud.image.api.events.TagRemoved;
import com.xloud.image.api.events.SignatureRejected;
import com.xloud.image.api.events.UploadFailed;
import com.xloud.image.api.events.UploadRefused;
import com.xloud.image.api.events.UploadStarted;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.core.internal.command.AddLocation;
import com.xloud.image.core.internal.command.AddMember;
import com.xloud.image.core.internal.command.AttachLocation;
import com.xloud.image.core.internal.command.RecordHashes;
import com.xloud.image.core.internal.command.RefuseUpload;
import com.xloud.image.core.internal.command.RejectSignature;
import com.xloud.image.core.internal.command.FinishCopy;
import com.xloud.image.core.internal.command.RemoveLocation;
import com.xloud.image.core.internal.command.SetLocations;
import com.xloud.image.core.internal.command.StartCopy;
import com.xloud.image.core.internal.command.AddTag;
import com.xloud.image.core.internal.command.ChangeMemberStatus;
import com.xloud.image.core.internal.command.CompleteImport;
import com.xloud.image.core.internal.command.CompleteStaging;
import com.xloud.image.core.internal.command.FailImport;
import com.xloud.image.core.internal.command.FailStaging;
import com.xloud.image.core.internal.command.RecordImportStep;
import com.xloud.image.core.internal.command.StartImport;
import com.xloud.image.core.internal.command.StartStaging;
import com.xloud.image.core.internal.command.DeactivateImage;
import com.xloud.image.core.internal.command.Limits;
import com.xloud.image.core.internal.command.ReactivateImage;
import com.xloud.image.core.internal.command.RemoveMember;
import com.xloud.image.core.internal.command.CompleteUpload;
import com.xloud.image.core.internal.command.CreateImage;
import com.xloud.image.core.internal.command.DeleteImage;
import com.xloud.image.core.internal.command.FailUpload;
import com.xloud.image.core.internal.command.RecordLeftBehind;
import com.xloud.image.core.internal.command.RecordScrub;
import com.xloud.image.core.internal.command.RemoveTag;
import com.xloud.image.core.internal.command.StartUpload;
import com.xloud.image.core.internal.command.UpdateImage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
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
    private String location;
    private Map<String, String> members;
    private Long stagedSize;
    private String importTask;
    private String copyTask;
    /** Every location in Glance's order, with its metadata; a store's first one is its copy of the data. */
    private java.util.List<ImageLocation> locationList = new java.util.ArrayList<>();
    /** Locations of data the image no longer uses that a store could not remove. */
    private Set<String> leftBehind = new java.util.TreeSet<>();
    /** True while the data came from an attached location whose digests are not known yet. */
    private boolean unhashed;

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
    public void handle(AttachLocation c) {
        requireExists();
        if (status != ImageStatus.QUEUED) {
            throw ImageException.conflict("Image status transition from " + status.wire() + " to active is not"
                    + " allowed: locations can only be added to queued images");
        }
        apply(new ImageDataStored(id, c.origin(), c.storeId(), c.location(), c.size(), null, null, c.hashAlgo(),
                c.hashValue()));
        apply(new ImageActivated(id, c.origin()));
    }

    @CommandHandler
    public void handle(SetLocations c) {
        requireExists();
        if (status != ImageStatus.ACTIVE && status != ImageStatus.QUEUED) {
            throw ImageException.conflict("It's not allowed to change locations if image status is " + status.wire()
                    + ".");
        }
        if (c.locations().isEmpty()) {
            throw ImageException.forbidden("Cannot set locations to empty list.");
        }
        if (status == ImageStatus.QUEUED) {
            List<String> missing = new java.util.ArrayList<>();
            if (attributes.diskFormat() == null) {
                missing.add("disk_format");
            }
            if (attributes.containerFormat() == null) {
                missing.add("container_format");
            }
            if (!missing.isEmpty()) {
                throw ImageException.badRequest(missing.size() == 2
                        ? "Properties disk_format, container_format must be set prior to saving data."
                        : "Property " + missing.get(0) + " must be set prior to saving data.");
            }
            ImageLocation first = c.locations().get(0);
            apply(new ImageDataStored(id, c.origin(), first.storeId(), first.url(), c.size(), null, c.checksum(),
                    c.hashAlgo(), c.hashValue()));
            apply(new ImageActivated(id, c.origin()));
        }
        apply(new LocationsSet(id, c.origin(), c.locations()));
    }

    @CommandHandler
    public void handle(RecordHashes c) {
        if (!deleted && unhashed && c.location().equals(location)) {
            apply(new ImageHashed(id, c.origin(), c.size(), c.checksum(), c.hashAlgo(), c.hashValue()));
        }
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
    public void handle(RecordScrub c) {
        if (deleted && (locations().containsValue(c.location()) || leftBehind.contains(c.location()))) {
            apply(new DataScrubbed(id, c.origin(), c.location()));
        }
    }

    @CommandHandler
    public void handle(RecordLeftBehind c) {
        // a deleted image too: its data then goes with the next scrub
        if (!locations().containsValue(c.location()) && !leftBehind.contains(c.location())) {
            apply(new DataLeftBehind(id, c.origin(), c.storeId(), c.location(), c.reason()));
        }
    }

    @CommandHandler
    public void handle(AddMember c) {
        requireExists();
        if (!attributes.visibility().equals("shared")) {
            throw ImageException.forbidden("Only shared images have members.");
        }
        if (members.containsKey(c.memberId())) {
            throw ImageException.conflict("Member " + c.memberId() + " already associated with image " + id + ".");
        }
        if (members.size() + 1 > c.limits().members()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "The limit of " + c.limits().members()
                    + " members of an image has been exceeded.");
        }
        apply(new MemberAdded(id, c.origin(), c.memberId()));
    }

    @CommandHandler
    public void handle(ChangeMemberStatus c) {
        requireExists();
        if (!members.containsKey(c.memberId())) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Member " + c.memberId() + " not found for image " + id);
        }
        if (!java.util.List.of("pending", "accepted", "rejected").contains(c.status())) {
            throw ImageException.badRequest("Provided object does not match schema 'member': '" + c.status()
                    + "' is not one of ['pending', 'accepted', 'rejected']");
        }
        if (!c.status().equals(members.get(c.memberId()))) {
            apply(new MemberStatusChanged(id, c.origin(), c.memberId(), c.status()));
        }
    }

    @CommandHandler
    public void handle(RemoveMember c) {
        requireExists();
        if (!members.containsKey(c.memberId())) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Member " + c.memberId() + " not found for image " + id);
        }
        apply(new MemberRemoved(id, c.origin(), c.memberId()));
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

    @CommandHandler
    public void handle(StartStaging c) {
        requireExists();
        if (status != ImageStatus.QUEUED) {
            throw ImageException.conflict("Image status transition from " + status.wire() + " to uploading is not allowed");
        }
        apply(new StagingStarted(id, c.origin()));
    }

    @CommandHandler
    public void handle(CompleteStaging c) {
        if (deleted) {
            throw new ImageException(ImageException.Kind.GONE, "Image " + id
                    + " could not be found after staging. The image may have been deleted during the upload.");
        }
        if (status != ImageStatus.UPLOADING) {
            throw ImageException.conflict("Image " + id + " is no longer uploading (status " + status.wire() + ")");
        }
        apply(new ImageStaged(id, c.origin(), c.size()));
    }

    @CommandHandler
    public void handle(FailStaging c) {
        if (!deleted && status == ImageStatus.UPLOADING) {
            apply(new StagingFailed(id, c.origin(), c.reason()));
        }
    }

    @CommandHandler
    public void handle(StartImport c) {
        requireExists();
        if (attributes.diskFormat() == null || attributes.containerFormat() == null) {
            throw ImageException.conflict("The 'disk_format' and 'container_format' of image " + id
                    + " must be set before it can be imported.");
        }
        switch (c.method()) {
            case "glance-direct" -> {
                if (status != ImageStatus.UPLOADING || stagedSize == null) {
                    throw ImageException.conflict("Image " + id + " is not staged: glance-direct imports an image in"
                            + " status uploading with its data staged (status is " + status.wire() + ")");
                }
            }
            case "web-download", "glance-download" -> {
                if (status != ImageStatus.QUEUED) {
                    throw ImageException.conflict("Image status transition from " + status.wire()
                            + " to importing is not allowed");
                }
            }
            default -> throw ImageException.badRequest("Import method " + c.method() + " is not supported");
        }
        apply(new ImportStarted(id, c.origin(), c.taskId(), c.method(), c.storeId(), c.input()));
    }

    @CommandHandler
    public void handle(RecordImportStep c) {
        if (c.taskId().equals(importTask)) {
            apply(new ImportProgressed(id, c.origin(), c.taskId(), c.step(), c.stagedBytes()));
        }
    }

    @CommandHandler
    public void handle(CompleteImport c) {
        if (deleted) {
            throw new ImageException(ImageException.Kind.GONE, "Image " + id + " was deleted during its import.");
        }
        if (status != ImageStatus.IMPORTING || !c.taskId().equals(importTask)) {
            throw ImageException.conflict("Image " + id + " is not being imported by task " + c.taskId());
        }
        if (!c.adoptedAttributes().isEmpty() || !c.adoptedProperties().isEmpty()) {
            adopt(c);
        }
        apply(new ImageDataStored(id, c.origin(), c.storeId(), c.location(), c.size(), c.virtualSize(), c.checksum(),
                c.hashAlgo(), c.hashValue()));
        c.otherLocations().forEach((store, where) -> apply(new LocationAdded(id, c.origin(), store, where)));
        apply(new ImageActivated(id, c.origin()));
        apply(new ImportSucceeded(id, c.origin(), c.taskId(), c.failedStores()));
    }

    /** What the image takes over from its import's source: formats and extra properties, checked as a patch's. */
    private void adopt(CompleteImport c) {
        Map<String, Object> changes = new java.util.LinkedHashMap<>();
        c.adoptedAttributes().forEach((name, value) -> {
            switch (name) {
                case "disk_format" -> changes.put(name, ImageAttributes.diskFormat(value));
                case "container_format" -> changes.put(name, ImageAttributes.containerFormat(value));
                default -> throw ImageException.badRequest("Attribute '" + name + "' cannot be taken over at import");
            }
        });
        c.adoptedProperties().forEach((name, value) -> {
            ImageAttributes.checkWritableName(name);
            ImageAttributes.extraValue(name, value);
        });
        java.util.Set<String> after = new java.util.HashSet<>(properties.keySet());
        after.addAll(c.adoptedProperties().keySet());
        checkQuotas(after.size(), tags.size(), c.limits());
        apply(new ImageUpdated(id, c.origin(), changes, c.adoptedProperties(), List.of(), null));
    }

    @CommandHandler
    public void handle(FailImport c) {
        if (!deleted && status == ImageStatus.IMPORTING && c.taskId().equals(importTask)) {
            apply(new ImportFailed(id, c.origin(), c.taskId(), c.storeId(), c.reason()));
        }
    }

    @CommandHandler
    public void handle(StartCopy c) {
        requireExists();
        if (status != ImageStatus.ACTIVE) {
            throw ImageException.conflict("Image " + id + " is not active; only active images are copied");
        }
        if (copyTask != null) {
            throw ImageException.conflict("Image " + id + " is being copied by task " + copyTask);
        }
        for (String store : c.stores()) {
            if (locations().containsKey(store)) {
                throw ImageException.badRequest("Image " + id + " is already present in store " + store);
            }
        }
        apply(new CopyStarted(id, c.origin(), c.taskId(), c.stores(), c.input()));
    }

    @CommandHandler
    public void handle(AddLocation c) {
        if (deleted) {
            throw new ImageException(ImageException.Kind.GONE, "Image " + id + " was deleted during the copy.");
        }
        if (!locations().containsKey(c.storeId())) {
            apply(new LocationAdded(id, c.origin(), c.storeId(), c.location()));
        }
    }

    @CommandHandler
    public void handle(FinishCopy c) {
        if (c.taskId().equals(copyTask)) {
            apply(new CopyFinished(id, c.origin(), c.taskId(), c.failedStores(), c.succeeded(), c.message()));
        }
    }

    @CommandHandler
    public void handle(RemoveLocation c) {
        requireExists();
        if (status != ImageStatus.ACTIVE) {
            throw ImageException.conflict("Image " + id + " is not active (status " + status.wire() + ")");
        }
        if (!locations().containsKey(c.storeId())) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Image " + id + " is not in store " + c.storeId());
        }
        if (locations().size() == 1) {
            throw ImageException.forbidden("Cannot delete image data from the only store containing it. Consider"
                    + " deleting the image instead.");
        }
        apply(new LocationRemoved(id, c.origin(), c.storeId(), locations().get(c.storeId())));
    }

    private static void checkQuotas(int propertyCount, int tagCount, Limits limits) {
        if (propertyCount > limits.properties()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Maximum number of properties exceeded: the limit is "
                    + limits.properties() + " properties per image.");
        }
        if (tagCount > limits.tags()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Maximum number of tags exceeded: the limit is "
                    + limits.tags() + " tags per image.");
        }
    }

    private void requireExists() {
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
        members = new TreeMap<>();
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
    void on(ImageDataStored e) {
        location = e.location();
        ImageLocation.putStoreCopy(locationList, e.storeId(), e.location());
        leftBehind.remove(e.location());
        unhashed = e.hashValue() == null;
    }

    @EventSourcingHandler
    void on(ImageHashed e) {
        unhashed = false;
    }

    @EventSourcingHandler
    void on(LocationAdded e) {
        ImageLocation.putStoreCopy(locationList, e.storeId(), e.location());
        leftBehind.remove(e.location());
    }

    @EventSourcingHandler
    void on(LocationRemoved e) {
        locationList.removeIf(l -> l.storeId().equals(e.storeId()) && l.url().equals(e.location()));
        if (e.location().equals(location)) {
            location = locationList.isEmpty() ? null : locationList.get(0).url();
        }
    }

    @EventSourcingHandler
    void on(LocationsSet e) {
        locationList = new java.util.ArrayList<>(e.locations());
        location = locationList.isEmpty() ? null : locationList.get(0).url();
    }

    /** Store id to location, for every store that holds a copy of the data (its first location there). */
    private Map<String, String> locations() {
        Map<String, String> locations = new TreeMap<>();
        locationList.forEach(l -> locations.putIfAbsent(l.storeId(), l.url()));
        return locations;
    }

    private void clearLocations() {
        location = null;
        locationList.clear();
    }

    @EventSourcingHandler
    void on(CopyStarted e) {
        copyTask = e.taskId();
    }

    @EventSourcingHandler
    void on(CopyFinished e) {
        copyTask = null;
    }

    @EventSourcingHandler
    void on(ImageActivated e) {
        status = ImageStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(UploadFailed e) {
        status = ImageStatus.QUEUED;
        clearLocations();
    }

    @EventSourcingHandler
    void on(UploadRefused e) {
        status = ImageStatus.QUEUED;
        clearLocations();
    }

    @EventSourcingHandler
    void on(SignatureRejected e) {
        status = ImageStatus.QUEUED;
        clearLocations();
    }

    @EventSourcingHandler
    void on(ImageDeleted e) {
        status = ImageStatus.DELETED;
        deleted = true;
    }

    @EventSourcingHandler
    void on(MemberAdded e) {
        members.put(e.memberId(), "pending");
    }

    @EventSourcingHandler
    void on(MemberStatusChanged e) {
        members.put(e.memberId(), e.status());
    }

    @EventSourcingHandler
    void on(MemberRemoved e) {
        members.remove(e.memberId());
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
    void on(ImageStaged e) {
        stagedSize = e.size();
    }

    @EventSourcingHandler
    void on(StagingFailed e) {
        status = ImageStatus.QUEUED;
        stagedSize = null;
    }

    @EventSourcingHandler
    void on(ImportStarted e) {
        status = ImageStatus.IMPORTING;
        importTask = e.taskId();
    }

    @EventSourcingHandler
    void on(ImportSucceeded e) {
        importTask = null;
        stagedSize = null;
    }

    @EventSourcingHandler
    void on(ImportFailed e) {
        status = ImageStatus.QUEUED;
        importTask = null;
        stagedSize = null;
        clearLocations();
    }

    @EventSourcingHandler
    void on(DataLeftBehind e) {
        leftBehind.add(e.location());
    }

    @EventSourcingHandler
    void on(DataScrubbed e) {
        leftBehind.remove(e.location());
        locationList.removeIf(l -> l.url().equals(e.location()));
        location = locationList.isEmpty() ? null : locationList.get(0).url();
    }
}
