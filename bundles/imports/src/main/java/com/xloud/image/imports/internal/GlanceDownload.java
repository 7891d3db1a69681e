package com.xloud.image.imports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.identity.ServiceCatalog;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.kernel.ImageAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * glance-download: imports an active image of another image service (another region's, found in
 * the caller's service catalog) with the caller's token, as Glance does. The source's
 * {@code disk_format}, {@code container_format} and the extra properties whose names start with
 * one of the configured prefixes come along (never {@code os_glance*}); the data must be exactly
 * as long as the source says.
 */
final class GlanceDownload {
    static final String METHOD = "glance-download";
    /** Glance's [glance_download_properties] extra_properties. */
    static final List<String> DEFAULT_PREFIXES = List.of("hw_", "trait:", "os_distro", "os_secure_boot", "os_type");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An image's metadata document is small; a source that sends more is not an image service. */
    private static final int METADATA_LIMIT = 4 << 20;

    private final WebDownload web;
    private final Supplier<ServiceCatalog> catalog;
    private final List<String> prefixes;

    GlanceDownload(WebDownload web, Supplier<ServiceCatalog> catalog, List<String> prefixes) {
        this.web = web;
        this.catalog = catalog;
        this.prefixes = List.copyOf(prefixes);
    }

    /**
     * A task's {@code input} with the parameters of its import request's {@code method} checked as
     * Glance checks them (400 with its words), and {@code glance_service_interface} defaulted to
     * {@code public} as Glance records it.
     */
    static Map<String, Object> checkedInput(Map<String, Object> input) {
        Map<String, Object> method = new LinkedHashMap<>(parameters(input));
        checkParameters(method);
        @SuppressWarnings("unchecked")
        Map<String, Object> request = new LinkedHashMap<>((Map<String, Object>) input.get("import_req"));
        request.put("method", method);
        Map<String, Object> checked = new LinkedHashMap<>(input);
        checked.put("import_req", request);
        return checked;
    }

    private static void checkParameters(Map<String, Object> method) {
        if (!method.containsKey("glance_region")) {
            throw ImageException.badRequest("'glance_region' needs to be set for glance-download import method");
        }
        if (!method.containsKey("glance_image_id")) {
            throw ImageException.badRequest("'glance_image_id' needs to be set for glance-download import method");
        }
        Object id = method.get("glance_image_id");
        if (!(id instanceof String s) || !isUuid(s)) {
            throw ImageException.badRequest("Remote image id does not look like a UUID: " + id);
        }
        if (!(method.get("glance_region") instanceof String)) {
            throw ImageException.badRequest("'glance_region' must be a string");
        }
        Object iface = method.get("glance_service_interface");
        if (iface == null && !method.containsKey("glance_service_interface")) {
            method.put("glance_service_interface", "public");
        } else if (!(iface instanceof String)) {
            throw ImageException.badRequest("'glance_service_interface' must be a string");
        }
    }

    /** The {@code method} object of the import request a task's input records. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parameters(Map<String, Object> input) {
        if (input.get("import_req") instanceof Map<?, ?> request && request.get("method") instanceof Map<?, ?> method) {
            return (Map<String, Object>) method;
        }
        throw new IllegalArgumentException("the task's input holds no import request");
    }

    /**
     * As Python's uuid.UUID accepts: 32 hex digits, with or without hyphens, braces or a urn
     * prefix; ASCII digits only (Python takes other scripts' digits too; the id goes into a URL).
     */
    private static boolean isUuid(String s) {
        String hex = bare(s).replace("-", "");
        return hex.length() == 32 && hex.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0);
    }

    /** The id without the urn prefix and braces a UUID may be written with. */
    private static String bare(String id) {
        return id.replace("urn:", "").replace("uuid:", "").replaceAll("^\\{+|}+$", "");
    }

    /** What the source image service says of the image: where it is, how long, and what comes along. */
    record Source(URI image, long size, String diskFormat, String containerFormat, Map<String, String> properties) {
        /** The changes the target image takes when the import succeeds, as an update's attributes. */
        Map<String, Object> attributes() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("disk_format", diskFormat);
            a.put("container_format", containerFormat);
            return a;
        }
    }

    /** Finds the source image service and reads the image's metadata; any failure is an IOException saying why. */
    Source describe(RequestContext ctx, Map<String, Object> method) throws IOException {
        String region = (String) method.get("glance_region");
        String iface = (String) method.get("glance_service_interface");
        String remoteId = bare((String) method.get("glance_image_id"));
        ServiceCatalog services = catalog.get();
        if (services == null) {
            throw new IOException("there is no service catalog to find region " + region
                    + " in: glance-download needs Keystone (auth.mode = keystone)");
        }
        String endpoint = services.endpoint(ctx, "image", region, iface)
                .orElseThrow(() -> new IOException(iface + " glance endpoint not found for region " + region));
        URI image;
        try {
            image = URI.create(endpoint + "/v2/images/" + remoteId);
        } catch (IllegalArgumentException e) {
            throw new IOException("the catalog's image endpoint " + endpoint + " is not a URL");
        }
        JsonNode data;
        try (InputStream in = web.open(image, headers(ctx), false).data()) {
            byte[] body = in.readNBytes(METADATA_LIMIT + 1);
            if (body.length > METADATA_LIMIT) {
                throw new IOException(image + " sent more than " + METADATA_LIMIT + " bytes of metadata");
            }
            data = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(image + " did not answer an image document: " + e.getOriginalMessage());
        }
        if (!"active".equals(data.path("status").asText(null))) {
            throw new IOException("Source image status should be active instead of " + data.path("status").asText());
        }
        if (!data.path("size").canConvertToLong() || data.path("size").asLong() < 0) {
            throw new IOException("Size attribute of remote image " + remoteId + " could not be determined.");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        data.fields().forEachRemaining(field -> {
            String name = field.getKey();
            if (prefixes.stream().anyMatch(name::startsWith) && !name.startsWith("os_glance")
                    && !ImageAttributes.WRITABLE.contains(name) && !ImageAttributes.READ_ONLY.contains(name)
                    && field.getValue().isTextual()) {
                properties.put(name, field.getValue().asText());
            }
        });
        try {
            String disk = ImageAttributes.diskFormat(data.path("disk_format").asText(null));
            String container = ImageAttributes.containerFormat(data.path("container_format").asText(null));
            properties.forEach((name, value) -> {
                ImageAttributes.checkWritableName(name);
                ImageAttributes.extraValue(name, value);
            });
            return new Source(image, data.path("size").asLong(), disk, container, properties);
        } catch (ImageException e) {
            throw new IOException("the source image cannot be taken over: " + e.getMessage());
        }
    }

    /** The source image's data; the caller reads and closes it. */
    WebDownload.Body open(RequestContext ctx, Source source) throws IOException {
        return web.open(URI.create(source.image() + "/file"), headers(ctx), false);
    }

    private static Map<String, String> headers(RequestContext ctx) {
        return ctx.authToken() == null ? Map.of() : Map.of("X-Auth-Token", ctx.authToken());
    }
}
