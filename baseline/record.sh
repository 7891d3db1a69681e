#!/usr/bin/env bash
# Records what the bundles export (their manifests and the classes of their exported packages) as
# the baseline that PackageVersionsTest compares every later build with, the way bnd's baseline
# compares a build with its last release: a package whose API changed needs a higher version.
# Run it after a build, when a release is made: ./xloud build && baseline/record.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bundles="$here/../distribution/assembly/target/xloud/bundles"
/usr/bin/python3 - "$bundles" "$here" <<'PY'
import re, sys, zipfile, pathlib
bundles, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def header(manifest, name):
    # manifest lines are folded at 72 bytes: a continuation starts with one space
    text = re.sub(r"\r?\n ", "", manifest).replace("\r", "")
    m = re.search(r"^" + name + r": (.*)$", text, re.M)
    return m.group(1) if m else None
for jar in sorted(bundles.glob("com.xloud.image.*.jar")):
    with zipfile.ZipFile(jar) as z:
        manifest = z.read("META-INF/MANIFEST.MF").decode()
        exports = header(manifest, "Export-Package")
        if not exports:
            continue
        # package names: the clauses' first words, skipping the quoted attribute values
        packages = {c.split(";")[0] for c in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", exports)}
        dirs = {p.replace(".", "/") + "/" for p in packages}
        name = header(manifest, "Bundle-SymbolicName").split(";")[0]
        with zipfile.ZipFile(out / (name + ".jar"), "w", zipfile.ZIP_DEFLATED) as b:
            b.writestr("META-INF/MANIFEST.MF", manifest)
            for entry in z.namelist():
                if entry.endswith("/"):
                    continue
                if entry[: entry.rfind("/") + 1] in dirs:
                    b.writestr(entry, z.read(entry))
        print(f"{name}: {', '.join(sorted(packages))}")
PY
