#!/usr/bin/env python3
"""Loads and exports the metadata definitions catalog of a running node, as glance-manage's
db_load_metadefs and db_export_metadefs do, through the node's own API (so every change is an
event like any other):

  metadefs.py load PATH [--merge [--prefer-new | --overwrite]]   PATH: a folder of *.json or one file
  metadefs.py export FOLDER                                     one <display name>.json per namespace

Options for both: --url URL (default http://127.0.0.1:9292), --token TOKEN (Keystone; default
$OS_AUTH_TOKEN; without one the no-auth headers of an admin are sent).

Loading a file whose namespace exists: skipped without --merge; with --merge the definitions the
namespace lacks are added; --prefer-new also replaces the namespace's attributes and the
definitions the file has too; --overwrite deletes the namespace and creates it from the file.
A namespace without visibility is private, owned by "admin" unless the file names an owner.
"""
import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class Api:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.headers = {"Accept": "application/json"}
        if token:
            self.headers["X-Auth-Token"] = token
        else:
            self.headers.update({"X-Roles": "admin", "X-Project-Id": "admin", "X-User-Id": "metadefs-loader"})

    def call(self, method, path, body=None, missing_ok=False):
        data = None if body is None else json.dumps(body).encode()
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                raw = r.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            if missing_ok and e.code == 404:
                return None
            text = e.read().decode(errors="replace")
            try:
                text = json.loads(text).get("message", text)
            except ValueError:
                pass
            raise SystemExit("%s %s: %d %s" % (method, path, e.code, text.split("<br")[0]))


def q(name):
    return urllib.parse.quote(name, safe=":")


def ns_path(name, *rest):
    return "/v2/metadefs/namespaces/" + q(name) + "".join("/" + q(r) for r in rest)


def attributes(doc):
    """The namespace's own attributes from a file, with glance-manage's defaults."""
    values = {"namespace": doc["namespace"]}
    for key in ("display_name", "description", "visibility", "protected"):
        if doc.get(key) is not None:
            values[key] = doc[key]
    values["owner"] = doc.get("owner") or "admin"
    return values


def create(api, doc):
    body = attributes(doc)
    if doc.get("resource_type_associations"):
        body["resource_type_associations"] = [
            {k: v for k, v in a.items() if k in ("name", "prefix", "properties_target") and v is not None}
            for a in doc["resource_type_associations"]]
    if doc.get("properties"):
        body["properties"] = doc["properties"]
    if doc.get("objects"):
        body["objects"] = [{k: v for k, v in o.items() if v is not None} for o in doc["objects"]]
    if doc.get("tags"):
        body["tags"] = [{"name": t["name"]} for t in doc["tags"]]
    api.call("POST", "/v2/metadefs/namespaces", body)


def merge(api, doc, existing, prefer_new):
    name = doc["namespace"]
    protected = existing.get("protected", False)
    if protected:
        # a protected namespace keeps its definitions from deletes: lift it while merging
        api.call("PUT", ns_path(name), dict(attributes_of(existing), protected=False))
    try:
        if prefer_new:
            api.call("PUT", ns_path(name), dict(attributes(doc), protected=False))
        current = {a["name"]: a for a in existing.get("resource_type_associations", [])}
        for a in doc.get("resource_type_associations", []):
            wanted = {k: v for k, v in a.items() if k in ("name", "prefix", "properties_target") and v is not None}
            if a["name"] in current:
                if not prefer_new:
                    continue
                api.call("DELETE", ns_path(name, "resource_types", a["name"]))
            api.call("POST", ns_path(name, "resource_types"), wanted)
        have = existing.get("properties", {})
        for pname, definition in doc.get("properties", {}).items():
            body = dict(definition, name=pname)
            if pname not in have:
                api.call("POST", ns_path(name, "properties"), body)
            elif prefer_new:
                api.call("PUT", ns_path(name, "properties", pname), body)
        have = {o["name"] for o in existing.get("objects", [])}
        for o in doc.get("objects", []):
            body = {k: v for k, v in o.items() if v is not None}
            if o["name"] not in have:
                api.call("POST", ns_path(name, "objects"), body)
            elif prefer_new:
                api.call("PUT", ns_path(name, "objects", o["name"]), body)
        have = {t["name"] for t in existing.get("tags", [])}
        for t in doc.get("tags", []):
            if t["name"] not in have:
                api.call("POST", ns_path(name, "tags", t["name"]))
    finally:
        # protected again as the file (--prefer-new) or the namespace had it
        if prefer_new and attributes(doc).get("protected"):
            api.call("PUT", ns_path(name), attributes(doc))
        elif protected and not prefer_new:
            api.call("PUT", ns_path(name), attributes_of(existing))


def attributes_of(ns):
    return {k: ns[k] for k in ("namespace", "display_name", "description", "visibility", "protected", "owner")
            if k in ns}


def load(api, path, merge_flag, prefer_new, overwrite):
    if (prefer_new or overwrite) and not merge_flag:
        raise SystemExit("--prefer-new and --overwrite need --merge")
    if prefer_new and overwrite:
        raise SystemExit("--prefer-new and --overwrite exclude each other")
    files = [path] if os.path.isfile(path) else sorted(
        os.path.join(path, f) for f in os.listdir(path) if f.endswith(".json"))
    loaded = skipped = 0
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError) as e:
            print("skipping %s: %s" % (f, e), file=sys.stderr)
            continue
        name = doc["namespace"]
        existing = api.call("GET", ns_path(name), missing_ok=True)
        if existing is None:
            create(api, doc)
        elif not merge_flag:
            print("Skipping namespace %s. It already exists." % name, file=sys.stderr)
            skipped += 1
            continue
        elif overwrite:
            if existing.get("protected"):
                api.call("PUT", ns_path(name), dict(attributes_of(existing), protected=False))
            api.call("DELETE", ns_path(name))
            create(api, doc)
        else:
            merge(api, doc, existing, prefer_new)
        loaded += 1
    print("%d namespace(s) loaded, %d skipped" % (loaded, skipped))


def export(api, folder):
    os.makedirs(folder, exist_ok=True)
    names = []
    path = "/v2/metadefs/namespaces?limit=1000&sort_key=namespace&sort_dir=asc"
    while path:
        page = api.call("GET", path)
        names += [n["namespace"] for n in page["namespaces"]]
        path = page.get("next")
    for name in names:
        ns = api.call("GET", ns_path(name))
        out = {
            "namespace": ns["namespace"],
            "display_name": ns.get("display_name"),
            "description": ns.get("description"),
            "visibility": ns.get("visibility"),
            "protected": ns.get("protected"),
            "resource_type_associations": [
                {"name": a["name"], "prefix": a.get("prefix"), "properties_target": a.get("properties_target")}
                for a in ns.get("resource_type_associations", [])],
            "properties": ns.get("properties", {}),
            "objects": [dict({"name": o["name"], "description": o.get("description"),
                              "properties": o.get("properties", {})},
                             **({"required": o["required"]} if o.get("required") else {}))
                        for o in ns.get("objects", [])],
            "tags": [{"name": t["name"]} for t in ns.get("tags", [])],
        }
        base = re.sub(r"[\W_]+", "", ns.get("display_name") or ns["namespace"]) or "namespace"
        with open(os.path.join(folder, base + ".json"), "w", encoding="utf-8") as fh:
            fh.write(json.dumps(out))
    print("%d namespace(s) exported to %s" % (len(names), folder))


def main():
    p = argparse.ArgumentParser(prog="xloud metadefs", description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=["load", "export"])
    p.add_argument("path")
    p.add_argument("--url", default="http://127.0.0.1:9292")
    p.add_argument("--port", type=int, help="shorthand for --url http://127.0.0.1:PORT")
    p.add_argument("--token", default=os.environ.get("OS_AUTH_TOKEN"))
    p.add_argument("--merge", action="store_true")
    p.add_argument("--prefer-new", action="store_true")
    p.add_argument("--overwrite", action="store_true")
    a = p.parse_args()
    api = Api("http://127.0.0.1:%d" % a.port if a.port else a.url, a.token)
    if a.command == "load":
        load(api, a.path, a.merge, a.prefer_new, a.overwrite)
    else:
        export(api, a.path)


if __name__ == "__main__":
    main()
