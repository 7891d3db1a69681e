package com.xloud.image.imports.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.ImageTask;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.kernel.ImageGate;
import com.xloud.image.registry.ImageRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Glance's task API (admin only, policy tasks_api_access): reading tasks, and the legacy task type
 * {@code import}, which creates an image and imports a URI into it as web-download does.
 */
final class TaskRules {
    private final ImageRegistry registry;
    private final ImportFilter filter;
    private final ImageGate access;

    TaskRules(ImageRegistry registry, ImportFilter filter, ImageGate access) {
        this.access = access;
        this.registry = registry;
        this.filter = filter;
    }

    ImageTask task(RequestContext ctx, String taskId) {
        access.require("tasks_api_access", ctx);
        return registry.task(taskId).orElseThrow(() -> new ImageException(ImageException.Kind.NOT_FOUND,
                "Task with the given identifier " + taskId + " could not be found."));
    }

    List<ImageTask> list(RequestContext ctx, int limit, String marker) {
        access.require("tasks_api_access", ctx);
        return registry.tasks(limit, marker);
    }

    /** {@code POST /v2/tasks} type import: input {@code import_from}, {@code import_from_format}, {@code image_properties}. */
    ImageTask create(RequestContext ctx, String type, Map<String, Object> input, ImageService images,
                     ImportService imports) {
        access.require("tasks_api_access", ctx);
        if (!"import".equals(type)) {
            throw ImageException.badRequest("Task type '" + type + "' is not supported; use 'import'.");
        }
        if (input == null || !(input.get("import_from") instanceof String from)
                || !(input.get("import_from_format") instanceof String format)) {
            throw ImageException.badRequest("An import task needs 'import_from' (a URI) and 'import_from_format' in its input.");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (input.get("image_properties") instanceof Map<?, ?> props) {
            props.forEach((k, v) -> attributes.put(String.valueOf(k), v));
        } else if (input.containsKey("image_properties")) {
            throw ImageException.badRequest("'image_properties' must be an object");
        }
        attributes.put("disk_format", format);
        attributes.putIfAbsent("container_format", "bare");
        String refusal;
        try {
            refusal = filter.refusal(new URI(from));
        } catch (URISyntaxException e) {
            refusal = "not a valid URI: " + e.getMessage();
        }
        if (refusal != null) {
            throw ImageException.badRequest("URI for web-download does not pass filtering: " + from + " (" + refusal + ")");
        }
        Image image = images.create(ctx, attributes);
        String taskId = imports.importImage(ctx, image.id(), "web-download", from, List.of(), false, true,
                Map.of("type", type, "input", input));
        return registry.task(taskId).orElseThrow();
    }
}
