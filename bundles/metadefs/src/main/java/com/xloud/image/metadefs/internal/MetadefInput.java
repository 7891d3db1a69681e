package com.xloud.image.metadefs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns request bodies (already checked against their schema) into the commands' values, as Glance reads them. */
final class MetadefInput {
    /** What a client may send back from a read of a namespace or an object but never set. */
    static final List<String> READ_ONLY = List.of("self", "schema", "created_at", "updated_at");
    /** The same for properties, tags and resource type associations (their schemas refuse self and schema). */
    static final List<String> TIMES = List.of("created_at", "updated_at");
    /** A property definition's keys in the order Glance writes them. */
    private static final List<String> PROPERTY_KEYS = List.of("name", "type", "title", "description", "operators",
            "default", "readonly", "minimum", "maximum", "enum", "pattern", "minLength", "maxLength", "confidential",
            "items", "uniqueItems", "minItems", "maxItems", "additionalItems");
    private static final List<String> INTEGER_KEYS = List.of("minimum", "maximum", "minLength", "maxLength",
            "minItems", "maxItems");
    /** Glance's column size for every name in the catalog. */
    static final int NAME = 80;

    private MetadefInput() {
    }

    /** 403 for a read-only attribute at the top of a namespace body, as Glance. */
    static void readOnly(JsonNode body) {
        readOnly(body, READ_ONLY);
    }

    /** 403 for one of {@code keys} in the body; 400 for a body that is not a JSON object. */
    static void readOnly(JsonNode body, List<String> keys) {
        if (!body.isObject()) {
            throw ImageException.badRequest("Unexpected body type. Expected list/dict.");
        }
        for (String key : keys) {
            if (body.has(key)) {
                throw ImageException.forbidden("Attribute '" + key + "' is read-only.");
            }
        }
    }

    private static String text(JsonNode body, String key) {
        JsonNode v = body.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A namespace's attributes from a create or a full PUT: what is not given takes Glance's default. */
    static NamespaceCommands.Attributes attributes(RequestContext ctx, JsonNode body) {
        String owner = text(body, "owner");
        if (owner == null) {
            owner = ctx.projectId() == null ? "" : ctx.projectId();
        }
        String visibility = text(body, "visibility");
        return new NamespaceCommands.Attributes(text(body, "namespace"), text(body, "display_name"),
                text(body, "description"), visibility == null ? "private" : visibility,
                body.path("protected").asBoolean(false), owner);
    }

    /** 400 for a name longer than the catalog's columns hold (where no schema limits it). */
    static void checkName(String what, String name) {
        if (name.codePointCount(0, name.length()) > NAME) {
            throw ImageException.badRequest("The " + what + " name '" + name + "' is too long (at most " + NAME
                    + " characters).");
        }
    }

    /** An object's stored definition: its description, required names and (coerced) properties. */
    static Map<String, Object> objectDefinition(ObjectMapper json, JsonNode body) {
        Map<String, Object> d = new LinkedHashMap<>();
        JsonNode required = body.get("required");
        if (required != null && !required.isNull()) {
            d.put("required", json.convertValue(required, List.class));
        }
        JsonNode description = body.get("description");
        if (description != null && !description.isNull()) {
            d.put("description", description.asText());
        }
        JsonNode properties = body.get("properties");
        if (properties != null && properties.isObject()) {
            Map<String, Object> props = new LinkedHashMap<>();
            properties.fields().forEachRemaining(p -> {
                checkName("property", p.getKey());
                props.put(p.getKey(), propertyDefinition(json, p.getValue()));
            });
            d.put("properties", props);
        }
        return d;
    }

    /**
     * A property's stored definition, as Glance's property model makes it: its known keys in
     * Glance's order, {@code default} as a string ({@code true} is "True"; an object or array is
     * null), the numeric bounds as integers. The name is kept when the body has one.
     */
    static Map<String, Object> propertyDefinition(ObjectMapper json, JsonNode body) {
        if (!body.isObject()) {
            throw ImageException.badRequest("A property definition must be a JSON object.");
        }
        if (body.has("required")) {
            throw ImageException.badRequest("Unknown attribute for property: required");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        for (String key : PROPERTY_KEYS) {
            JsonNode v = body.get(key);
            if (v == null) {
                continue;
            }
            if (key.equals("default")) {
                d.put(key, defaultValue(v));
            } else if (INTEGER_KEYS.contains(key) && v.isNumber()) {
                d.put(key, v.longValue());
            } else if (key.equals("enum") || key.equals("operators")) {
                d.put(key, strings(key, v));
            } else if (key.equals("items") && v.isObject()) {
                Map<String, Object> items = new LinkedHashMap<>();
                if (!v.has("type")) {
                    throw ImageException.badRequest("A property's 'items' needs a 'type'.");
                }
                items.put("type", v.get("type").isNull() ? null : v.get("type").asText());
                if (v.has("enum")) {
                    items.put("enum", strings("items.enum", v.get("enum")));
                }
                d.put(key, items);
            } else {
                d.put(key, json.convertValue(v, Object.class));
            }
        }
        return d;
    }

    private static Object defaultValue(JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? v.bigIntegerValue().toString() : pythonFloat(v.doubleValue());
        }
        return null; // null, objects and arrays
    }

    /** A float as Python's str() writes it: 5.5, 1e+20, 1.0. */
    private static String pythonFloat(double d) {
        String r = Double.toString(d);
        if (r.contains("E")) {
            String[] parts = r.split("E");
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exp = Integer.parseInt(parts[1]);
            return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        return r;
    }

    private static List<Object> strings(String key, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        List<Object> out = new java.util.ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() && !e.isNull()) {
                throw ImageException.badRequest("Every element of a property's '" + key + "' must be a string.");
            }
            out.add(e.isNull() ? null : e.textValue());
        }
        return out;
    }

    static NamespaceCommands.Association association(JsonNode body) {
        return new NamespaceCommands.Association(text(body, "name"), text(body, "prefix"),
                text(body, "properties_target"));
    }
}
