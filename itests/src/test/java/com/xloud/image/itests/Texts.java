package com.xloud.image.itests;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Text from every part of Unicode, for the property-based tests, and how it travels in a URI. */
final class Texts {
    /** The seed of every generated test: the same cases on every run; jqwik prints it with any failure. */
    static final String SEED = "20261203";

    /** The ranges text is drawn from, by name: each a plane or block where defects hide. */
    static final List<int[]> RANGES = List.of(
            new int[] {0x20, 0x7E},        // printable ASCII
            new int[] {0x80, 0xFF},        // Latin-1 supplement (é, ü, ×, ÿ, NBSP)
            new int[] {0x00, 0x1F},        // control characters
            new int[] {0x300, 0x36F},      // combining marks
            new int[] {0x590, 0x6FF},      // right-to-left scripts
            new int[] {0x100, 0xD7FF},     // the rest of the BMP before the surrogates
            new int[] {0xE000, 0xFFFF},    // private use to the BMP's end (noncharacters included)
            new int[] {0x10000, 0x10FFFF}  // the astral planes (emoji, historic scripts, plane 16)
    );

    private Texts() {
    }

    /** One code point from any range, each range about as likely as the others. */
    static Arbitrary<Integer> codePoint() {
        return Arbitraries.frequencyOf(RANGES.stream()
                .map(r -> Tuple.of(1, Arbitraries.integers().between(r[0], r[1]))).toArray(Tuple.Tuple2[]::new));
    }

    /** Text of {@code min} to {@code max} code points. */
    static Arbitrary<String> text(int min, int max) {
        return codePoint().list().ofMinSize(min).ofMaxSize(max).map(Texts::of);
    }

    /** Text of exactly {@code n} code points, all from range {@code range}. */
    static Arbitrary<String> textOf(int range, int n) {
        int[] r = RANGES.get(range);
        return Arbitraries.integers().between(r[0], r[1]).list().ofSize(n).map(Texts::of);
    }

    static String of(List<Integer> codePoints) {
        StringBuilder b = new StringBuilder();
        codePoints.forEach(b::appendCodePoint);
        return b.toString();
    }

    /** {@code s} percent-encoded as UTF-8 for a path segment or a query value. */
    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Whether the URI layer takes {@code s} as a path segment: Jetty refuses (400, with a message)
     * an encoded '/' or '\\', control characters and the segments "." and "..".
     */
    static boolean pathSafe(String s) {
        return !s.equals(".") && !s.equals("..") && s.codePoints().noneMatch(c -> c == '/' || c == '\\' || c < 0x20
                || c == 0x7F);
    }
}
