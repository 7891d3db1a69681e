package com.xloud.image.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageQuery.SortKey;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListParamsTest {
    private static MultivaluedMap<String, String> params(String... kv) {
        MultivaluedMap<String, String> m = new MultivaluedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.add(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaults() {
        ImageQuery q = ListParams.parse(params());
        assertEquals(25, q.limit());
        assertEquals(List.of(new SortKey("created_at", false)), q.sort());
    }

    @Test
    void limitIsCappedAndFiltersSeparated() {
        ImageQuery q = ListParams.parse(params("limit", "5000", "name", "x", "os_distro", "debian", "tag", "a",
                "tag", "b", "size_min", "10", "marker", "m"));
        assertEquals(1000, q.limit());
        assertEquals("x", q.filters().get("name"));
        assertEquals("debian", q.filters().get("os_distro"));
        assertEquals(List.of("a", "b"), q.tags());
        assertEquals(10L, q.sizeMin());
        assertEquals("m", q.marker());
    }

    @Test
    void sortForms() {
        assertEquals(List.of(new SortKey("name", true), new SortKey("size", false)),
                ListParams.parse(params("sort", "name:asc,size")).sort());
        assertEquals(List.of(new SortKey("name", true), new SortKey("id", true)),
                ListParams.parse(params("sort_key", "name", "sort_key", "id", "sort_dir", "asc")).sort());
    }

    @Test
    void badParameters() {
        for (MultivaluedMap<String, String> bad : List.of(params("limit", "-1"), params("limit", "x"),
                params("sort_dir", "up"), params("sort", "name", "sort_key", "id"), params("size_max", "big"),
                params("changes-since", "2020-01-01"), params("sort_key", "a", "sort_key", "b", "sort_dir", "asc",
                        "sort_dir", "desc", "sort_dir", "asc"))) {
            assertEquals(ImageException.Kind.BAD_REQUEST,
                    assertThrows(ImageException.class, () -> ListParams.parse(bad)).kind(), bad.toString());
        }
    }

    @Test
    void linksKeepTheClientsQueryWithoutTheMarker() {
        assertEquals("/v2/images?limit=2&name=x", ListParams.link("limit=2&marker=abc&name=x", null));
        assertEquals("/v2/images?limit=2&marker=id1", ListParams.link("limit=2", "id1"));
        assertEquals("/v2/images", ListParams.link(null, null));
    }
}
