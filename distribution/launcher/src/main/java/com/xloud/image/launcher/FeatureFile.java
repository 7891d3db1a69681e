package com.xloud.image.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A features file: one bundle a line by artifact id, {@code #} comments, and {@code include <file>}
 * for another features file beside it; resolved to jars in a folder.
 */
public final class FeatureFile {
    private FeatureFile() {
    }

    public static List<Path> bundles(Path features, Path bundleDir) throws IOException {
        List<Path> jars = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(features)) {
            String artifact = line.strip();
            if (artifact.isEmpty() || artifact.startsWith("#")) {
                continue;
            }
            if (artifact.startsWith("include ")) {
                for (Path jar : bundles(features.resolveSibling(artifact.substring("include ".length()).strip()), bundleDir)) {
                    if (!jars.contains(jar)) {
                        jars.add(jar);
                    }
                }
                continue;
            }
            Pattern name = Pattern.compile(Pattern.quote(artifact) + "-\\d[^/]*\\.jar");
            try (var files = Files.list(bundleDir)) {
                List<Path> found = files.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().toList();
                if (found.isEmpty()) {
                    missing.add(artifact);
                } else {
                    jars.add(found.get(found.size() - 1));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException("bundles named in " + features + " are not in " + bundleDir + ": " + missing);
        }
        return jars;
    }
}
