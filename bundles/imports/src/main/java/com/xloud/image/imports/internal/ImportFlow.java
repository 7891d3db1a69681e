package com.xloud.image.imports.internal;

import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.Transfers;
import com.xloud.image.core.kernel.Commands;
import com.xloud.image.core.kernel.Hashing;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.KernelSettings;
import com.xloud.image.core.kernel.UploadFilters;
import com.xloud.image.core.kernel.Scrubber;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.upload.UploadSubject;
import com.xloud.image.api.store.StoredImage;
import com.xloud.image.core.command.AddLocation;
import com.xloud.image.core.command.CompleteImport;
import com.xloud.image.core.command.CompleteStaging;
import com.xloud.image.core.command.FailImport;
import com.xloud.image.core.command.FailStaging;
import com.xloud.image.core.command.FinishCopy;
import com.xloud.image.core.command.StartCopy;
import com.xloud.image.core.command.RecordImportStep;
import com.xloud.image.core.command.StartImport;
import com.xloud.image.core.command.StartStaging;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Glance's interoperable import: glance-direct (stage, then import), web-download and
 * glance-download (another region's image service), each import a task that runs on a worker
 * thread and records every step as an event. Whatever fails, the staged data is removed and the
 * image is queued again with {@code os_glance_failed_import} set.
 */
final class ImportFlow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportFlow.class);

    private final Commands events;
    private final StoreDirectory stores;
    private final StagingArea staging;
    private final WebDownload web;
    private final GlanceDownload glance;
    private final KernelSettings settings;
    private final Function<RequestContext, Origin> origins;
    private final ExecutorService workers;
    private final Transfers transfers;
    private final Scrubber scrubber;
    private final UploadFilters filters;

    ImportFlow(Kernel kernel, StagingArea staging, WebDownload web, GlanceDownload glance, int threads) {
        this.events = kernel.commands();
        this.stores = kernel.stores();
        this.settings = kernel.settings();
        this.origins = kernel.images()::origin;
        this.transfers = kernel.transfers();
        this.scrubber = kernel.scrubber();
        this.filters = kernel.uploadFilters();
        this.staging = staging;
        this.web = web;
        this.glance = glance;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "image-import");
            t.setDaemon(true);
            return t;
        });
    }

    /** PUT /stage: the data goes to the staging area; the image is uploading until imported. */
    void stage(RequestContext ctx, Image image, InputStream data, long expected) {
        events.send(new StartStaging(image.id(), origins.apply(ctx)));
        long size;
        try {
            size = staging.write(image.id(), transfers.watch(image.id(), data), expected, settings.imageSizeCap());
        } catch (StagingArea.StagingException e) {
            ImageException failure = StagingArea.failure(e);
            events.send(new FailStaging(image.id(), origins.apply(ctx), failure.getMessage()));
            throw failure;
        } finally {
            transfers.ended(image.id());
        }
        try {
            events.send(new CompleteStaging(image.id(), origins.apply(ctx), size));
        } catch (RuntimeException e) {
            staging.delete(image.id());
            events.send(new FailStaging(image.id(), origins.apply(ctx), "recording the staged data failed"));
            throw e;
        }
    }

    /**
     * POST /import: checks, records the task's start, and runs it on a worker. {@code input} is the
     * task's input as Glance records it (glance-download reads its parameters from it). Returns the task id.
     */
    String start(RequestContext ctx, Image image, String method, String uri, Map<String, Object> input,
                 List<StoreDirectory.Entry> targets, boolean mustSucceed) {
        filters.requirePresent(image.properties());
        if (method.equals("web-download")) {
            if (uri == null || uri.isBlank()) {
                throw ImageException.badRequest("The web-download import method needs a 'uri'.");
            }
            String refusal = web.refusal(uri);
            if (refusal != null) {
                throw ImageException.badRequest("URI for web-download does not pass filtering: " + uri + " (" + refusal + ")");
            }
        }
        List<StoreDirectory.Entry> into = targets.isEmpty() ? List.of(stores.forUpload(settings.defaultStore())) : targets;
        String taskId = UUID.randomUUID().toString();
        events.send(new StartImport(image.id(), origins.apply(ctx), taskId, method, into.get(0).id(), input));
        String requestId = ctx.requestId();
        transfers.started(image.id()); // the import runs here from now on
        workers.submit(() -> {
            MDC.put("request_id", requestId);
            try {
                run(ctx, image, taskId, method, uri, input, into, mustSucceed);
            } finally {
                transfers.ended(image.id());
                MDC.remove("request_id");
            }
        });
        return taskId;
    }

    private void run(RequestContext ctx, Image image, String taskId, String method, String uri,
                     Map<String, Object> input, List<StoreDirectory.Entry> targets, boolean mustSucceed) {
        String id = image.id();
        Map<StoreDirectory.Entry, StoredImage> written = new java.util.LinkedHashMap<>();
        List<String> failed = new java.util.ArrayList<>();
        try {
            GlanceDownload.Source source = null;
            if (method.equals(GlanceDownload.METHOD)) {
                source = glance.describe(ctx, GlanceDownload.parameters(input));
                WebDownload.Body body = glance.open(ctx, source);
                long n;
                try (InputStream in = transfers.watch(id, body.data())) {
                    n = staging.write(id, in, source.size(), settings.imageSizeCap());
                }
                events.send(new RecordImportStep(id, origins.apply(ctx), taskId, "downloaded " + n + " bytes from "
                        + source.image() + " to staging", n));
            }
            if (method.equals("web-download")) {
                WebDownload.Body body = web.open(uri);
                long n;
                try (InputStream in = transfers.watch(id, body.data())) {
                    n = staging.write(id, in, body.length(), settings.imageSizeCap());
                }
                events.send(new RecordImportStep(id, origins.apply(ctx), taskId, "downloaded " + n + " bytes from "
                        + uri + " to staging", n));
            }
            String lastError = null;
            Long virtualSize = null;
            // glance-download: the data is in the source's format, which the image takes over
            UploadSubject subject = new UploadSubject(id, source == null ? image.diskFormat() : source.diskFormat(), -1,
                    image.properties(), ctx, true);
            for (StoreDirectory.Entry store : targets) {
                UploadFilters.Run checks = filters.open(subject);
                StoredImage stored = null;
                try (InputStream in = transfers.watch(id, staging.open(id));
                     Hashing hashing = new Hashing(settings.hashingAlgorithm())) {
                    // every store's copy passes the filters: each is inspected and, signed, verified
                    stored = store.store().add(id, hashing.wrap(checks.wrap(in)), -1, hashing);
                    Map<String, Object> attributes = checks.complete();
                    virtualSize = attributes.get("virtual_size") instanceof Number v ? v.longValue() : null;
                    written.put(store, stored);
                    events.send(new RecordImportStep(id, origins.apply(ctx), taskId, "stored " + stored.size()
                            + " bytes in store " + store.id(), null));
                } catch (RuntimeException | java.io.IOException e) {
                    UploadFilters.Refusal refused = checks.refusal();
                    if (stored != null && refused != null) {
                        scrubber.discard(ctx, id, store, stored.location(), "refused at import by " + refused.filter());
                    }
                    if (refused != null) {
                        // the data itself is refused: no other store would take it either
                        throw refused.failure();
                    }
                    failed.add(store.id());
                    lastError = store.id() + ": " + e.getMessage();
                    LOG.warn("import task {}: image {} not stored in {}: {}", taskId, id, store.id(), e.getMessage());
                }
            }
            if (written.isEmpty() || mustSucceed && !failed.isEmpty()) {
                throw new IllegalStateException("storing the image failed (" + lastError + ")");
            }
            // the staged copy goes first: once the image is active nothing of it is left in staging
            staging.delete(id);
            var entries = new java.util.ArrayList<>(written.entrySet());
            StoreDirectory.Entry primary = entries.get(0).getKey();
            StoredImage stored = entries.get(0).getValue();
            Map<String, String> others = new java.util.LinkedHashMap<>();
            entries.subList(1, entries.size()).forEach(e -> others.put(e.getKey().id(), e.getValue().location().toString()));
            events.send(new CompleteImport(id, origins.apply(ctx), taskId, primary.id(), stored.location().toString(),
                    stored.size(), virtualSize, stored.md5(), stored.hashAlgorithm(), stored.hashValue(), others, failed,
                    source == null ? Map.of() : source.attributes(), source == null ? Map.of() : source.properties(),
                    settings.limits()));
            LOG.info("import task {} of image {} succeeded ({} bytes)", taskId, id, stored.size());
        } catch (Exception e) {
            String reason = e instanceof ImageException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("import task {} of image {} failed: {}", taskId, id, reason);
            staging.delete(id);
            written.forEach((store, copy) -> scrubber.discard(ctx, id, store, copy.location(), "import failed"));
            String failedStores = failed.isEmpty() ? targets.get(0).id() : String.join(",", failed);
            try {
                events.send(new FailImport(id, origins.apply(ctx), taskId, failedStores, reason));
            } catch (RuntimeException again) {
                LOG.warn("image {} stays importing until recovered: {}", id, again.getMessage());
            }
        }
    }

    /**
     * copy-image: records the task, then copies the data into each target store on a worker,
     * checking every copy's md5 against the image's checksum. Returns the task id.
     */
    String startCopy(RequestContext ctx, Image image, List<StoreDirectory.Entry> targets, boolean mustSucceed,
                     Map<String, Object> input) {
        String taskId = UUID.randomUUID().toString();
        events.send(new StartCopy(image.id(), origins.apply(ctx), taskId,
                targets.stream().map(StoreDirectory.Entry::id).toList(), input));
        String requestId = ctx.requestId();
        workers.submit(() -> {
            MDC.put("request_id", requestId);
            try {
                copy(ctx, image, taskId, targets, mustSucceed);
            } finally {
                MDC.remove("request_id");
            }
        });
        return taskId;
    }

    private void copy(RequestContext ctx, Image image, String taskId, List<StoreDirectory.Entry> targets,
                      boolean mustSucceed) {
        List<String> failed = new java.util.ArrayList<>();
        StringBuilder message = new StringBuilder();
        for (StoreDirectory.Entry target : targets) {
            StoredImage copy = null;
            try {
                StoreDirectory.Entry source = stores.holding(image.storeId(), URI.create(image.location()))
                        .orElseThrow(() -> new IllegalStateException("no live store holds " + image.location()));
                try (InputStream in = source.store().get(URI.create(image.location()), 0, -1);
                     Hashing hashing = new Hashing(settings.hashingAlgorithm())) {
                    copy = target.store().add(image.id(), hashing.wrap(in), image.size() == null ? -1 : image.size(), hashing);
                }
                if (!copy.md5().equals(image.checksum())) {
                    throw new IllegalStateException("the copy's md5 " + copy.md5() + " differs from the image's "
                            + image.checksum());
                }
                events.send(new AddLocation(image.id(), origins.apply(ctx), target.id(), copy.location().toString()));
                LOG.info("copy task {}: image {} copied into store {}", taskId, image.id(), target.id());
            } catch (Exception e) {
                if (copy != null) {
                    scrubber.discard(ctx, image.id(), target, copy.location(), "copy failed");
                }
                failed.add(target.id());
                message.append(message.length() == 0 ? "" : "; ").append(target.id()).append(": ").append(e.getMessage());
                LOG.warn("copy task {}: image {} not copied into store {}: {}", taskId, image.id(), target.id(),
                        e.getMessage());
            }
        }
        try {
            events.send(new FinishCopy(image.id(), origins.apply(ctx), taskId, failed,
                    failed.isEmpty() || !mustSucceed && failed.size() < targets.size(), message.toString()));
        } catch (RuntimeException e) {
            LOG.warn("copy task {} of image {} could not be recorded as finished: {}", taskId, image.id(), e.getMessage());
        }
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        web.close();
    }
}
