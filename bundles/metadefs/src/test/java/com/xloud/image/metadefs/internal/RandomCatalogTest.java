package com.xloud.image.metadefs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.xloud.image.api.images.ImageEventRecord;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.launcher.EmbeddedMariaDb;
import com.xloud.image.metadefs.internal.NamespaceCommands.Kind;
import com.xloud.image.registry.internal.MariaDbRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operations on the catalog against a model of it kept by the test: after each one the
 * catalog shows what the model holds, a refusal is exactly where the model expects one, and in
 * the end every namespace's events in the event store are the changes the test made, in order.
 * Names come from every Unicode range (Latin-1, combining marks, right-to-left, CJK, astral) up to
 * the columns' 80 characters. {@code -Dxloud.seed=N} replays another run; the seed is in every failure.
 */
class RandomCatalogTest {
    static final long SEED = Long.getLong("xloud.seed", 20261203L);
    static final int OPERATIONS = 1000;
    static final String[] ALPHABETS = {"abcdefghij", "àéîõüß", "e\u0301a\u0308", "שלום", "漢字かな", "😀🚀𝄞", "::_-."};
    static final ObjectMapper JSON = new ObjectMapper();
    static final RequestContext ADMIN = new RequestContext("u-admin", "p-admin", List.of("admin"), "req-random");

    @TempDir
    static Path dir;
    static EmbeddedMariaDb db;
    static MariaDbRegistry registry;
    static MetadefCatalog catalog;

    @BeforeAll
    static void start() {
        db = EmbeddedMariaDb.start(dir.resolve("db"), 0, "xloud");
        registry = new MariaDbRegistry(db.jdbcUrl(), db.user(), "", 4, 5000);
        // the test's policy: Glance's defaults, writes for admins
        catalog = new MetadefCatalog(registry, (action, ctx, target) -> ctx.isAdmin() || action.startsWith("get_")
                || action.startsWith("list_"), "test-node");
    }

    @AfterAll
    static void stop() {
        if (catalog != null) {
            catalog.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The model of one namespace, and the changes it has seen (event type and name), in order. */
    static final class Ns {
        final String id;
        boolean isProtected;
        final Map<Kind, Set<String>> names = new LinkedHashMap<>();
        final Set<String> associations = new LinkedHashSet<>();
        final List<String> changes = new ArrayList<>();

        Ns(String id) {
            this.id = id;
            for (Kind k : Kind.values()) {
                names.put(k, new LinkedHashSet<>());
            }
        }
    }

    final Random random = new Random(SEED);
    final Map<String, Ns> model = new LinkedHashMap<>();
    /**
     * Names used so far: most new names are old ones (a few dozen in all), so that names collide,
     * and removed and renamed names come back, often.
     */
    final List<String> used = new ArrayList<>();

    String name(int maxCodePoints) {
        if (used.size() >= 24 || !used.isEmpty() && random.nextInt(4) != 0) {
            String old = used.get(random.nextInt(used.size()));
            return random.nextInt(4) == 0 ? old.toUpperCase(Locale.ROOT) : old;
        }
        String fresh = text(maxCodePoints);
        used.add(fresh);
        return fresh;
    }

    String text(int maxCodePoints) {
        String alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
        int[] cps = alphabet.codePoints().toArray();
        int n = 1 + random.nextInt(random.nextInt(10) == 0 ? maxCodePoints : Math.min(12, maxCodePoints));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(cps[random.nextInt(cps.length)]);
        }
        return b.toString();
    }

    <T> T pick(Set<T> set) {
        List<T> list = new ArrayList<>(set);
        return list.get(random.nextInt(list.size()));
    }

    static String kindType(Kind k) {
        return switch (k) {
            case OBJECT -> "MetadefObject";
            case PROPERTY -> "MetadefProperty";
            case TAG -> "MetadefTag";
        };
    }

    Map<String, Object> definition(Kind kind, String name) {
        return switch (kind) {
            case OBJECT -> MetadefInput.objectDefinition(JSON, JSON.createObjectNode().put("name", name)
                    .put("description", text(30)));
            case PROPERTY -> MetadefInput.propertyDefinition(JSON, JSON.createObjectNode().put("type", "string")
                    .put("title", text(20)));
            case TAG -> null;
        };
    }

    /** Runs {@code op}; the model says whether it must be refused, and with which status. */
    final Map<String, Integer> outcomes = new TreeMap<>();

    void expect(int status, String what, Runnable op) {
        outcomes.merge(what.split(" ")[0] + " " + status, 1, Integer::sum);
        try {
            op.run();
            assertEquals(0, status, what + " should have been refused (seed " + SEED + ")");
        } catch (ImageException e) {
            assertEquals(status, e.kind().status(), what + ": " + e.getMessage() + " (seed " + SEED + ")");
        }
    }

    boolean contains(Set<String> names, Kind kind, String name) {
        return kind == Kind.TAG ? names.stream().anyMatch(n -> n.equalsIgnoreCase(name)) : names.contains(name);
    }

    @Test
    void theCatalogFollowsTheModelAndItsEventsAreTheChangesMade() {
        for (int i = 0; i < OPERATIONS; i++) {
            step(i);
        }
        System.out.println("random catalog (seed " + SEED + "): " + outcomes);
        for (Map.Entry<String, Ns> e : model.entrySet()) {
            check(e.getKey(), e.getValue());
            List<String> recorded = new ArrayList<>();
            for (ImageEventRecord r : registry.history(e.getValue().id)) {
                recorded.add(r.type() + nameOf(r));
            }
            assertEquals(e.getValue().changes, recorded, "events of " + e.getKey() + " (seed " + SEED + ")");
        }
    }

    static String nameOf(ImageEventRecord r) {
        Object name = r.changes().containsKey("resourceType") ? r.changes().get("resourceType") : r.changes().get("name");
        return name == null ? "" : " " + name;
    }

    void step(int i) {
        int choice = model.isEmpty() ? 0 : random.nextInt(model.size() < 4 ? 10 : 9) + (model.size() < 4 ? 0 : 1);
        if (choice == 0) {
            String name = random.nextInt(20) == 0 ? text(81) : name(40);
            ObjectNode body = JSON.createObjectNode().put("namespace", name).put("visibility", "public")
                    .put("protected", random.nextInt(4) == 0);
            int status = name.codePointCount(0, name.length()) > 80 ? 400 : model.containsKey(name) ? 409 : 0;
            expect(status, "create " + name, () -> catalog.createNamespace(ADMIN, body));
            if (status == 0) {
                Map<String, Object> shown = catalog.showNamespace(ADMIN, name, null);
                Ns ns = new Ns(catalog.visible(ADMIN, name, MetadefCatalog.Lookup.SHOW).id());
                ns.isProtected = (Boolean) shown.get("protected");
                ns.changes.add("NamespaceCreated");
                model.put(name, ns);
            }
            return;
        }
        String nsName = pick(model.keySet());
        Ns ns = model.get(nsName);
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        Set<String> names = ns.names.get(kind);
        switch (choice) {
            case 1, 2, 3 -> {
                String name = random.nextInt(5) == 0 && !names.isEmpty() ? pick(names) : name(40);
                int status = contains(names, kind, name) ? 409 : 0;
                expect(status, "add " + kind + " " + name, () -> catalog.add(ADMIN, nsName, kind, name,
                        definition(kind, name)));
                if (status == 0) {
                    names.add(name);
                    ns.changes.add(kindType(kind) + "Added " + name);
                }
            }
            case 4 -> {
                if (names.isEmpty()) {
                    return;
                }
                String name = pick(names);
                String newName = random.nextInt(4) == 0 ? name : name(40);
                boolean same = kind == Kind.TAG ? name.equalsIgnoreCase(newName) : name.equals(newName);
                int status = !same && contains(names, kind, newName) ? 409 : 0;
                expect(status, "rename " + kind + " " + name, () -> catalog.update(ADMIN, nsName, kind, name, newName,
                        definition(kind, newName)));
                if (status == 0) {
                    names.remove(name);
                    names.add(newName);
                    ns.changes.add(kindType(kind) + (kind == Kind.TAG ? "Renamed " : "Updated ") + name);
                }
            }
            case 5 -> {
                String name = names.isEmpty() || random.nextInt(4) == 0 ? name(40) : pick(names);
                int status = !names.contains(name) ? 404 : ns.isProtected ? 403 : 0;
                expect(status, "remove " + kind + " " + name, () -> catalog.remove(ADMIN, nsName, kind, name));
                if (status == 0) {
                    names.remove(name);
                    ns.changes.add(kindType(kind) + "Removed " + name);
                }
            }
            case 6 -> {
                String type = random.nextInt(3) == 0 && !ns.associations.isEmpty() ? pick(ns.associations)
                        : "OS::" + name(20);
                int status = ns.associations.contains(type) ? 409 : 0;
                expect(status, "associate " + type, () -> catalog.associate(ADMIN, nsName,
                        new NamespaceCommands.Association(type, random.nextBoolean() ? text(5) : null, null)));
                if (status == 0) {
                    ns.associations.add(type);
                    ns.changes.add("ResourceTypeAssociated " + type);
                }
            }
            case 7 -> {
                if (ns.associations.isEmpty()) {
                    return;
                }
                String type = pick(ns.associations);
                int status = ns.isProtected ? 403 : 0;
                expect(status, "dissociate " + type, () -> catalog.dissociate(ADMIN, nsName, type));
                if (status == 0) {
                    ns.associations.remove(type);
                    ns.changes.add("ResourceTypeDissociated " + type);
                }
            }
            case 8 -> {
                boolean lift = random.nextInt(3) != 0;
                ObjectNode body = JSON.createObjectNode().put("namespace", nsName).put("visibility", "public")
                        .put("protected", !lift);
                catalog.updateNamespace(ADMIN, nsName, body);
                ns.isProtected = !lift;
                ns.changes.add("NamespaceUpdated");
            }
            default -> {
                if (random.nextInt(3) != 0) {
                    return;
                }
                int status = ns.isProtected ? 403 : 0;
                expect(status, "delete " + nsName, () -> catalog.deleteNamespace(ADMIN, nsName));
                if (status == 0) {
                    model.remove(nsName);
                    expect(404, "show deleted " + nsName, () -> catalog.showNamespace(ADMIN, nsName, null));
                    return;
                }
            }
        }
        check(nsName, ns);
    }

    @SuppressWarnings("unchecked")
    void check(String name, Ns ns) {
        JsonNode shown = JSON.valueToTree(catalog.showNamespace(ADMIN, name, null));
        assertEquals(name, shown.get("namespace").asText(), "seed " + SEED);
        assertEquals(ns.isProtected, shown.get("protected").asBoolean(), "seed " + SEED);
        assertEquals(new TreeSet<>(ns.names.get(Kind.PROPERTY)), fieldNames(shown.path("properties")), "seed " + SEED);
        assertEquals(new TreeSet<>(ns.names.get(Kind.OBJECT)), values(shown.path("objects"), "name"), "seed " + SEED);
        assertEquals(new TreeSet<>(ns.names.get(Kind.TAG)), values(shown.path("tags"), "name"), "seed " + SEED);
        assertEquals(new TreeSet<>(ns.associations), values(shown.path("resource_type_associations"), "name"),
                "seed " + SEED);
        for (String tag : ns.names.get(Kind.TAG)) {
            assertTrue(catalog.get(ADMIN, name, Kind.TAG, tag).name().equals(tag), "seed " + SEED);
        }
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Set<String> values(JsonNode array, String key) {
        Set<String> names = new TreeSet<>();
        array.forEach(n -> names.add(n.get(key).asText()));
        return names;
    }
}
