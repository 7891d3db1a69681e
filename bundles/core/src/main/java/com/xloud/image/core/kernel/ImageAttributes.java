package com.xloud.image.core.kernel;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.TextLimits;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Glance's image schema rules for each attribute a client may write: types, enums, lengths, and
 * which names are read-only or reserved. Messages follow Glance's wording.
 */
public final class ImageAttributes {
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    /** Whether {@code s} is an image id as Glance writes them: a UUID in its canonical form. */
    public static boolean isUuid(String s) {
        return s != null && UUID_PATTERN.matcher(s).matches();
    }

    public static final List<String> DISK_FORMATS =
            List.of("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop");
    public static final List<String> CONTAINER_FORMATS =
            List.of("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed");
    public static final List<String> VISIBILITIES = List.of("public", "community", "shared", "private");

    /** Base attributes a client may set. */
    public static final Set<String> WRITABLE = Set.of("name", "visibility", "protected", "os_hidden", "disk_format",
            "container_format", "min_ram", "min_disk", "tags", "owner");
    public static final Set<String> READ_ONLY = Set.of("created_at", "updated_at", "status", "checksum", "size",
            "virtual_size", "direct_url", "self", "file", "schema", "id", "os_hash_algo", "os_hash_value", "stores",
            "locations");
    public static final Set<String> RESERVED = Set.of("location", "deleted", "deleted_at");

    private ImageAttributes() {
    }

    /** 403 for names a client may never write; 400 for malformed extra property names. */
    public static void checkWritableName(String name) {
        if (READ_ONLY.contains(name)) {
            throw ImageException.forbidden("Attribute '" + name + "' is read-only.");
        }
        if (RESERVED.contains(name)) {
            throw ImageException.forbidden("Attribute '" + name + "' is reserved.");
        }
        if (name.startsWith("os_glance")) {
            throw ImageException.forbidden("Attribute '" + name + "' is reserved.");
        }
        if (name.isEmpty() || TextLimits.characters(name) > TextLimits.NAME) {
            throw ImageException.badRequest("Property names must be 1 to 255 characters long: '" + abbreviate(name) + "'");
        }
        if (!TextLimits.wellFormed(name)) {
            throw ImageException.badRequest("Property names must be valid Unicode text: '" + abbreviate(name) + "'");
        }
    }

    public static String name(Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw schema("name", v, "is not of type 'null', 'string'");
        }
        return text("name", s, TextLimits.NAME);
    }

    public static String diskFormat(Object v) {
        return nullableEnum("disk_format", v, DISK_FORMATS);
    }

    public static String containerFormat(Object v) {
        return nullableEnum("container_format", v, CONTAINER_FORMATS);
    }

    public static String visibility(Object v) {
        if (!(v instanceof String s) || !VISIBILITIES.contains(s)) {
            throw schema("visibility", v, "is not one of " + VISIBILITIES);
        }
        return s;
    }

    public static boolean bool(String attribute, Object v) {
        if (!(v instanceof Boolean b)) {
            throw schema(attribute, v, "is not of type 'boolean'");
        }
        return b;
    }

    public static int nonNegativeInt(String attribute, Object v) {
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() > Integer.MAX_VALUE) {
            throw schema(attribute, v, "is not of type 'integer'");
        }
        int i = ((Number) v).intValue();
        if (i < 0) {
            throw schema(attribute, v, "is less than the minimum of 0");
        }
        return i;
    }

    public static String owner(Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw schema("owner", v, "is not a string of at most 255 characters");
        }
        return text("owner", s, TextLimits.IDENTIFIER);
    }

    /** A list of unique tags, each a string of at most 255 characters. */
    public static List<String> tags(Object v) {
        if (!(v instanceof List<?> list)) {
            throw schema("tags", v, "is not of type 'array'");
        }
        Set<String> tags = new LinkedHashSet<>();
        for (Object t : list) {
            tags.add(tag(t));
        }
        return new ArrayList<>(tags);
    }

    public static String tag(Object t) {
        if (!(t instanceof String s)) {
            throw schema("tags", t, "is not of type 'string'");
        }
        if (s.isEmpty()) {
            throw schema("tags", s, "is too short");
        }
        return text("tags", s, TextLimits.NAME);
    }

    /** Extra properties are strings, as Glance's schema says. */
    public static String extraValue(String name, Object v) {
        if (!(v instanceof String s)) {
            throw schema(name, v, "is not of type 'string'");
        }
        if (!TextLimits.wellFormed(s)) {
            throw schema(name, abbreviate(s), "is not valid Unicode text (an unpaired surrogate)");
        }
        if (TextLimits.utf8Bytes(s) > TextLimits.PROPERTY_VALUE_BYTES) {
            throw schema(name, abbreviate(s), "is too long (at most " + TextLimits.PROPERTY_VALUE_BYTES
                    + " bytes in UTF-8)");
        }
        return s;
    }

    /** {@code s} when it is Unicode text of at most {@code max} characters (code points, as the registry counts). */
    private static String text(String attribute, String s, int max) {
        if (!TextLimits.wellFormed(s)) {
            throw schema(attribute, abbreviate(s), "is not valid Unicode text (an unpaired surrogate)");
        }
        if (TextLimits.characters(s) > max) {
            throw schema(attribute, abbreviate(s), "is too long (at most " + max + " characters)");
        }
        return s;
    }

    private static String nullableEnum(String attribute, Object v, List<String> allowed) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || !allowed.contains(s)) {
            throw schema(attribute, v, "is not one of [None, " + String.join(", ", allowed.stream().map(a -> "'" + a + "'").toList()) + "]");
        }
        return s;
    }

    private static ImageException schema(String attribute, Object value, String problem) {
        String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        return ImageException.badRequest("Provided object does not match schema 'image': " + shown + " " + problem
                + " (attribute '" + attribute + "')");
    }

    private static String abbreviate(String s) {
        return TextLimits.abbreviate(s);
    }
}
