package com.xloud.image.imports.internal;

import com.xloud.image.core.kernel.ImageGate;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.KernelSettings;
import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.ImageTask;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.images.StagedElsewhereException;
import com.xloud.image.registry.ImageRegistry;
import java.util.List;
import java.util.Map;
import java.io.InputStream;

/**
 * The interoperable import: staging (glance-direct), the import call of each method (checks in
 * Glance's order, then a task run by {@link ImportFlow}), an import forwarded to the node that
 * holds the staged data, and Glance's task API.
 */
final class Imports implements ImportService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Imports.class);
    private final ImageGate images;
    private final ImageRegistry registry;
    private final KernelSettings settings;
    private final ImportSettings importing;
    private final ImportFlow imports;
    private final StagingArea staging;
    private final StoreDirectory stores;
    private final TaskRules tasks;
    private final ImageService lifecycle;

    Imports(Kernel kernel, ImportSettings importing, ImportFlow imports, StagingArea staging, TaskRules tasks,
            ImageService lifecycle) {
        this.images = kernel.images();
        this.registry = kernel.registry();
        this.settings = kernel.settings();
        this.stores = kernel.stores();
        this.importing = importing;
        this.imports = imports;
        this.staging = staging;
        this.tasks = tasks;
        this.lifecycle = lifecycle;
    }

    @Override
    public void stage(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId) {
        requireMethod("glance-direct");
        Image image = images.modifiable(ctx, id, "upload_image");
        stores.forUpload(storeId, settings.defaultStore());
        if (expectedSize > settings.imageSizeCap()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Image exceeds the storage quota: the limit is "
                    + settings.imageSizeCap() + " bytes");
        }
        images.enforce(image.owner(), "image_count_uploading", 0);
        images.enforce(image.owner(), "image_stage_total", 0);
        imports.stage(ctx, image, data, expectedSize);
    }

    @Override
    public String importImage(RequestContext ctx, String id, String method, String uri, List<String> storeIds,
                              boolean allStores, boolean allStoresMustSucceed, Map<String, Object> body) {
        if (!importing.methods().contains(method)) {
            throw ImageException.badRequest("Unknown import method name '" + method + "'.");
        }
        Image image = images.modifiable(ctx, id, "modify_image");
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
            images.require("copy_image", ctx, image);
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
        images.enforce(image.owner(), "image_count_uploading", 0);
        if (method.equals("web-download") || method.equals(GlanceDownload.METHOD)) {
            images.enforce(image.owner(), "image_stage_total", 0);
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
        if (!importing.methods().contains(method)) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "The " + method + " import method is not enabled");
        }
    }

    @Override
    public List<String> importMethods() {
        return importing.methods();
    }

    @Override
    public List<ImageTask> imageTasks(RequestContext ctx, String id) {
        return registry.tasksOf(images.visible(ctx, id).id());
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
        return tasks.create(ctx, type, input, lifecycle, this);
    }
}
