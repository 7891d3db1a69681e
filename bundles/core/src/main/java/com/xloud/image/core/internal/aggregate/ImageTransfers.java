package com.xloud.image.core.internal.aggregate;

import com.xloud.image.core.kernel.ImageAttributes;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.xloud.image.api.events.CopyFinished;
import com.xloud.image.api.events.CopyStarted;
import com.xloud.image.api.events.ImageActivated;
import com.xloud.image.api.events.ImageDataStored;
import com.xloud.image.api.events.ImageStaged;
import com.xloud.image.api.events.ImageUpdated;
import com.xloud.image.api.events.ImportFailed;
import com.xloud.image.api.events.ImportProgressed;
import com.xloud.image.api.events.ImportStarted;
import com.xloud.image.api.events.ImportSucceeded;
import com.xloud.image.api.events.LocationAdded;
import com.xloud.image.api.events.StagingFailed;
import com.xloud.image.api.events.StagingStarted;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.core.command.CompleteImport;
import com.xloud.image.core.command.CompleteStaging;
import com.xloud.image.core.command.FailImport;
import com.xloud.image.core.command.FailStaging;
import com.xloud.image.core.command.FinishCopy;
import com.xloud.image.core.command.RecordImportStep;
import com.xloud.image.core.command.StartCopy;
import com.xloud.image.core.command.StartImport;
import com.xloud.image.core.command.StartStaging;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The transfers of an image beyond a plain upload: staging (glance-direct), the import task that
 * runs (one at a time) and the copy task (one at a time), with Glance's status rules. A member of
 * the image aggregate.
 */
final class ImageTransfers {
    private final ImageAggregate image;
    /** The size of the staged data, once staging finished. */
    private Long stagedSize;
    private String importTask;
    private String copyTask;

    ImageTransfers(ImageAggregate image) {
        this.image = image;
    }

    @CommandHandler
    void handle(StartStaging c) {
        image.requireExists();
        if (image.status() != ImageStatus.QUEUED) {
            throw ImageException.conflict("Image status transition from " + image.status().wire() + " to uploading is not allowed");
        }
        apply(new StagingStarted(image.id(), c.origin()));
    }

    @CommandHandler
    void handle(CompleteStaging c) {
        if (image.isDeleted()) {
            throw new ImageException(ImageException.Kind.GONE, "Image " + image.id()
                    + " could not be found after staging. The image may have been deleted during the upload.");
        }
        if (image.status() != ImageStatus.UPLOADING) {
            throw ImageException.conflict("Image " + image.id() + " is no longer uploading (status " + image.status().wire() + ")");
        }
        apply(new ImageStaged(image.id(), c.origin(), c.size()));
    }

    @CommandHandler
    void handle(FailStaging c) {
        if (!image.isDeleted() && image.status() == ImageStatus.UPLOADING) {
            apply(new StagingFailed(image.id(), c.origin(), c.reason()));
        }
    }

    @CommandHandler
    void handle(StartImport c) {
        image.requireExists();
        if (image.state().diskFormat() == null || image.state().containerFormat() == null) {
            throw ImageException.conflict("The 'disk_format' and 'container_format' of image " + image.id()
                    + " must be set before it can be imported.");
        }
        switch (c.method()) {
            case "glance-direct" -> {
                if (image.status() != ImageStatus.UPLOADING || stagedSize == null) {
                    throw ImageException.conflict("Image " + image.id() + " is not staged: glance-direct imports an image in"
                            + " status uploading with its data staged (status is " + image.status().wire() + ")");
                }
            }
            case "web-download", "glance-download" -> {
                if (image.status() != ImageStatus.QUEUED) {
                    throw ImageException.conflict("Image status transition from " + image.status().wire()
                            + " to importing is not allowed");
                }
            }
            default -> throw ImageException.badRequest("Import method " + c.method() + " is not supported");
        }
        apply(new ImportStarted(image.id(), c.origin(), c.taskId(), c.method(), c.storeId(), c.input()));
    }

    @CommandHandler
    void handle(RecordImportStep c) {
        if (c.taskId().equals(importTask)) {
            apply(new ImportProgressed(image.id(), c.origin(), c.taskId(), c.step(), c.stagedBytes()));
        }
    }

    @CommandHandler
    void handle(CompleteImport c) {
        if (image.isDeleted()) {
            throw new ImageException(ImageException.Kind.GONE, "Image " + image.id() + " was deleted during its import.");
        }
        if (image.status() != ImageStatus.IMPORTING || !c.taskId().equals(importTask)) {
            throw ImageException.conflict("Image " + image.id() + " is not being imported by task " + c.taskId());
        }
        if (!c.adoptedAttributes().isEmpty() || !c.adoptedProperties().isEmpty()) {
            adopt(c);
        }
        apply(new ImageDataStored(image.id(), c.origin(), c.storeId(), c.location(), c.size(), c.virtualSize(), c.checksum(),
                c.hashAlgo(), c.hashValue()));
        c.otherLocations().forEach((store, where) -> apply(new LocationAdded(image.id(), c.origin(), store, where)));
        apply(new ImageActivated(image.id(), c.origin()));
        apply(new ImportSucceeded(image.id(), c.origin(), c.taskId(), c.failedStores()));
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
        java.util.Set<String> after = new java.util.HashSet<>(image.propertyNames());
        after.addAll(c.adoptedProperties().keySet());
        ImageAggregate.checkQuotas(after.size(), image.tagCount(), c.limits());
        apply(new ImageUpdated(image.id(), c.origin(), changes, c.adoptedProperties(), List.of(), null));
    }

    @CommandHandler
    void handle(FailImport c) {
        if (!image.isDeleted() && image.status() == ImageStatus.IMPORTING && c.taskId().equals(importTask)) {
            apply(new ImportFailed(image.id(), c.origin(), c.taskId(), c.storeId(), c.reason()));
        }
    }

    @CommandHandler
    void handle(StartCopy c) {
        image.requireExists();
        if (image.status() != ImageStatus.ACTIVE) {
            throw ImageException.conflict("Image " + image.id() + " is not active; only active images are copied");
        }
        if (copyTask != null) {
            throw ImageException.conflict("Image " + image.id() + " is being copied by task " + copyTask);
        }
        for (String store : c.stores()) {
            if (image.copies().containsKey(store)) {
                throw ImageException.badRequest("Image " + image.id() + " is already present in store " + store);
            }
        }
        apply(new CopyStarted(image.id(), c.origin(), c.taskId(), c.stores(), c.input()));
    }

    @CommandHandler
    void handle(FinishCopy c) {
        if (c.taskId().equals(copyTask)) {
            apply(new CopyFinished(image.id(), c.origin(), c.taskId(), c.failedStores(), c.succeeded(), c.message()));
        }
    }

    @EventSourcingHandler
    void on(ImageStaged e) {
        stagedSize = e.size();
    }
    @EventSourcingHandler
    void on(ImportSucceeded e) {
        importTask = null;
        stagedSize = null;
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
    void on(StagingFailed e) {
        stagedSize = null;
    }

    @EventSourcingHandler
    void on(ImportStarted e) {
        importTask = e.taskId();
    }

    @EventSourcingHandler
    void on(ImportFailed e) {
        importTask = null;
        stagedSize = null;
    }
}
