package com.xloud.image.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.api.images.ByteRange;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageDownload;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.launcher.EmbeddedMariaDb;
import com.xloud.image.registry.internal.MariaDbRegistry;
import com.xloud.image.store.file.internal.FileImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The use cases against a real MariaDB, the real Axon event store and the real file store: the
 * core's and the data bundle's together (this test lives with the data bundle, in the core's package).
 */
class ImageServiceTest {
    /** Glance's default rules, as the policy bundle gives them without a policy file. */
    static final com.xloud.image.api.policy.PolicyEnforcer POLICY = new com.xloud.image.policy.internal.OsloPolicy(null);
    @TempDir
    static Path dir;
    static EmbeddedMariaDb db;
    static MariaDbRegistry registry;
    static EventSourcedImageService service;
    static FileImageStore store;

    static final RequestContext ALICE = new RequestContext("alice", "p-alice", List.of("member"), "req-a");
    static final RequestContext BOB = new RequestContext("bob", "p-bob", List.of("member"), "req-b");
    static final RequestContext ADMIN = new RequestContext("root", "p-admin", List.of("admin"), "req-x");

    @BeforeAll
    static void start() {
        db = EmbeddedMariaDb.start(dir.resolve("db"), 0, "xloud");
        registry = new MariaDbRegistry(db.jdbcUrl(), db.user(), "", 8, 5000);
        service = new EventSourcedImageService(registry, new Settings("test-node", "sha512",
                10L * 1024 * 1024, ""), POLICY);
        store = new FileImageStore(dir.resolve("images"), 65536);
        service.addStore(store, Map.of(ImageStore.PROP_ID, "file", ImageStore.PROP_DEFAULT, true));
    }

    /**
     * As Declarative Services wires it: no policy at construction, then bound and unbound. Without
     * one every use case answers 503 and the health report names the concern absent; bound, both
     * follow it.
     */
    @Test
    void withoutAPolicyNothingIsAllowedAndTheHealthSaysWhy() {
        EventSourcedImageService wired = new EventSourcedImageService(registry, new Settings("wired-node", "sha512",
                10L * 1024 * 1024, ""), null);
        try {
            ImageException refused = assertThrows(ImageException.class,
                    () -> wired.images().create(ADMIN, Map.of("name", "no policy")));
            assertEquals(ImageException.Kind.UNAVAILABLE, refused.kind());
            assertTrue(refused.getMessage().contains("com.xloud.image.policy"), refused.getMessage());
            wired.setPolicy(POLICY);
            Object concerns = wired.admin().healthReport(ADMIN).get("concerns");
            assertTrue(concerns.toString().contains("{name=policy, bundle=com.xloud.image.policy, version=null,"
                    + " state=running}"), concerns.toString());
            wired.unsetPolicy(POLICY);
            assertEquals(ImageException.Kind.UNAVAILABLE, assertThrows(ImageException.class,
                    () -> wired.admin().healthReport(ADMIN)).kind());
        } finally {
            wired.close();
        }
    }

    /** The data use cases (the data bundle's) of each node the tests start, on its kernel. */
    static final Map<EventSourcedImageService, com.xloud.image.data.internal.DataComponent> DATA =
            new java.util.concurrent.ConcurrentHashMap<>();

    static com.xloud.image.api.images.ImageDataService data(EventSourcedImageService node) {
        return DATA.computeIfAbsent(node, n -> new com.xloud.image.data.internal.DataComponent(n.kernel(), null))
                .service();
    }

    @AfterAll
    static void stop() {
        DATA.values().forEach(com.xloud.image.data.internal.DataComponent::close);
        service.close();
        registry.close();
        db.close();
    }

    static Image create(RequestContext ctx, String name) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", name);
        attrs.put("disk_format", "raw");
        attrs.put("container_format", "bare");
        return service.images().create(ctx, attrs);
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    static long events(String imageId, String type) throws Exception {
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM DomainEventEntry WHERE aggregateIdentifier = '"
                     + imageId + "' AND payloadType LIKE '%" + type + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<Path> storedFiles() throws IOException {
        try (var files = Files.list(store.directory())) {
            return files.toList();
        }
    }

    @Test
    void createdImageIsQueuedAndOwnedByTheProject() {
        Image image = create(ALICE, "first");
        assertEquals(ImageStatus.QUEUED, image.status());
        assertEquals("p-alice", image.owner());
        assertEquals("shared", image.visibility());
        assertEquals(image, service.images().get(ALICE, image.id()));
        assertThrows(ImageException.class, () -> service.images().get(BOB, image.id()));
    }

    @Test
    void uploadStreamsIntoTheStoreAndDownloadReturnsTheSameBytes() throws Exception {
        Image image = create(ALICE, "data");
        byte[] data = random(300_000);
        data(service).upload(ALICE, image.id(), new ByteArrayInputStream(data), data.length, null);
        Image active = service.images().get(ALICE, image.id());
        assertEquals(ImageStatus.ACTIVE, active.status());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)), active.checksum());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data)), active.osHashValue());
        assertEquals(300_000L, active.size());
        ImageDownload d = data(service).download(ALICE, image.id(), null);
        try (InputStream in = d.data()) {
            assertArrayEquals(data, in.readAllBytes());
        }
        ImageDownload part = data(service).download(ALICE, image.id(), new ByteRange(100, 199));
        try (InputStream in = part.data()) {
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 200), in.readAllBytes());
        }
        assertTrue(part.partial());
        ImageException again = assertThrows(ImageException.class,
                () -> data(service).upload(ALICE, image.id(), new ByteArrayInputStream(data), data.length, null));
        assertEquals(ImageException.Kind.CONFLICT, again.kind());
        assertEquals(ImageException.Kind.RANGE_NOT_SATISFIABLE, assertThrows(ImageException.class,
                () -> data(service).download(ALICE, image.id(), new ByteRange(300_000, -1))).kind());
    }

    @Test
    void queuedImageHasNoData() {
        Image image = create(ALICE, "empty");
        assertNull(data(service).download(ALICE, image.id(), null));
    }

    @Test
    void sizeMismatchRemovesPartialDataAndRequeues() throws Exception {
        Image image = create(ALICE, "short");
        List<Path> before = storedFiles();
        ImageException e = assertThrows(ImageException.class,
                () -> data(service).upload(ALICE, image.id(), new ByteArrayInputStream(random(1000)), 2000, null));
        assertEquals(ImageException.Kind.BAD_REQUEST, e.kind());
        assertEquals(ImageStatus.QUEUED, service.images().get(ALICE, image.id()).status());
        assertEquals(before, storedFiles());
        assertEquals(1, events(image.id(), "UploadFailed"));
    }

    @Test
    void clientDisconnectRemovesPartialDataAndRequeues() throws Exception {
        Image image = create(ALICE, "cut");
        List<Path> before = storedFiles();
        InputStream dying = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 200_000) {
                    throw new IOException("connection reset by peer");
                }
                return 7;
            }
        };
        ImageException e = assertThrows(ImageException.class, () -> data(service).upload(ALICE, image.id(), dying, -1, null));
        assertEquals(ImageException.Kind.BAD_REQUEST, e.kind());
        assertEquals(ImageStatus.QUEUED, service.images().get(ALICE, image.id()).status());
        assertEquals(before, storedFiles());
        assertEquals(1, events(image.id(), "UploadFailed"));
        // the image can be uploaded again afterwards
        data(service).upload(ALICE, image.id(), new ByteArrayInputStream(random(10)), 10, null);
        assertEquals(ImageStatus.ACTIVE, service.images().get(ALICE, image.id()).status());
    }

    @Test
    void uploadOverTheCapIsRefusedWhileStreaming() throws Exception {
        Image image = create(ALICE, "huge");
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }
        };
        ImageException e = assertThrows(ImageException.class, () -> data(service).upload(ALICE, image.id(), endless, -1, null));
        assertEquals(ImageException.Kind.TOO_LARGE, e.kind());
        assertEquals(ImageStatus.QUEUED, service.images().get(ALICE, image.id()).status());
        assertTrue(storedFiles().stream().noneMatch(p -> p.getFileName().toString().contains(image.id())));
    }

    @Test
    void patchIsAppliedWholeOrNotAtAll() {
        Image image = create(ALICE, "patched");
        Image updated = service.images().update(ALICE, image.id(), List.of(
                new PatchOperation("replace", "name", "renamed"),
                new PatchOperation("add", "os_distro", "debian"),
                new PatchOperation("add", "tags", List.of("a", "b"))));
        assertEquals("renamed", updated.name());
        assertEquals("debian", updated.properties().get("os_distro"));
        assertEquals(List.of("a", "b"), updated.tags());
        ImageException e = assertThrows(ImageException.class, () -> service.images().update(ALICE, image.id(), List.of(
                new PatchOperation("replace", "name", "half"),
                new PatchOperation("remove", "missing", null))));
        assertEquals(ImageException.Kind.CONFLICT, e.kind());
        assertEquals("renamed", service.images().get(ALICE, image.id()).name());
        assertEquals(ImageException.Kind.FORBIDDEN, assertThrows(ImageException.class, () -> service.images().update(ALICE,
                image.id(), List.of(new PatchOperation("replace", "size", 5)))).kind());
        assertEquals(ImageException.Kind.FORBIDDEN, assertThrows(ImageException.class, () -> service.images().update(ALICE,
                image.id(), List.of(new PatchOperation("replace", "visibility", "public")))).kind());
        assertEquals("public", service.images().update(ADMIN, image.id(),
                List.of(new PatchOperation("replace", "visibility", "public"))).visibility());
        assertEquals(ImageException.Kind.FORBIDDEN, assertThrows(ImageException.class, () -> service.images().update(BOB,
                image.id(), List.of(new PatchOperation("replace", "name", "stolen")))).kind());
    }

    @Test
    void deleteRemovesDataAndHidesTheImage() throws Exception {
        Image image = create(ALICE, "doomed");
        data(service).upload(ALICE, image.id(), new ByteArrayInputStream(random(1234)), 1234, null);
        Path file = store.directory().resolve(image.id());
        assertTrue(Files.exists(file));
        service.images().delete(ALICE, image.id());
        assertFalse(Files.exists(file));
        assertEquals(ImageException.Kind.NOT_FOUND, assertThrows(ImageException.class,
                () -> service.images().get(ALICE, image.id())).kind());
        assertEquals(1, events(image.id(), "DataScrubbed"));
    }

    @Test
    void protectedImageCannotBeDeleted() {
        Image image = create(ALICE, "keep");
        service.images().update(ALICE, image.id(), List.of(new PatchOperation("replace", "protected", true)));
        assertEquals(ImageException.Kind.FORBIDDEN, assertThrows(ImageException.class,
                () -> service.images().delete(ALICE, image.id())).kind());
    }

    @Test
    void duplicateIdIsAConflict() {
        Map<String, Object> attrs = Map.of("id", "6f0a3a4e-5d2b-4a7e-9b1c-0123456789ab", "name", "dup");
        service.images().create(ALICE, attrs);
        assertEquals(ImageException.Kind.CONFLICT, assertThrows(ImageException.class,
                () -> service.images().create(ALICE, attrs)).kind());
    }

    @Test
    void listingPagesWithAMarker() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(service.images().create(BOB, Map.of("name", "page-" + i, "tags", List.of("paging"))).id());
        }
        ImageQuery first = new ImageQuery(Map.of(), List.of("paging"), null, null,
                List.of(new ImageQuery.SortKey("name", true)), 2, null);
        var page1 = service.images().list(BOB, first);
        assertEquals(2, page1.images().size());
        assertTrue(page1.more());
        var page2 = service.images().list(BOB, new ImageQuery(Map.of(), List.of("paging"), null, null,
                List.of(new ImageQuery.SortKey("name", true)), 10, page1.images().get(1).id()));
        assertEquals(List.of("page-2", "page-3", "page-4"), page2.images().stream().map(Image::name).toList());
        assertFalse(page2.more());
    }

    @Test
    void aFailingProjectionRollsBackItsEvent() throws Exception {
        Image image = create(ALICE, "rollback");
        long before = events(image.id(), "TagAdded");
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE image_tags RENAME TO image_tags_away");
        }
        try {
            assertThrows(ImageException.class, () -> service.images().addTag(ALICE, image.id(), "t1"));
        } finally {
            try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE image_tags_away RENAME TO image_tags");
            }
        }
        assertEquals(before, events(image.id(), "TagAdded"));
        service.images().addTag(ALICE, image.id(), "t1");
        assertEquals(List.of("t1"), service.images().get(ALICE, image.id()).tags());
    }

    @Test
    void replayingTheEventStoreReproducesTheRegistry() throws Exception {
        Image image = create(ALICE, "replayed");
        service.images().update(ALICE, image.id(), List.of(new PatchOperation("add", "os_distro", "debian")));
        service.images().addTag(ALICE, image.id(), "x");
        data(service).upload(ALICE, image.id(), new ByteArrayInputStream(random(999)), 999, null);
        Image shared = service.images().create(ALICE, Map.of("name", "shared-replayed", "visibility", "shared"));
        service.members().addMember(ALICE, shared.id(), "p-bob");
        service.members().updateMember(BOB, shared.id(), "p-bob", "accepted");
        String before = dump();
        Map<String, Object> rebuilt = service.admin().rebuildRegistryNow();
        assertEquals("done", rebuilt.get("state"), rebuilt.toString());
        assertTrue(((Number) rebuilt.get("events")).longValue() > 0);
        assertEquals(true, rebuilt.get("unchanged"), rebuilt.toString());
        assertEquals(before, dump());
    }

    private static String dump() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String q : List.of("SELECT * FROM images ORDER BY id", "SELECT * FROM image_properties ORDER BY image_id, name",
                    "SELECT * FROM image_tags ORDER BY image_id, tag", "SELECT * FROM image_members ORDER BY image_id, member_id",
                    "SELECT * FROM image_locations ORDER BY image_id, store_id", "SELECT * FROM tasks ORDER BY id")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    @Test
    void aStoreFailureRequeuesAndRecordsTheFailure() throws Exception {
        Image image = create(ALICE, "store-fails");
        ImageStore broken = new ImageStore() {
            @Override
            public com.xloud.image.api.store.StoredImage add(String imageId, InputStream data, long expectedSize,
                                                              com.xloud.image.api.store.DataDigests hashing) {
                try {
                    data.readNBytes(1000);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new com.xloud.image.api.store.StoreException("disk on fire");
            }

            @Override
            public InputStream get(java.net.URI location, long offset, long length) {
                throw new com.xloud.image.api.store.StoreException("nothing was ever stored here");
            }

            @Override
            public long size(java.net.URI location) {
                return 0;
            }

            @Override
            public void delete(java.net.URI location) {
            }

            @Override
            public void discardPartial(String imageId) {
            }

            @Override
            public com.xloud.image.api.store.StoreHealth health() {
                return com.xloud.image.api.store.StoreHealth.down("broken");
            }

            @Override
            public boolean owns(java.net.URI location) {
                return false;
            }
        };
        EventSourcedImageService withBrokenStore = new EventSourcedImageService(registry,
                new Settings("other-node", "sha512", 1 << 20, "broken"), POLICY);
        try {
            withBrokenStore.addStore(broken, Map.of(ImageStore.PROP_ID, "broken"));
            ImageException e = assertThrows(ImageException.class, () -> data(withBrokenStore).upload(ALICE, image.id(),
                    new ByteArrayInputStream(random(5000)), 5000, null));
            assertEquals(ImageException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("disk on fire"));
        } finally {
            withBrokenStore.close();
        }
        assertEquals(ImageStatus.QUEUED, service.images().get(ALICE, image.id()).status());
        assertEquals(1, events(image.id(), "UploadFailed"));
    }

    /**
     * A file store whose removals fail while {@code failing} is set, as a store that is unreachable
     * for a while; with {@code overwrites} an add replaces what the image has there, as Swift does
     * (the file store refuses to).
     */
    static final class FlakyStore implements ImageStore {
        final FileImageStore files;
        volatile boolean failing;
        volatile boolean overwrites;

        FlakyStore(FileImageStore files) {
            this.files = files;
        }

        @Override
        public com.xloud.image.api.store.StoredImage add(String imageId, InputStream data, long expectedSize,
                                                          com.xloud.image.api.store.DataDigests hashing) {
            if (overwrites) {
                files.delete(files.directory().resolve(imageId).toUri());
            }
            return files.add(imageId, data, expectedSize, hashing);
        }

        @Override
        public InputStream get(java.net.URI location, long offset, long length) {
            return files.get(location, offset, length);
        }

        @Override
        public long size(java.net.URI location) {
            return files.size(location);
        }

        @Override
        public void delete(java.net.URI location) {
            if (failing) {
                throw new com.xloud.image.api.store.StoreException("store unreachable");
            }
            files.delete(location);
        }

        @Override
        public void discardPartial(String imageId) {
            files.discardPartial(imageId);
        }

        @Override
        public com.xloud.image.api.store.StoreHealth health() {
            return files.health();
        }

        @Override
        public boolean owns(java.net.URI location) {
            return files.owns(location);
        }
    }

    /** Settings of a node whose scrubber runs only when the test calls it (its own schedule: hourly). */
    static Settings scrubbedByTheTest(String nodeId, String defaultStore) {
        return new Settings(nodeId, "sha512", 1 << 20, defaultStore).withCluster(new Settings.Cluster(null,
                java.time.Duration.ofSeconds(60), java.time.Duration.ofHours(1)));
    }

    @Test
    void dataAStoreCouldNotRemoveAtTheDeleteIsRemovedByALaterScrub() throws Exception {
        FlakyStore flaky = new FlakyStore(new FileImageStore(dir.resolve("flaky"), 65536));
        EventSourcedImageService node = new EventSourcedImageService(registry, scrubbedByTheTest("scrub-node", "flaky"), POLICY);
        try {
            node.addStore(flaky, Map.of(ImageStore.PROP_ID, "flaky"));
            Image image = create(ALICE, "scrubbed-later");
            data(node).upload(ALICE, image.id(), new ByteArrayInputStream(random(5000)), 5000, null);
            Path data = Path.of(java.net.URI.create(node.images().get(ALICE, image.id()).location()));
            assertTrue(Files.exists(data));

            flaky.failing = true;
            node.images().delete(ALICE, image.id());
            assertThrows(ImageException.class, () -> node.images().get(ALICE, image.id()), "the image is deleted at once");
            assertTrue(Files.exists(data), "the store could not remove the data");
            assertEquals(0, events(image.id(), "DataScrubbed"));
            assertTrue(stray(image.id()),
                    "the location of the deleted image stays recorded");
            node.scrubber().retryAll();
            assertTrue(Files.exists(data), "still unreachable: still there, still recorded");
            assertEquals(0, events(image.id(), "DataScrubbed"));

            flaky.failing = false;
            node.scrubber().retryAll();
            assertFalse(Files.exists(data), "removed once the store answers again");
            assertEquals(1, events(image.id(), "DataScrubbed"));
            assertFalse(stray(image.id()));
            node.scrubber().retryAll();
            assertEquals(1, events(image.id(), "DataScrubbed"), "a scrub is recorded once");
        } finally {
            node.close();
        }
    }

    /** True when the registry lists data of the deleted image {@code id} for the scrubber. */
    static boolean stray(String id) {
        return registry.strayData("", "", 100_000).stream().anyMatch(d -> d.imageId().equals(id));
    }

    static long strayRows(String id) throws Exception {
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM image_stray_data WHERE image_id = '" + id + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One count of the health report's {@code scrub} section, per store. */
    @SuppressWarnings("unchecked")
    static Map<String, Long> scrubCounts(EventSourcedImageService node, String which) {
        return (Map<String, Long>) ((Map<String, Object>) node.admin().healthReport(ADMIN).get("scrub")).get(which);
    }

    /** Polls until the image has data in exactly {@code storeIds} (deadline 30 s): a copy task runs on its own thread. */
    static void awaitStores(EventSourcedImageService node, String id, java.util.Set<String> storeIds) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!node.images().get(ADMIN, id).locations().keySet().equals(storeIds)) {
            assertTrue(System.nanoTime() < deadline, "stores of " + id + ": " + node.images().get(ADMIN, id).locations());
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    /**
     * A node with a file store {@code good} and a {@link FlakyStore} {@code flaky}, and an image
     * uploaded into {@code good} and copied into {@code flaky} (copy-image): the data in both.
     */
    record TwoCopies(EventSourcedImageService node, FlakyStore flaky, Image image) implements AutoCloseable {
        static TwoCopies of(String name, byte[] data) {
            FlakyStore flaky = new FlakyStore(new FileImageStore(dir.resolve(name + "-flaky"), 65536));
            EventSourcedImageService node = new EventSourcedImageService(registry,
                    scrubbedByTheTest(name + "-node", "good"), POLICY);
            node.addStore(flaky, Map.of(ImageStore.PROP_ID, "flaky"));
            node.addStore(new FileImageStore(dir.resolve(name + "-good"), 65536),
                    Map.of(ImageStore.PROP_ID, "good", ImageStore.PROP_DEFAULT, true));
            Image image = create(ALICE, name);
            ImageServiceTest.data(node).upload(ALICE, image.id(), new ByteArrayInputStream(data), data.length, "good");
            TwoCopies copies = new TwoCopies(node, flaky, image);
            copies.copyIntoFlaky();
            return copies;
        }

        /** What copy-image (the import bundle) does on the kernel: the data into the store, then its location. */
        void copyIntoFlaky() {
            Image current = node.images().get(ADMIN, image.id());
            try (java.io.InputStream in = Files.newInputStream(Path.of(java.net.URI.create(current.location())));
                 com.xloud.image.core.kernel.Hashing hashing = new com.xloud.image.core.kernel.Hashing("sha512")) {
                var copy = flaky.add(image.id(), hashing.wrap(in), current.size(), hashing);
                node.kernel().commands().send(new com.xloud.image.core.command.AddLocation(image.id(),
                        node.kernel().images().origin(ADMIN), "flaky", copy.location().toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            awaitStores(node, image.id(), java.util.Set.of("flaky", "good"));
        }

        /** DELETE /v2/stores/flaky/{id} while the flaky store cannot remove anything. */
        void removeFlakyCopyWhileItCannotRemove() {
            flaky.failing = true;
            try {
                ImageServiceTest.data(node).deleteFromStore(ALICE, "flaky", image.id());
            } finally {
                flaky.failing = false;
            }
        }

        Path data(String storeId) {
            return Path.of(java.net.URI.create(node.images().get(ADMIN, image.id()).locations().get(storeId)));
        }

        @Override
        public void close() {
            node.close();
        }
    }

    @Test
    void aRemovedCopyItsStoreCouldNotDropIsRemovedWithTheImageNotBefore() throws Exception {
        try (TwoCopies copies = TwoCopies.of("left-behind", random(4000))) {
            EventSourcedImageService node = copies.node();
            String id = copies.image().id();
            Path flakyData = copies.data("flaky");
            Path goodData = copies.data("good");

            copies.removeFlakyCopyWhileItCannotRemove();
            assertEquals(java.util.Set.of("good"), node.images().get(ALICE, id).locations().keySet(),
                    "the copy is gone from the image at once");
            assertTrue(Files.exists(flakyData), "its store could not remove it");
            assertEquals(1, events(id, "DataLeftBehind"));
            assertEquals(1, strayRows(id));
            assertEquals(1L, scrubCounts(node, "kept_with_live_images").get("flaky"), "admins see it in the health report");
            node.scrubber().retryAll();
            assertTrue(Files.exists(flakyData), "not while the image lives: a new upload may write there again");

            node.images().delete(ALICE, id);
            assertFalse(Files.exists(goodData), "the image's own data goes at once");
            assertTrue(stray(id), "what it left behind is listed for the scrubber");
            assertEquals(1L, scrubCounts(node, "waiting").get("flaky"));
            assertNull(scrubCounts(node, "kept_with_live_images").get("flaky"));
            node.scrubber().retryAll();
            assertFalse(Files.exists(flakyData), "and goes with the next scrub");
            assertEquals(2, events(id, "DataScrubbed"));
            assertEquals(0, strayRows(id));
            assertFalse(stray(id));
            assertNull(scrubCounts(node, "waiting").get("flaky"));
        }
    }

    @Test
    void dataStoredAgainWhereDataWasLeftBehindIsTheImagesOnceMore() throws Exception {
        try (TwoCopies copies = TwoCopies.of("stored-again", random(3000))) {
            String id = copies.image().id();
            Path flakyData = copies.data("flaky");
            copies.flaky().overwrites = true;
            copies.removeFlakyCopyWhileItCannotRemove();
            assertEquals(1, strayRows(id));

            copies.copyIntoFlaky();
            assertEquals(flakyData, copies.data("flaky"), "the same location");
            assertEquals(0, strayRows(id), "the data there is the image's again, not stray");
            copies.node().scrubber().retryAll();
            assertTrue(Files.exists(flakyData));
            assertArrayEquals(random(3000), data(copies.node()).download(ALICE, id, null).data().readAllBytes());
        }
    }

    @Test
    void aScrubLeavesDataOfStoresThisNodeDoesNotRunToTheNodesThatDo() throws Exception {
        FlakyStore flaky = new FlakyStore(new FileImageStore(dir.resolve("elsewhere"), 65536));
        EventSourcedImageService holder = new EventSourcedImageService(registry, new Settings("holder-node", "sha512",
                1 << 20, "elsewhere"), POLICY);
        Image image = create(ALICE, "held-elsewhere");
        Path data;
        try {
            holder.addStore(flaky, Map.of(ImageStore.PROP_ID, "elsewhere"));
            data(holder).upload(ALICE, image.id(), new ByteArrayInputStream(random(3000)), 3000, null);
            data = Path.of(java.net.URI.create(holder.images().get(ALICE, image.id()).location()));
            flaky.failing = true;
            holder.images().delete(ALICE, image.id());
        } finally {
            holder.close();
        }
        service.scrubber().retryAll();
        assertTrue(Files.exists(data), "this node has no store 'elsewhere'");
        assertEquals(0, events(image.id(), "DataScrubbed"));
        assertTrue(stray(image.id()));
    }

    @Test
    void anImageDeletedDuringItsUploadGetsNoDataLeftBehind() throws Exception {
        Image image = create(ALICE, "deleted-while-saving");
        byte[] data = random(200_000);
        InputStream deletingHalfway = new InputStream() {
            int pos;

            @Override
            public int read() {
                if (pos == data.length / 2) {
                    service.images().delete(ALICE, image.id());
                }
                return pos < data.length ? data[pos++] & 0xff : -1;
            }
        };
        ImageException e = assertThrows(ImageException.class,
                () -> data(service).upload(ALICE, image.id(), deletingHalfway, data.length, null));
        assertEquals(ImageException.Kind.GONE, e.kind());
        assertFalse(Files.exists(store.directory().resolve(image.id())));
        assertEquals(ImageStatus.DELETED, registry.find(image.id()).orElseThrow().status());
    }

    @Test
    void everyEventSaysWhoWhereAndInWhichRequest() throws Exception {
        Image image = create(ALICE, "audited");
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT payload FROM DomainEventEntry WHERE aggregateIdentifier = '"
                     + image.id() + "' AND payloadType LIKE '%ImageCreated'")) {
            assertTrue(rs.next());
            String payload = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
            for (String expected : List.of("\"userId\":\"alice\"", "\"projectId\":\"p-alice\"", "\"roles\":[\"member\"]",
                    "\"nodeId\":\"test-node\"", "\"requestId\":\"req-a\"", "\"at\":\"")) {
                assertTrue(payload.contains(expected), expected + " in " + payload);
            }
        }
    }

    @Test
    void aRestartedNodeRequeuesTheUploadsItWasStreaming() throws Exception {
        Image image = create(ALICE, "interrupted");
        service.events().send(new com.xloud.image.core.command.StartUpload(image.id(),
                new com.xloud.image.api.events.Origin("alice", "p-alice", List.of("member"), "crashing-node", "req-c",
                        java.time.Instant.now()), "file", 10));
        assertEquals(ImageStatus.SAVING, service.images().get(ALICE, image.id()).status());
        EventSourcedImageService restarted = new EventSourcedImageService(registry,
                new Settings("crashing-node", "sha512", 1 << 20, ""), POLICY);
        restarted.close();
        assertEquals(ImageStatus.QUEUED, service.images().get(ALICE, image.id()).status());
        assertEquals(1, events(image.id(), "UploadFailed"));
    }

    @Test
    void perImageQuotasAnswer413AndApplyNothing() {
        EventSourcedImageService small = new EventSourcedImageService(registry, new Settings(
                "quota-node", "sha512", 1 << 20, "", new com.xloud.image.core.command.Limits(2, 2, 1)), POLICY);
        try {
            assertEquals(ImageException.Kind.TOO_LARGE, assertThrows(ImageException.class, () -> small.images().create(ALICE,
                    Map.of("a", "1", "b", "2", "c", "3"))).kind());
            assertEquals(ImageException.Kind.TOO_LARGE, assertThrows(ImageException.class, () -> small.images().create(ALICE,
                    Map.of("tags", List.of("x", "y", "z")))).kind());
            Image image = small.images().create(ALICE, Map.of("a", "1", "tags", List.of("x")));
            small.images().update(ALICE, image.id(), List.of(new PatchOperation("add", "b", "2")));
            assertEquals(ImageException.Kind.TOO_LARGE, assertThrows(ImageException.class, () -> small.images().update(ALICE,
                    image.id(), List.of(new PatchOperation("add", "c", "3")))).kind());
            small.images().addTag(ALICE, image.id(), "y");
            small.images().addTag(ALICE, image.id(), "y");
            assertEquals(ImageException.Kind.TOO_LARGE, assertThrows(ImageException.class,
                    () -> small.images().addTag(ALICE, image.id(), "z")).kind());
            small.members().addMember(ALICE, image.id(), "p-one");
            assertEquals(ImageException.Kind.TOO_LARGE, assertThrows(ImageException.class,
                    () -> small.members().addMember(ALICE, image.id(), "p-two")).kind());
            Image after = small.images().get(ALICE, image.id());
            assertEquals(Map.of("a", "1", "b", "2"), after.properties());
            assertEquals(List.of("x", "y"), after.tags());
            assertEquals(1, small.members().members(ALICE, image.id()).size());
        } finally {
            small.close();
        }
    }

    @Test
    void projectQuotasAreEnforcedAsOsloLimitDoesAndReported() throws Exception {
        RequestContext q = new RequestContext("quser", "p-quota", List.of("member"), "req-q");
        ProjectQuotas quotas = new ProjectQuotas(Map.of("quota.default.image_count_total", "-1",
                "quota.project.p-quota.image_count_total", "3", "quota.project.p-quota.image_size_total", "1",
                "quota.project.p-quota.image_count_uploading", "0", "default.store", ""));
        EventSourcedImageService limited = new EventSourcedImageService(registry, new Settings(
                "quota-node-2", "sha512", 10L << 20, "", com.xloud.image.core.command.Limits.GLANCE_DEFAULTS, quotas), POLICY);
        try {
            limited.addStore(store, Map.of(ImageStore.PROP_ID, "file", ImageStore.PROP_DEFAULT, true));
            Map<String, Object> raw = Map.of("disk_format", "raw", "container_format", "bare");
            Image first = limited.images().create(q, raw);
            Image second = limited.images().create(q, raw);
            Image third = limited.images().create(q, raw);
            ImageException tooMany = assertThrows(ImageException.class, () -> limited.images().create(q, raw));
            assertEquals(ImageException.Kind.TOO_LARGE, tooMany.kind());
            assertTrue(tooMany.getMessage().contains("image_count_total is over limit of 3"), tooMany.getMessage());
            limited.images().create(ALICE, raw); // other projects are not limited

            data(limited).upload(q, first.id(), new ByteArrayInputStream(new byte[2 << 20]), 2 << 20, null);
            ImageException tooBig = assertThrows(ImageException.class,
                    () -> data(limited).upload(q, second.id(), new ByteArrayInputStream(new byte[10]), 10, null));
            assertEquals(ImageException.Kind.TOO_LARGE, tooBig.kind());
            assertTrue(tooBig.getMessage().contains("image_size_total"), tooBig.getMessage());
            assertEquals(ImageStatus.QUEUED, limited.images().get(q, second.id()).status());

            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> usage = (Map<String, Map<String, Object>>) (Map<?, ?>) limited.images().usage(q);
            assertEquals(3L, usage.get("image_count_total").get("limit"));
            assertEquals(3L, usage.get("image_count_total").get("usage"));
            assertEquals(1L, usage.get("image_size_total").get("limit"));
            assertEquals(2L, usage.get("image_size_total").get("usage"));
            assertEquals(-1L, usage.get("image_stage_total").get("limit"));
            assertEquals(0L, usage.get("image_count_uploading").get("usage"));
            assertTrue(third.id() != null);
        } finally {
            limited.close();
        }
    }

    @Test
    void malformedQuotaConfigurationStopsTheStartWithItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProjectQuotas(Map.of("quota.default.image_count_total", "lots")));
        assertTrue(e.getMessage().contains("quota.default.image_count_total"));
        assertThrows(IllegalArgumentException.class, () -> new ProjectQuotas(Map.of("quota.default.images", "1")));
        assertThrows(IllegalArgumentException.class, () -> new ProjectQuotas(Map.of("quota.project.x.image_size_total", "-5")));
    }

    @Test
    void aRebuildRepairsATamperedRegistryAndSaysSo() throws Exception {
        Image image = create(ALICE, "tamper-me");
        assertEquals(true, service.admin().rebuildRegistryNow().get("unchanged"));
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE images SET name = 'tampered' WHERE id = '" + image.id() + "'");
        }
        assertEquals("tampered", service.images().get(ALICE, image.id()).name());
        Map<String, Object> result = service.admin().rebuildRegistryNow();
        assertEquals(false, result.get("unchanged"));
        assertEquals("repaired", ((Map<?, ?>) result.get("tables")).get("images"), result.toString());
        assertEquals("unchanged", ((Map<?, ?>) result.get("tables")).get("image_tags"), result.toString());
        assertTrue(((Number) result.get("events")).longValue() > 0);
        assertEquals("tamper-me", service.images().get(ALICE, image.id()).name());
        assertEquals(ImageException.Kind.FORBIDDEN, assertThrows(ImageException.class,
                () -> service.admin().rebuildRegistry(ALICE)).kind());
        assertEquals(ImageException.Kind.FORBIDDEN, assertThrows(ImageException.class,
                () -> service.admin().registryRebuildStatus(ALICE)).kind());
        // the replaced tables are kept next to the live ones until the next rebuild
        try (Connection c = registry.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM " + c.getCatalog() + "_previous.images WHERE id = '"
                     + image.id() + "'")) {
            assertTrue(rs.next());
            assertEquals("tampered", rs.getString(1));
        }
    }

    /** Polls the running rebuild until it is over (deadline 120 s). */
    private static Map<String, Object> awaitRebuild() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        Map<String, Object> status = service.admin().registryRebuildStatus(ADMIN);
        while ("running".equals(status.get("state"))) {
            assertTrue(System.nanoTime() < deadline, "the rebuild did not finish: " + status);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            status = service.admin().registryRebuildStatus(ADMIN);
        }
        return status;
    }

    @Test
    void writesDuringARebuildLandInTheSwappedTablesAndNoneIsLost() throws Exception {
        for (int i = 0; i < 400; i++) {
            service.images().addTag(ALICE, create(ALICE, "bulk-" + i).id(), "bulk");
        }
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<String> made = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Runnable writer = () -> {
            while (writing.get()) {
                try {
                    Image im = create(ALICE, "during-rebuild");
                    service.images().addTag(ALICE, im.id(), "during");
                    made.add(im.id());
                } catch (Throwable t) {
                    failures.add(t);
                    return;
                }
            }
        };
        Thread w1 = new Thread(writer);
        Thread w2 = new Thread(writer);
        w1.start();
        w2.start();
        Map<String, Object> started = service.admin().rebuildRegistry(ADMIN);
        assertEquals("running", started.get("state"));
        assertEquals(ImageException.Kind.CONFLICT, assertThrows(ImageException.class,
                () -> service.admin().rebuildRegistry(ADMIN)).kind(), "one rebuild at a time");
        Map<String, Object> done = awaitRebuild();
        int madeWhileRebuilding = made.size();
        // a few more writes after the swap, into the new tables
        long after = made.size();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (made.size() < after + 5 && failures.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        writing.set(false);
        w1.join();
        w2.join();
        assertEquals(List.of(), failures);
        assertEquals("done", done.get("state"), done.toString());
        assertTrue(madeWhileRebuilding > 0, "writes went on during the rebuild");
        assertEquals(100.0, ((Number) done.get("percent")).doubleValue(), done.toString());
        for (String id : made) {
            assertEquals(List.of("during"), service.images().get(ALICE, id).tags(), id);
        }
        // nothing was lost or doubled: one more rebuild finds the tables exact
        Map<String, Object> again = service.admin().rebuildRegistryNow();
        assertEquals(true, again.get("unchanged"), again.toString());
    }
}
