package com.xloud.image.core.internal.aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.xloud.image.api.events.DataLeftBehind;
import com.xloud.image.api.events.DataScrubbed;
import com.xloud.image.api.events.ImageActivated;
import com.xloud.image.api.events.ImageDataStored;
import com.xloud.image.api.events.ImageHashed;
import com.xloud.image.api.events.ImportFailed;
import com.xloud.image.api.events.LocationAdded;
import com.xloud.image.api.events.LocationRemoved;
import com.xloud.image.api.events.LocationsSet;
import com.xloud.image.api.events.SignatureRejected;
import com.xloud.image.api.events.UploadFailed;
import com.xloud.image.api.events.UploadRefused;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageLocation;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.core.command.AddLocation;
import com.xloud.image.core.command.AttachLocation;
import com.xloud.image.core.command.RecordHashes;
import com.xloud.image.core.command.RecordLeftBehind;
import com.xloud.image.core.command.RecordScrub;
import com.xloud.image.core.command.RemoveLocation;
import com.xloud.image.core.command.SetLocations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * Where an image's data is: its locations in Glance's order (a store's first one is its copy of the
 * data), the data it no longer uses that a store could not remove, and whether the digests of data
 * taken from an attached location are still to come. A member of the image aggregate.
 */
final class ImageLocations {
    private final ImageAggregate image;
    /** The first location: where the data is read from. */
    private String location;
    private List<ImageLocation> locationList = new ArrayList<>();
    private final Set<String> leftBehind = new TreeSet<>();
    /** True while the data came from an attached location whose digests are not known yet. */
    private boolean unhashed;

    ImageLocations(ImageAggregate image) {
        this.image = image;
    }

    /** Store id to location, for every store that holds a copy of the data (its first location there). */
    Map<String, String> byStore() {
        Map<String, String> locations = new TreeMap<>();
        locationList.forEach(l -> locations.putIfAbsent(l.storeId(), l.url()));
        return locations;
    }

    @CommandHandler
    void handle(AttachLocation c) {
        image.requireExists();
        if (image.status() != ImageStatus.QUEUED) {
            throw ImageException.conflict("Image status transition from " + image.status().wire() + " to active is not"
                    + " allowed: locations can only be added to queued images");
        }
        apply(new ImageDataStored(image.id(), c.origin(), c.storeId(), c.location(), c.size(), null, null, c.hashAlgo(),
                c.hashValue()));
        apply(new ImageActivated(image.id(), c.origin()));
    }

    @CommandHandler
    void handle(SetLocations c) {
        image.requireExists();
        ImageStatus status = image.status();
        if (status != ImageStatus.ACTIVE && status != ImageStatus.QUEUED) {
            throw ImageException.conflict("It's not allowed to change locations if image status is " + status.wire()
                    + ".");
        }
        if (c.locations().isEmpty()) {
            throw ImageException.forbidden("Cannot set locations to empty list.");
        }
        if (status == ImageStatus.QUEUED) {
            List<String> missing = new ArrayList<>();
            if (image.state().diskFormat() == null) {
                missing.add("disk_format");
            }
            if (image.state().containerFormat() == null) {
                missing.add("container_format");
            }
            if (!missing.isEmpty()) {
                throw ImageException.badRequest(missing.size() == 2
                        ? "Properties disk_format, container_format must be set prior to saving data."
                        : "Property " + missing.get(0) + " must be set prior to saving data.");
            }
            ImageLocation first = c.locations().get(0);
            apply(new ImageDataStored(image.id(), c.origin(), first.storeId(), first.url(), c.size(), null, c.checksum(),
                    c.hashAlgo(), c.hashValue()));
            apply(new ImageActivated(image.id(), c.origin()));
        }
        apply(new LocationsSet(image.id(), c.origin(), c.locations()));
    }

    @CommandHandler
    void handle(RecordHashes c) {
        if (!image.isDeleted() && unhashed && c.location().equals(location)) {
            apply(new ImageHashed(image.id(), c.origin(), c.size(), c.checksum(), c.hashAlgo(), c.hashValue()));
        }
    }

    @CommandHandler
    void handle(RecordScrub c) {
        if (image.isDeleted() && (byStore().containsValue(c.location()) || leftBehind.contains(c.location()))) {
            apply(new DataScrubbed(image.id(), c.origin(), c.location()));
        }
    }

    @CommandHandler
    void handle(RecordLeftBehind c) {
        // a deleted image too: its data then goes with the next scrub
        if (!byStore().containsValue(c.location()) && !leftBehind.contains(c.location())) {
            apply(new DataLeftBehind(image.id(), c.origin(), c.storeId(), c.location(), c.reason()));
        }
    }

    @CommandHandler
    void handle(AddLocation c) {
        if (image.isDeleted()) {
            throw new ImageException(ImageException.Kind.GONE, "Image " + image.id() + " was deleted during the copy.");
        }
        if (!byStore().containsKey(c.storeId())) {
            apply(new LocationAdded(image.id(), c.origin(), c.storeId(), c.location()));
        }
    }

    @CommandHandler
    void handle(RemoveLocation c) {
        image.requireExists();
        if (image.status() != ImageStatus.ACTIVE) {
            throw ImageException.conflict("Image " + image.id() + " is not active (status " + image.status().wire() + ")");
        }
        Map<String, String> copies = byStore();
        if (!copies.containsKey(c.storeId())) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Image " + image.id() + " is not in store "
                    + c.storeId());
        }
        if (copies.size() == 1) {
            throw ImageException.forbidden("Cannot delete image data from the only store containing it. Consider"
                    + " deleting the image instead.");
        }
        apply(new LocationRemoved(image.id(), c.origin(), c.storeId(), copies.get(c.storeId())));
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
        locationList = new ArrayList<>(e.locations());
        location = locationList.isEmpty() ? null : locationList.get(0).url();
    }

    @EventSourcingHandler
    void on(UploadFailed e) {
        clear();
    }

    @EventSourcingHandler
    void on(UploadRefused e) {
        clear();
    }

    @EventSourcingHandler
    void on(SignatureRejected e) {
        clear();
    }

    @EventSourcingHandler
    void on(ImportFailed e) {
        clear();
    }

    private void clear() {
        location = null;
        locationList.clear();
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
