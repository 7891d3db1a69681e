package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle brings its routes with it: a node started without the metadefs bundle has no
 * {@code /v2/metadefs}; the bundle dropped into its deploy folder serves them, taken away takes
 * them away (the Image API answers throughout), and dropped again finds the catalog as it was,
 * since the catalog lives in the event store and the registry, not in the bundle.
 */
class MetadefsRuntimeTest {
    static final List<String> CATALOG_BUNDLES = List.of("itu", "json-schema-validator", "com.xloud.image.metadefs");
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void start() throws Exception {
        Path features = Node.featuresWithout(dir.resolve("without-metadefs.features"), CATALOG_BUNDLES);
        node = Node.start(dir.resolve("node"), "--features", features.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    static Path jar(String artifact) throws Exception {
        return Node.bundleJar(artifact);
    }

    static void drop(Path jar) throws Exception {
        node.deploy(jar);
    }

    static int status(String path) throws Exception {
        return node.get(path).statusCode();
    }

    @Test
    void theCatalogsRoutesComeAndGoWithItsBundle() throws Exception {
        assertEquals(404, status("/v2/metadefs/namespaces"));
        for (String artifact : CATALOG_BUNDLES) {
            drop(jar(artifact));
        }
        Await.until("the catalog's routes", Duration.ofSeconds(60), () -> status("/v2/metadefs/namespaces"), s -> s == 200);
        assertEquals(201, node.postJson("/v2/metadefs/namespaces", "{\"namespace\": \"Xloud::Runtime\"}").statusCode());
        assertEquals(200, status("/v2/schemas/metadefs/namespace"));

        node.undeploy(jar("com.xloud.image.metadefs"));
        Await.until("the catalog's routes to go", Duration.ofSeconds(60), () -> status("/v2/metadefs/namespaces"),
                s -> s == 404);
        assertEquals(404, status("/v2/schemas/metadefs/namespace"));
        assertEquals(200, status("/v2/images"), "the Image API answers without the catalog");
        assertEquals(200, status("/v2/schemas/image"));

        drop(jar("com.xloud.image.metadefs"));
        Await.until("the catalog's routes again", Duration.ofSeconds(60),
                () -> status("/v2/metadefs/namespaces/Xloud::Runtime"), s -> s == 200);
        assertTrue(node.get("/v2/metadefs/namespaces").body().contains("Xloud::Runtime"));
    }
}
