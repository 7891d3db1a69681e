package com.xloud.image.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.api.events.ImageCreated;
import com.xloud.image.api.events.ImageDataStored;
import com.xloud.image.api.events.ImageDeleted;
import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImagePage;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageQuery.SortKey;
import com.xloud.image.launcher.EmbeddedMariaDb;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projection and the listing queries on a real MariaDB. */
class RegistryTest {
    @TempDir
    static Path dir;
    static EmbeddedMariaDb db;
    static MariaDbRegistry registry;
    static RegistryProjection projection;
    static Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeAll
    static void start() {
        db = EmbeddedMariaDb.start(dir, 0, "xloud");
        registry = new MariaDbRegistry(db.jdbcUrl(), db.user(), "", 4, 5000);
        projection = (RegistryProjection) registry.projections().get(0);
    }

    @AfterAll
    static void stop() {
        registry.close();
        db.close();
    }

    interface Step {
        void run() throws Exception;
    }

    static void inUnitOfWork(Step step) {
        DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("test")).execute(() -> {
            try {
                step.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Origin origin() {
        clock = clock.plus(1, ChronoUnit.SECONDS);
        return new Origin("u", "p", List.of("member"), "n", "r", clock);
    }

    static String image(String owner, String visibility, String name, Long size, Map<String, String> props,
                        List<String> tags, boolean hidden) {
        String id = UUID.randomUUID().toString();
        inUnitOfWork(() -> {
            projection.on(new ImageCreated(id, origin(), owner, name, visibility, false, hidden, "raw", "bare", 0, 0,
                    props, tags));
            if (size != null) {
                projection.on(new ImageDataStored(id, origin(), "file", "file:///x/" + id, size, size, "m", "sha512", "h"));
            }
        });
        return id;
    }

    static ImageQuery query(Map<String, String> filters, List<String> tags, List<SortKey> sort, int limit, String marker) {
        return new ImageQuery(filters, tags, null, null, sort, limit, marker);
    }

    static List<String> ids(ImagePage page) {
        return page.images().stream().map(Image::id).toList();
    }

    @Test
    void visibilityDecidesWhatEachCallerLists() {
        String tag = "vis-" + UUID.randomUUID();
        String mine = image("alpha", "private", "a", null, Map.of(), List.of(tag), false);
        String shared = image("alpha", "shared", "b", null, Map.of(), List.of(tag), false);
        String pub = image("beta", "public", "c", null, Map.of(), List.of(tag), false);
        String community = image("beta", "community", "d", null, Map.of(), List.of(tag), false);
        String others = image("beta", "private", "e", null, Map.of(), List.of(tag), false);
        List<SortKey> byName = List.of(new SortKey("name", true));
        assertEquals(List.of(mine, shared, pub), ids(registry.list(query(Map.of(), List.of(tag), byName, 10, null), "alpha", false, null)));
        assertEquals(List.of(mine, shared, pub, others),
                ids(registry.list(query(Map.of(), List.of(tag), byName, 10, null), "admin-project", true, null)));
        assertEquals(List.of(community), ids(registry.list(query(Map.of("visibility", "community"), List.of(tag), byName, 10, null), "alpha", false, null)));
        assertEquals(List.of(mine, shared, pub, community),
                ids(registry.list(query(Map.of("visibility", "all"), List.of(tag), byName, 10, null), "alpha", false, null)));
        assertEquals(List.of(mine), ids(registry.list(query(Map.of("visibility", "private"), List.of(tag), byName, 10, null), "alpha", false, null)));
    }

    @Test
    void filtersOnPropertiesTagsSizeAndHidden() {
        String tag = "flt-" + UUID.randomUUID();
        String debian = image("p", "shared", "x", 100L, Map.of("os_distro", "debian"), List.of(tag, "extra"), false);
        String ubuntu = image("p", "shared", "y", 5000L, Map.of("os_distro", "ubuntu"), List.of(tag), false);
        String hidden = image("p", "shared", "z", 100L, Map.of("os_distro", "debian"), List.of(tag), true);
        List<SortKey> byName = List.of(new SortKey("name", true));
        assertEquals(List.of(debian), ids(registry.list(query(Map.of("os_distro", "debian"), List.of(tag), byName, 10, null), "p", false, null)));
        assertEquals(List.of(debian), ids(registry.list(query(Map.of(), List.of(tag, "extra"), byName, 10, null), "p", false, null)));
        assertEquals(List.of(debian), ids(registry.list(query(Map.of("size", "100"), List.of(tag), byName, 10, null), "p", false, null)),
                "size is an exact filter, as in Glance");
        assertEquals(List.of(ubuntu), ids(registry.list(query(Map.of("virtual_size", "5000"), List.of(tag), byName, 10, null), "p", false, null)));
        assertEquals(List.of(hidden), ids(registry.list(query(Map.of("os_hidden", "true"), List.of(tag), byName, 10, null), "p", false, null)));
        assertEquals(List.of(ubuntu), ids(registry.list(new ImageQuery(Map.of(), List.of(tag), 1000L, null, byName, 10, null), "p", false, null)));
        assertEquals(List.of(debian), ids(registry.list(new ImageQuery(Map.of(), List.of(tag), null, 1000L, byName, 10, null), "p", false, null)));
    }

    @Test
    void keysetPagesCoverEveryImageOnceEvenWithNullsAndTies() {
        String tag = "ks-" + UUID.randomUUID();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Long size = i % 3 == 0 ? null : (long) (i % 4) * 10;
            all.add(image("p", "shared", i % 5 == 0 ? null : "n" + (i % 3), size, Map.of(), List.of(tag), false));
        }
        for (List<SortKey> sort : List.of(List.of(new SortKey("size", true)), List.of(new SortKey("size", false)),
                List.of(new SortKey("name", true), new SortKey("size", false)), List.of(new SortKey("created_at", false)))) {
            List<String> seen = new ArrayList<>();
            String marker = null;
            for (int guard = 0; guard < 50; guard++) {
                ImagePage page = registry.list(query(Map.of(), List.of(tag), sort, 4, marker), "p", false, null);
                seen.addAll(ids(page));
                if (!page.more()) {
                    break;
                }
                marker = page.images().get(page.images().size() - 1).id();
            }
            assertEquals(all.size(), seen.size(), "pages under " + sort);
            assertEquals(new HashSet<>(all), new HashSet<>(seen), "pages under " + sort);
            List<String> oneGo = ids(registry.list(query(Map.of(), List.of(tag), sort, 100, null), "p", false, null));
            assertEquals(oneGo, seen, "paged order equals the one-page order under " + sort);
        }
    }

    @Test
    void deletedImagesLeaveListsButStayFindable() {
        String tag = "del-" + UUID.randomUUID();
        String id = image("p", "shared", "gone", null, Map.of(), List.of(tag), false);
        inUnitOfWork(() -> projection.on(new ImageDeleted(id, origin())));
        assertTrue(ids(registry.list(query(Map.of(), List.of(tag), List.of(), 10, null), "p", false, null)).isEmpty());
        assertEquals("deleted", registry.find(id).orElseThrow().status().wire());
    }

    @Test
    void anUnknownMarkerIsABadRequest() {
        ImageException e = assertThrows(ImageException.class, () -> registry.list(
                query(Map.of(), List.of(), List.of(), 10, UUID.randomUUID().toString()), "p", false, null));
        assertEquals(ImageException.Kind.BAD_REQUEST, e.kind());
    }

    @Test
    void inListsAndTimeComparisons() {
        String tag = "op-" + UUID.randomUUID();
        String a = image("p", "shared", "alpha", null, Map.of(), List.of(tag), false);
        Instant between = clock;
        String b = image("p", "shared", "be,ta", null, Map.of(), List.of(tag), false);
        String c = image("p", "shared", "gamma", null, Map.of(), List.of(tag), false);
        List<SortKey> byName = List.of(new SortKey("name", true));
        assertEquals(List.of(a, b), ids(registry.list(query(Map.of("name", "in:alpha,\"be,ta\""), List.of(tag), byName,
                10, null), "p", false, null)));
        assertEquals(List.of(a, c), ids(registry.list(query(Map.of("id", "in:" + a + "," + c), List.of(tag),
                List.of(new SortKey("created_at", true)), 10, null), "p", false, null)));
        assertEquals(List.of(b, c), ids(registry.list(query(Map.of("created_at", "gt:" + between), List.of(tag),
                List.of(new SortKey("created_at", true)), 10, null), "p", false, null)));
        assertEquals(List.of(a), ids(registry.list(query(Map.of("created_at", "lte:" + between), List.of(tag),
                List.of(new SortKey("created_at", true)), 10, null), "p", false, null)));
    }
}
