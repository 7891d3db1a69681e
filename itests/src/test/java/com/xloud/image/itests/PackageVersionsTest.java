package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bnd's baseline on every exported package: each bundle that exports packages is compared with
 * its recorded baseline ({@code baseline/}, written by {@code baseline/record.sh} at a release); a
 * package whose API changed without the version bump the change needs (major for a removal or an
 * addition to a consumer-implemented interface, minor for an addition, micro otherwise) fails.
 */
class PackageVersionsTest {
    static final Path BASELINE = Node.HOME.resolve("baseline");
    static final Path BUNDLES = Node.HOME.resolve("distribution/assembly/target/xloud/bundles");

    /** The packages of {@code newer} whose version is lower than its changes since {@code older} ask for. */
    static List<String> unbumped(Path newer, Path older) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Jar n = new Jar(newer.toFile()); Jar o = new Jar(older.toFile()); Processor reporter = new Processor()) {
            for (Baseline.Info info : new Baseline(reporter, new DiffPluginImpl()).baseline(n, o, null)) {
                if (info.mismatch) {
                    problems.add(info.packageName + " " + info.newerVersion + " (was " + info.olderVersion + ") needs "
                            + info.suggestedVersion + (info.reason == null ? "" : ": " + info.reason));
                }
            }
            assertTrue(reporter.getErrors().isEmpty(), reporter.getErrors().toString());
        }
        return problems;
    }

    static String symbolicName(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0];
        }
    }

    static boolean exports(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest().getMainAttributes().getValue("Export-Package") != null;
        }
    }

    @Test
    void everyExportedPackageCarriesTheVersionItsChangesNeed() throws Exception {
        List<String> problems = new ArrayList<>();
        int compared = 0;
        try (Stream<Path> jars = Files.list(BUNDLES)) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("com.xloud.image.")).toList()) {
                if (!exports(jar)) {
                    continue;
                }
                Path base = BASELINE.resolve(symbolicName(jar) + ".jar");
                if (!Files.exists(base)) {
                    continue; // exports first seen in this build: there is nothing to compare them with yet
                }
                problems.addAll(unbumped(jar, base));
                compared++;
            }
        }
        assertTrue(compared >= 3, "the API, the registry and the Keystone client are compared; " + compared + " were");
        assertEquals(List.of(), problems, "exported packages changed without the version their changes need");
    }

    /** The check itself: a class taken out of an exported package, its version left alone, is caught. */
    @Test
    void aRemovedTypeWithoutAMajorVersionIsCaught(@TempDir Path dir) throws Exception {
        Path api = BASELINE.resolve("com.xloud.image.api.jar");
        Path cut = BundleUpdates.repacked(api, dir.resolve("cut.jar"), "0.1.0",
                (name, bytes) -> name.equals("com/xloud/image/api/cache/ImageCache.class") ? null : bytes);
        List<String> problems = unbumped(cut, api);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("com.xloud.image.api.cache "), problems.toString());
        assertEquals(List.of(), unbumped(api, api), "a jar against itself needs nothing");
    }
}
