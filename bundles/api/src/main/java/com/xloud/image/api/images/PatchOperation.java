package com.xloud.image.api.images;

/**
 * One JSON-patch operation after parsing: {@code op} is add, remove or replace; {@code path} is the
 * decoded single-level attribute name; {@code value} is a plain Java value (String, Number, Boolean,
 * List, Map or null).
 */
public record PatchOperation(String op, String path, Object value) {
}
