package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.PatchOperation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads Glance's two JSON-patch media types into operations: v2.1 is RFC 6902
 * ({@code {"op","path","value"}}), v2.0 the older draft ({@code {"replace": "/path", "value"}}).
 * Paths are single-level; {@code ~1} and {@code ~0} are decoded.
 */
final class PatchParser {
    static final String V21 = "application/openstack-images-v2.1-json-patch";
    static final String V20 = "application/openstack-images-v2.0-json-patch";

    private PatchParser() {
    }

    static List<PatchOperation> parse(ObjectMapper json, JsonNode body, boolean draft) {
        if (body == null || !body.isArray()) {
            throw ImageException.badRequest("Request body must be a JSON array of operation objects.");
        }
        List<PatchOperation> ops = new ArrayList<>();
        for (JsonNode raw : body) {
            if (!raw.isObject()) {
                throw ImageException.badRequest("Operations must be JSON objects.");
            }
            String op;
            String path;
            if (draft) {
                op = null;
                path = null;
                for (Iterator<String> names = raw.fieldNames(); names.hasNext(); ) {
                    String n = names.next();
                    if (n.equals("add") || n.equals("remove") || n.equals("replace")) {
                        if (op != null) {
                            throw ImageException.badRequest("Operation objects must contain only one member named"
                                    + " \"add\", \"remove\", or \"replace\".");
                        }
                        op = n;
                        path = raw.get(n).asText(null);
                    }
                }
                if (op == null) {
                    throw ImageException.badRequest("Operation objects must contain exactly one member named"
                            + " \"add\", \"remove\", or \"replace\".");
                }
            } else {
                JsonNode opNode = raw.get("op");
                if (opNode == null || !opNode.isTextual()) {
                    throw ImageException.badRequest("Unable to find 'op' in JSON Schema change");
                }
                op = opNode.asText();
                if (!op.equals("add") && !op.equals("remove") && !op.equals("replace")) {
                    throw ImageException.badRequest("Invalid operation: '" + op + "'");
                }
                JsonNode pathNode = raw.get("path");
                if (pathNode == null || !pathNode.isTextual()) {
                    throw ImageException.badRequest("Unable to find 'path' in JSON Schema change");
                }
                path = pathNode.asText();
            }
            Object value = null;
            if (!op.equals("remove")) {
                if (!raw.has("value")) {
                    throw ImageException.badRequest("Operation objects must contain exactly one member named \"value\".");
                }
                value = json.convertValue(raw.get("value"), Object.class);
            }
            ops.add(path != null && path.startsWith(LOCATION_PREFIX) && path.length() > LOCATION_PREFIX.length()
                    ? new PatchOperation(op, "locations", value, location(path))
                    : new PatchOperation(op, attribute(path), value));
        }
        return ops;
    }

    /** Glance's one two-level path: a position in the image's locations. */
    private static final String LOCATION_PREFIX = "/locations/";

    private static String location(String pointer) {
        String index = pointer.substring(LOCATION_PREFIX.length());
        if (index.contains("/")) {
            throw ImageException.badRequest("Invalid JSON pointer for this resource: '" + pointer + "'");
        }
        return index;
    }

    private static String attribute(String pointer) {
        if (pointer == null || !pointer.startsWith("/") || pointer.length() < 2 || pointer.indexOf('/', 1) >= 0) {
            throw ImageException.badRequest("Invalid JSON pointer for this resource: '" + pointer + "'");
        }
        String name = pointer.substring(1);
        if (name.matches(".*~[^01].*|.*~$")) {
            throw ImageException.badRequest("Invalid JSON pointer for this resource: '" + pointer + "'");
        }
        return name.replace("~1", "/").replace("~0", "~");
    }
}
