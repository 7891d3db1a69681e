package com.xloud.image.api.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterValuesTest {
    @Test
    void inLists() {
        assertEquals(List.of("a", "b"), FilterValues.inList("name", "in:a,b"));
        assertEquals(List.of("a,b", "c"), FilterValues.inList("name", "in:\"a,b\",c"));
        assertEquals(List.of("x"), FilterValues.inList("id", "in:x"));
        for (String bad : List.of("in:", "in:a,,b", "in:\"a", "in:a\"b\"")) {
            assertThrows(ImageException.class, () -> FilterValues.inList("name", bad), bad);
        }
    }

    @Test
    void timeComparisons() {
        assertEquals(new FilterValues.TimeComparison(">", Instant.parse("2026-01-02T03:04:05Z")),
                FilterValues.time("created_at", "gt:2026-01-02T03:04:05Z"));
        assertEquals("<=", FilterValues.time("updated_at", "lte:2026-01-02T03:04:05+00:00").sqlOperator());
        assertEquals("=", FilterValues.time("updated_at", "2026-01-02T03:04:05Z").sqlOperator());
        assertEquals("<>", FilterValues.time("updated_at", "neq:2026-01-02T03:04:05").sqlOperator());
        for (String bad : List.of("gt:yesterday", "between:2026-01-01T00:00:00Z", "gt:")) {
            assertThrows(ImageException.class, () -> FilterValues.time("created_at", bad), bad);
        }
    }
}
