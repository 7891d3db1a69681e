package com.xloud.image.api.images;

import java.nio.charset.StandardCharsets;

/**
 * The longest text the registry holds in each kind of field, counted as MariaDB counts it in
 * utf8mb4 columns: characters are Unicode code points (an emoji is one), bytes are UTF-8. Input
 * beyond a limit, or text that is not Unicode at all (a lone surrogate, which no UTF-8 column can
 * hold), is refused with a 400 before any event is appended: an event the registry could not
 * project would fail every later write to its image.
 */
public final class TextLimits {
    /** Project, user, member and store ids: {@code VARCHAR(255)}. */
    public static final int IDENTIFIER = 255;
    /** Image names, tags and property names: {@code VARCHAR(255)}. */
    public static final int NAME = 255;
    /** Extra property values: {@code TEXT}, 65,535 bytes. */
    public static final int PROPERTY_VALUE_BYTES = 65_535;
    /** Messages in {@code TEXT} columns (task messages): 65,535 bytes hold this many characters of any kind. */
    public static final int MESSAGE = 16_383;

    /**
     * Unicode code point order, the order of the registry's binary utf8mb4 columns (String's own
     * order differs for characters beyond U+FFFF): lists of tags are kept in it everywhere.
     */
    public static final java.util.Comparator<String> CODE_POINT_ORDER = TextLimits::compareCodePoints;

    private TextLimits() {
    }

    /** The length MariaDB sees: code points, not Java's UTF-16 units. */
    public static int characters(String s) {
        return s.codePointCount(0, s.length());
    }

    public static int utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** True when {@code s} has no unpaired surrogate, i.e. it is Unicode text UTF-8 can carry. */
    public static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code value} unchanged when it is well-formed and at most {@code maxCharacters} long,
     * else a 400 naming {@code what}.
     */
    public static String check(String what, String value, int maxCharacters) {
        if (!wellFormed(value)) {
            throw ImageException.badRequest(what + " is not valid Unicode text (it holds an unpaired surrogate).");
        }
        if (characters(value) > maxCharacters) {
            throw ImageException.badRequest(what + " is too long: at most " + maxCharacters + " characters, got "
                    + characters(value) + " ('" + abbreviate(value) + "').");
        }
        return value;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /**
     * {@code s} cut to at most {@code maxCharacters} code points, never in the middle of one: for
     * texts the service writes itself (failure reasons, task messages) into columns of a fixed size.
     */
    public static String truncate(String s, int maxCharacters) {
        if (s == null || characters(s) <= maxCharacters) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, maxCharacters));
    }

    /** The first 40 characters of {@code s} for a message, never cutting a character in two. */
    public static String abbreviate(String s) {
        if (characters(s) <= 40) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, 40)) + "...";
    }
}
