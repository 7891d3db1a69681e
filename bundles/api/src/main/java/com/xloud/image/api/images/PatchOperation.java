package com.xloud.image.api.images;

/**
 * One JSON-patch operation after parsing: {@code op} is add, remove or replace; {@code path} is the
 * decoded attribute name; {@code value} is a plain Java value (String, Number, Boolean, List, Map or
 * null). Paths are single-level, but for {@code /locations/<index>}, whose second level is
 * {@code index} ({@code -} or digits as given; null for a path of one level).
 */
public record PatchOperation(String op, String path, Object value, String index) {

    public PatchOperation(String op, String path, Object value) {
        this(op, path, value, null);
    }
}
