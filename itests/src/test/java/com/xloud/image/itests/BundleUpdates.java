package com.xloud.image.itests;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * New versions of a bundle, made from the one the build produced, as a vendor ships an update:
 * another Bundle-Version with some entries changed, or with one class compiled again from its
 * source after an edit (a rule that lives in code changes).
 */
final class BundleUpdates {
    private BundleUpdates() {
    }

    /**
     * {@code jar} with Bundle-Version {@code version}, each entry's bytes passed through
     * {@code change(name, bytes)}; an entry it answers null for is left out.
     */
    static Path repacked(Path jar, Path out, String version, BiFunction<String, byte[], byte[]> change)
            throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), manifest)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    byte[] bytes = change.apply(e.getName(), in.readAllBytes());
                    if (bytes != null) {
                        o.putNextEntry(new JarEntry(e.getName()));
                        o.write(bytes);
                        o.closeEntry();
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@code jar} as version {@code version} with the classes of one source file (a path under the
     * project, e.g. {@code bundles/x/src/main/java/.../Y.java}) compiled again after {@code edit},
     * against the bundle itself, the node's other bundles, the framework, SLF4J and the build's annotations. The edit must
     * change the source; the classes it yields replace those of the same names.
     */
    static Path rebuilt(Path jar, Path out, String version, String sourceFile, UnaryOperator<String> edit)
            throws IOException {
        Path source = Node.HOME.resolve(sourceFile);
        String text = Files.readString(source);
        String edited = edit.apply(text);
        if (edited.equals(text)) {
            throw new IllegalArgumentException("the edit changes nothing in " + sourceFile);
        }
        Path work = Files.createTempDirectory(out.getParent(), "rebuild");
        Path copy = Files.createDirectories(work.resolve("src")).resolve(source.getFileName());
        Files.writeString(copy, edited);
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> classpath = new ArrayList<>(List.of(jar.toString()));
        try (Stream<Path> bundles = Files.list(Node.HOME.resolve("distribution/assembly/target/xloud/bundles"))) {
            bundles.forEach(b -> classpath.add(b.toString()));
        }
        for (Class<?> annotations : List.of(org.osgi.service.component.annotations.Component.class,
                org.osgi.service.metatype.annotations.Designate.class, org.osgi.framework.BundleContext.class, org.slf4j.Logger.class)) {
            classpath.add(Path.of(java.net.URI.create(annotations.getProtectionDomain().getCodeSource().getLocation()
                    .toString())).toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-d", classes.toString(), "-cp",
                String.join(java.io.File.pathSeparator, classpath), "-proc:none", "--release", "17"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(copy)).call();
        if (!ok) {
            throw new IllegalStateException("compiling the edited " + sourceFile + " failed:\n" + errors);
        }
        Map<String, byte[]> compiled = new HashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                compiled.put(classes.relativize(f).toString().replace(java.io.File.separatorChar, '/'),
                        Files.readAllBytes(f));
            }
        }
        return repacked(jar, out, version, (name, bytes) -> compiled.getOrDefault(name, bytes));
    }
}
