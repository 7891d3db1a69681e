package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ImageTask;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.RequestContext;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The import service while its bundle (com.xloud.image.imports) runs: the routes that need it
 * answer 503 naming the bundle while it is absent, and no import method is offered then. The
 * rest of the API goes on serving.
 */
final class ImportServiceSlot implements ImportService {
    static final String ABSENT = "The image import (bundle com.xloud.image.imports) is not running on this node";

    private final ServiceSlot<ImportService> slot = new ServiceSlot<>(ABSENT);

    void set(ImportService service) {
        slot.set(service);
    }

    void unset(ImportService gone) {
        slot.unset(gone);
    }

    private ImportService service() {
        return slot.require();
    }

    @Override
    public void stage(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId) {
        service().stage(ctx, id, data, expectedSize, storeId);
    }

    @Override
    public String importImage(RequestContext ctx, String id, String method, String uri, List<String> stores,
                              boolean allStores, boolean allStoresMustSucceed, Map<String, Object> body) {
        return service().importImage(ctx, id, method, uri, stores, allStores, allStoresMustSucceed, body);
    }

    @Override
    public List<String> importMethods() {
        ImportService s = slot.current();
        return s == null ? List.of() : s.importMethods();
    }

    @Override
    public List<ImageTask> imageTasks(RequestContext ctx, String id) {
        return service().imageTasks(ctx, id);
    }

    @Override
    public ImageTask task(RequestContext ctx, String taskId) {
        return service().task(ctx, taskId);
    }

    @Override
    public List<ImageTask> tasks(RequestContext ctx, int limit, String marker) {
        return service().tasks(ctx, limit, marker);
    }

    @Override
    public ImageTask createTask(RequestContext ctx, String type, Map<String, Object> input) {
        return service().createTask(ctx, type, input);
    }
}
