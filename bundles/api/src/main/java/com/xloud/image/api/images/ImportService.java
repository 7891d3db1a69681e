package com.xloud.image.api.images;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** The interoperable image import (staging, glance-direct, web-download, copy-image, glance-download) and its tasks. */
public interface ImportService {
    /** glance-direct: streams the data into the staging area; the image is uploading until imported. */
    void stage(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId);

    /**
     * Starts an import task ({@code method}: glance-direct or web-download with {@code uri}) into
     * {@code stores} (empty: the default store), or copy-image into {@code stores} or all stores; {@code body} is the request as the client sent it,
     * kept as the task's input. Returns the task id.
     */
    String importImage(RequestContext ctx, String id, String method, String uri, List<String> stores,
                       boolean allStores, boolean allStoresMustSucceed, Map<String, Object> body);

    /** The import methods this deployment offers (GET /v2/info/import and the create header). */
    List<String> importMethods();

    /** The import tasks of an image the caller can see. */
    List<ImageTask> imageTasks(RequestContext ctx, String id);

    /** Admin: one task. */
    ImageTask task(RequestContext ctx, String taskId);

    /** Admin: tasks, newest first. */
    List<ImageTask> tasks(RequestContext ctx, int limit, String marker);

    /**
     * Admin: Glance's task API, type {@code import}: creates an image from {@code image_properties}
     * and imports {@code import_from} into it (web-download). Returns the task.
     */
    ImageTask createTask(RequestContext ctx, String type, Map<String, Object> input);
}
