#!/usr/bin/env python3
"""Hostile-input run against a running node (on demand, never in CI).

Creates a few fixture images, then sends N generated requests over raw sockets (so that malformed
HTTP can be sent too) to every route of the Image API: hostile text in every field, path segment,
query value and header, values at and one past the column sizes, wrong JSON, bodies cut short or
framed wrongly. Reports the answers by status and by route, and every 5xx with the exact request.
Exit code 1 when any 5xx other than 503 came back. 503s are listed apart: nothing is down during
the run, so they are defects too (a refusal where a 4xx belongs), but not crashes.
"""
import argparse, json, os, random, socket, sys, time, uuid
from collections import Counter, defaultdict
from urllib.parse import quote, urlsplit

TIMEOUT = 10.0          # per request: nothing back by then counts as "no answer"
READ_CAP = 256 * 1024   # plenty for any error body; downloads and /metrics are cut there
FX_PROJECT, FX_USER, FX_MEMBER = "hostile-fx-project", "hostile-fx-user", "hostile-fx-member"
OWNER = [("X-User-Id", FX_USER), ("X-Project-Id", FX_PROJECT), ("X-Roles", "admin,member")]
MEMBER = [("X-User-Id", "hostile-fx-member-user"), ("X-Project-Id", FX_MEMBER), ("X-Roles", "member,reader")]
# how hostile one request is: a little (writes and deep checks are reached, then read back) up to all of it
HEATS = [0.02, 0.1, 0.3, 0.6, 1.0]

# ---------------------------------------------------------------- hostile text

SQL = ["' OR '1'='1", "\"; DROP TABLE images; --", "%", "_", "%_%", "\\", "\\'", "' UNION SELECT 1 --", "*", "in:",
       "1; SELECT SLEEP(5)", "a' AND 1=(SELECT COUNT(*) FROM information_schema.tables) --", "in:a,b", 'in:"a,b",c']
TRAVERSAL = ["..", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2f", "....//", "/", ".",
             "a/../b", "file:///etc/passwd"]
# odd formats, resolutions, offsets and ranges for every time filter
TIMES = ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123456789Z", "2026-01-02T03:04:05.1234567891234Z", "2026-01-02",
         "2026-01-02T03:04Z", "2026-01-02 03:04:05", "2026-01-02T03:04:05+14:00", "2026-01-02T03:04:05-25:00",
         "2026-01-02T03:04:05+0530", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "0000-00-00T00:00:00Z",
         "2026-02-30T00:00:00Z", "2026-13-45T25:61:61Z", "2026-W01-1", "2026-002", "1767225600", "1767225600000",
         "-1", "now", "", "T", "2026-01-02T03:04:05ZZ", "9999-12-31T23:59:59.999999999Z", "2016-12-31T23:59:60Z"]
NUMBERS = ["0", "1", "25", "1000", "1001", "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
           "99999999999999999999999", "1.5", "1e3", "0x10", " 1", "", "+5", "NaN"]
# percent-escapes no decoder should accept: lone, non-hex, invalid and overlong UTF-8, surrogates
BAD_ESCAPES = [b"%", b"%4", b"%zz", b"%00", b"%FF%FE", b"%C0%AF", b"%E0%80%AF", b"%F0%80%80%AF", b"%ED%A0%80", b"%C3",
               b"%2e%2e", b"%2F", b"%252e%252e%252f", b"%u0041", b"a%00b", b"%C3%28"]
HOSTILE = [
    lambda r: "".join(chr(r.randint(0x80, 0xFF)) for _ in range(r.randint(1, 12))),    # Latin-1 block
    lambda r: r.choice(["\U0001F600", "\U0001D11E", "\U0010FFFF", "a\U0001F600b"]),    # astral
    lambda r: "e" + "\u0301\u0302\u0303\u0308" * r.randint(1, 40),                     # combining marks
    lambda r: r.choice(["\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u200fx"]),
    lambda r: r.choice(["\u200b", "a\u200c\u200db", "\ufeffbom", "\u2060", "\u00ad"]),  # zero-width
    lambda r: r.choice(["\x00", "a\x00b", "\x01\x02\x1f\x7f", "tab\there", "nl\nx", "\x85\u2028\u2029"]),
    lambda r: r.choice(["\ud800", "x\udfffx"]),                                        # lone surrogates
    lambda r: r.choice(SQL + TRAVERSAL + NUMBERS + ["", " ", "  x  ", "%", "%zz", "%C0%AF", "${jndi:ldap://x/a}",
                                                    "%s%n", "{0}", "<script>", "'\"`", "a,b", ";"]),
    lambda r: long_text(r, r.choice([36, 37, 255, 256, 255, 256, 4096, 70000])),
    lambda r: str(uuid.UUID(int=r.getrandbits(128))),
    lambda r: "ok-%d" % r.randrange(1000)]    # plain now and then, so that the deeper checks are reached

def utf8(s):
    return s.encode("utf-8", "surrogatepass")   # lone surrogates become CESU bytes: invalid UTF-8 on purpose

def long_text(r, n):
    """n code points of one alphabet: ASCII, Latin-1 or CJK (2 or 3 UTF-8 bytes), astral (4 bytes,
    2 UTF-16 units) or combining marks: a limit counted in bytes or UTF-16 units shows up."""
    unit = r.choice(["a", "\u00e9", "\u4e2d", "\U0001F600", "\u0301"])
    return (("x" if unit == "\u0301" else "") + unit * n)[:n]

def hostile(r):
    return r.choice(HOSTILE)(r)

def sized(r):
    """Text for a column: at its size or one past it (255/256), else hostile."""
    return long_text(r, r.choice([255, 256])) if r.random() < 0.35 else hostile(r)

def encoded(r, text=None):
    """A path segment or query value: percent-encoded UTF-8 (mostly, so that the server decodes it),
    the raw bytes in the request line, or a broken escape."""
    text, k = hostile(r) if text is None else text, r.random()
    if k < 0.75:
        return quote(utf8(text), safe="").encode()
    return utf8(text).replace(b"\r", b"%0D").replace(b"\n", b"%0A") if k < 0.88 else r.choice(BAD_ESCAPES)

def query(r, pairs):
    return b"?" + b"&".join(quote(utf8(k), safe="").encode() + b"=" + encoded(r, v) for k, v in pairs) if pairs else b""

def time_text(r):
    return r.choice(TIMES) if r.random() < 0.8 else hostile(r)

# ---------------------------------------------------------------- JSON

class Raw(bytes):
    """JSON text placed verbatim: what json.dumps cannot write (huge exponents, invalid UTF-8, depth)."""

def deep(r):
    n = r.choice([100, 1001, 5000, 50000])
    return Raw(b"[" * n + b"]" * n) if r.random() < 0.5 else Raw(b'{"a":' * n + b"1" + b"}" * n)

RAWS = [b"1e99999", b"-1e-99999", b"1" + b"0" * 400, b"NaN", b"-Infinity", b'"\xff\xfe"', b'"\xc0\xaf"',
        b'"\xed\xa0\x80"', b'"\\ud800"', b'"\\u0000"', b"01", b"tru", b'"a\\qb"']
WRONG = [-1, 0, 2 ** 31, 2 ** 63, 10 ** 40, -10 ** 40, 1.5, 1e308, -0.0, True, False, None, [], {}, ["x"], {"a": "b"}]

def wild(r, good=None, h=1.0):
    """A JSON value: the good one with probability 1-h, else hostile text, a wrong type or malformed JSON."""
    if good is not None and r.random() >= h:
        return good
    k = r.random()
    if k < 0.6:
        return sized(r) if r.random() < 0.4 else hostile(r)
    return r.choice(WRONG) if k < 0.85 else deep(r) if k < 0.88 else Raw(r.choice(RAWS))

def dump(r, o):
    if isinstance(o, Raw):
        return bytes(o)
    if isinstance(o, str):    # both escaped (\uXXXX) and raw UTF-8 forms
        return utf8(json.dumps(o, ensure_ascii=r.random() < 0.5))
    if isinstance(o, dict):
        return b"{" + b",".join(dump(r, str(k)) + b":" + dump(r, v) for k, v in o.items()) + b"}"
    if isinstance(o, list):
        return b"[" + b",".join(dump(r, v) for v in o) + b"]"
    return json.dumps(o).encode()

def body(r, o, h):
    """The JSON text of o, now and then broken as a whole: cut, prefixed, suffixed, replaced, 2 MiB."""
    b, k = dump(r, o), r.random() / h
    if k >= 0.35:
        return b
    broken = [b[:r.randrange(len(b) or 1)]] * 3 + [b"\xef\xbb\xbf" + b, b + b"}", b + b",", b + b"\x00", b"", b"null",
                                                   b"[]", b'"x"', b"1", b"\xff\xfe\x00", b"{'a': 1}", bytes(deep(r))]
    return r.choice(broken) if k < 0.349 else b'{"name": "' + b"a" * (2 << 20) + b'"}'

def prop_key(r):
    return r.choice([sized(r), hostile(r), "os_glance_x", "x_" + hostile(r), "status", "self", "location", "deleted",
                     "id", "owner", "os_hash_value", "direct_url", "stores", "", "fx_kind"])

def image_body(r, h):
    good = {"name": r.choice(["hx-%d" % r.randrange(10 ** 6), sized(r)]), "disk_format": "raw",
            "container_format": "bare", "visibility": r.choice(["private", "shared", "community", "public"]),
            "min_ram": 0, "min_disk": 0, "protected": False, "os_hidden": False, "tags": ["a"], "os_distro": "x"}
    b = {k: wild(r, v, h) for k, v in good.items() if r.random() < 0.9}
    for _ in range(r.choice([0, 0, 1, 3])):
        b[prop_key(r) if r.random() < h else "p%d" % r.randrange(9)] = wild(r, sized(r), h)
    if r.random() < h / 3:
        b["tags"] = [sized(r) for _ in range(r.choice([1, 5, 129]))]
    if r.random() < h / 4:
        b["id"] = wild(r, str(uuid.UUID(int=r.getrandbits(128))), h)
    return b

PATCH_GOOD = {"name": "", "tags": "", "p1": "", "p2": "", "min_ram": 512, "min_disk": 1, "protected": False,
              "os_hidden": True, "visibility": "shared", "container_format": "ovf", "disk_format": "qcow2",
              "owner": "", "locations/-": "", "locations/0": "", "a~0b~1c": "", "a~2": "", "a/b": ""}

def patch_body(r, h):
    ops = []
    for _ in range(r.randint(1, 4)):
        key = r.choice(list(PATCH_GOOD)[:None if r.random() < h / 2 else -6])   # the last six only when hot
        good = [sized(r)] if key == "tags" else sized(r) if PATCH_GOOD[key] == "" else PATCH_GOOD[key]
        op = r.choice(["add", "replace", "remove", "move", "test"] if r.random() < h / 5 else ["add", "replace"])
        ops.append({"op": wild(r, op, h / 2), "path": wild(r, "/" + key, h / 2), "value": wild(r, good, h)})
    return ops if r.random() >= h / 20 else wild(r)

# ---------------------------------------------------------------- routes

# every route of the API with its share of the requests; the {placeholders} are filled per request.
# Never POST /v2/x-admin/registry/rebuild: it replays the whole event store.
ROUTES = [
    (5, "GET /v2/images"), (6, "POST /v2/images"), (3, "GET /v2/images/{id}"), (1.5, "GET /v2/images/{id}?as_of"),
    (6, "PATCH /v2/images/{id}"), (1.5, "DELETE /v2/images/{id}"), (3, "PUT /v2/images/{id}/tags/{tag}"),
    (2, "DELETE /v2/images/{id}/tags/{tag}"), (1, "GET /v2/images/{id}/members"), (2.5, "POST /v2/images/{id}/members"),
    (1.5, "GET /v2/images/{id}/members/{member}"), (2.5, "PUT /v2/images/{id}/members/{member}"),
    (1.5, "DELETE /v2/images/{id}/members/{member}"), (2.5, "GET /v2/images/{id}/file"),
    (3, "PUT /v2/images/{id}/file"), (2, "PUT /v2/images/{id}/stage"), (3, "POST /v2/images/{id}/import"),
    (1, "GET /v2/images/{id}/tasks"), (1, "POST /v2/images/{id}/actions/deactivate"),
    (1, "POST /v2/images/{id}/actions/reactivate"), (1, "GET /v2/images/{id}/locations"),
    (2, "POST /v2/images/{id}/locations"), (1, "GET /v2/images/{id}/history"),
    (4, "GET /v2/audit"), (1, "GET /v2/tasks"), (1.5, "POST /v2/tasks"), (0.7, "GET /v2/tasks/{task}"),
    (1, "DELETE /v2/stores/{store}/{id}"), (0.5, "GET /v2/info/import"), (0.5, "GET /v2/info/stores"),
    (0.5, "GET /v2/info/stores/detail"), (0.5, "GET /v2/info/usage"), (1.5, "GET /v2/schemas/{schema}"),
    (0.4, "GET /v2/cache"), (0.4, "DELETE /v2/cache"), (0.4, "PUT /v2/cache/{id}"), (0.4, "DELETE /v2/cache/{id}"),
    (0.4, "GET /v2/cache/nodes/{id}"), (0.4, "POST /v2/cache/clean"), (0.4, "POST /v2/cache/prune"),
    (0.6, "GET /v2/x-admin/health"), (0.5, "GET /v2/x-admin/bundles"), (0.4, "GET /v2/x-admin/registry/rebuild"),
    (0.5, "GET /"), (0.5, "GET /versions"), (0.5, "GET /healthcheck"), (0.5, "GET /metrics"),
    (3, "other verbs"), (4, "malformed HTTP")]
FILLS = {
    b"{id}": lambda r, fx, route: image_id(r, fx, route.startswith(("DELETE /v2/images/{id}", "DELETE /v2/stores"))),
    b"{tag}": lambda r, fx, route: encoded(r, sized(r)),
    b"{member}": lambda r, fx, route: encoded(r, r.choice([FX_MEMBER, FX_PROJECT, sized(r)])),
    b"{task}": lambda r, fx, route: encoded(r, r.choice(fx.tasks + [sized(r)])),
    b"{store}": lambda r, fx, route: encoded(r, r.choice(["file", "file", "rbd", sized(r)])),
    b"{schema}": lambda r, fx, route: r.choice([b"image", b"images", b"member", b"members", b"task", b"tasks",
                                                b"metadefs/namespace"])}
LIST_KEYS = ["limit", "marker", "sort_key", "sort_dir", "sort", "name", "status", "visibility", "owner", "protected",
             "container_format", "disk_format", "id", "tag", "member_status", "size_min", "size_max", "os_hidden",
             "created_at", "updated_at", "os_distro", "changes-since", None]
LIST_ENUMS = {"sort_key": ["name", "status", "created_at", "size", "id", "bogus"], "sort_dir": ["asc", "desc", "up"],
              "sort": ["name:asc,size:desc", "created_at", "name:sideways", ":asc", "name:asc,name"],
              "visibility": ["public", "private", "shared", "community", "all"], "protected": ["true", "false", "1"],
              "member_status": ["accepted", "pending", "rejected", "all"], "os_hidden": ["true", "false", "yes"]}

def image_id(r, fx, delete=False):
    """A fixture mostly (so that routes on existing ids run), else a scratch image or a hostile id;
    fixtures are rarely deleted, or nothing but 404s would be left between two refreshes."""
    if r.random() >= fx.heat / 2:
        if fx.images and r.random() < (0.03 if delete else 0.75):
            return r.choice(list(fx.images.values())).encode()
        if fx.scratch:
            return r.choice(fx.scratch).encode()
    u = str(uuid.UUID(int=r.getrandbits(128)))
    return encoded(r, r.choice([u, u.upper(), u + "0", u[:35], u.replace("-", ""), hostile(r)]))

def list_value(r, fx, key):
    if key in ("created_at", "updated_at"):
        return r.choice(["gt:", "gte:", "eq:", "neq:", "lt:", "lte:", "", "xx:", "gt:gt:", "in:"]) + time_text(r)
    if key in ("limit", "size_min", "size_max", "marker"):
        return image_id(r, fx).decode("latin-1") if key == "marker" else r.choice(NUMBERS + [hostile(r)])
    if key in LIST_ENUMS and r.random() < 0.7:
        return r.choice(LIST_ENUMS[key])
    if key in ("id", "name", "status", "disk_format") and r.random() < 0.3:
        return "in:" + ",".join(sized(r) for _ in range(r.randint(1, 3)))
    return r.choice([sized(r), r.choice(SQL)])

def query_of(r, fx, route):
    if route == "GET /v2/images":     # None: an unknown or hostile property name
        return [(k, list_value(r, fx, k)) for k in (r.choice(LIST_KEYS) or sized(r) for _ in range(r.randint(0, 4)))]
    if route == "GET /v2/audit":
        vals = {"since": lambda: time_text(r), "until": lambda: time_text(r), "limit": lambda: r.choice(NUMBERS),
                "marker": lambda: r.choice(NUMBERS), "order": lambda: r.choice(["asc", "desc", "ASC", hostile(r)]),
                "format": lambda: r.choice(["jsonl", "json", sized(r)]), "user": lambda: r.choice([FX_USER, sized(r)]),
                "project": lambda: r.choice([FX_PROJECT, sized(r)]), "image": lambda: image_id(r, fx).decode("latin-1"),
                "type": lambda: r.choice(["ImageCreated", "created", r.choice(SQL), sized(r)])}
        return [(k, vals[k]()) for k in r.sample(sorted(vals), r.randint(0, 4))]
    if route == "GET /v2/tasks":
        return [(k, r.choice(NUMBERS + [hostile(r)])) for k in r.sample(["limit", "marker"], r.randint(0, 2))]
    if route.endswith("?as_of"):
        return [("as_of", time_text(r))]
    return [(hostile(r), hostile(r))] if r.random() < fx.heat / 5 else []

def body_of(r, fx, route):
    """(kind, body, extra headers) of a route."""
    h, url = fx.heat, r.choice(["http://127.0.0.1:1/x.img", "file:///etc/passwd", "ftp://x/", "http://[::1"])
    if route == "POST /v2/images":
        return "json", body(r, image_body(r, h), h), []
    if route == "PATCH /v2/images/{id}":
        return "patch", body(r, patch_body(r, h), h), []
    if route == "POST /v2/images/{id}/members":
        return "json", body(r, {"member": wild(r, r.choice([FX_MEMBER, FX_PROJECT, sized(r)]), h)}, h), []
    if route == "PUT /v2/images/{id}/members/{member}":
        return "json", body(r, {"status": wild(r, r.choice(["accepted", "rejected", "pending"]), h)}, h), []
    if route == "POST /v2/images/{id}/import":    # port 1 refuses at once: nothing is fetched from anywhere
        name = r.choice(["glance-direct", "web-download", "copy-image", "glance-download"])
        method = {"name": wild(r, name, h), "uri": wild(r, url, h),
                  "glance_image_id": wild(r, image_id(r, fx).decode("latin-1"), h)}
        b = {"method": wild(r, {k: v for k, v in method.items() if k == "name" or r.random() < 0.3}, h / 3),
             "stores": wild(r, ["file"], h), "all_stores": wild(r, False, h),
             "all_stores_must_succeed": wild(r, True, h)}
        return "json", body(r, {k: v for k, v in b.items() if k == "method" or r.random() < 0.3}, h), []
    if route == "POST /v2/images/{id}/locations":
        b = {"url": wild(r, url, h), "validation_data": wild(r, {"os_hash_algo": wild(r, "sha512", h),
                                                                  "os_hash_value": wild(r, "0" * 128, h)}, h)}
        b.update({prop_key(r): "x"} if r.random() < h / 4 else {})    # a member the schema does not allow
        return "json", body(r, b, h), []
    if route == "POST /v2/tasks":
        b = {"type": wild(r, r.choice(["import", "api_image_import"]), h), "input": wild(r, {
            "import_from": wild(r, url, h), "import_from_format": wild(r, "raw", h), "image_properties": wild(r, {
                "name": wild(r, "t", h), "disk_format": "raw", "container_format": "bare"}, h)}, h)}
        return "json", body(r, b, h), []
    if route in ("PUT /v2/images/{id}/file", "PUT /v2/images/{id}/stage"):   # raw data, or truncated qcow2 headers
        data = r.choice([b"", b"\0" * 512, bytes(r.getrandbits(8) for _ in range(r.randint(1, 4096))),
                         b"QFI\xfb" + b"\0" * 200, b"QFI\xfb\0\0\0\3" + b"\xff" * 64])
        size = r.choice([str(len(data)), str(len(data) + 1)] + NUMBERS)
        hs = [("x-openstack-image-size", size), ("X-Image-Meta-Store", r.choice(["file", "rbd", sized(r)]))]
        return "octet", data, [hd for hd in hs if r.random() < 0.25]
    if route == "GET /v2/images/{id}/file" and r.random() < 0.4:
        return None, None, [("Range", r.choice(["bytes=0-10", "bytes=-5", "bytes=10-5", "bytes=0-99999999999999999999",
                                                "bytes=a-b", "bytes=0-1,2-3", "items=0-1", "bytes=-0", hostile(r)]))]
    if route == "DELETE /v2/cache":
        return None, None, [("x-image-cache-clear-target", r.choice(["cache", "queue", "", hostile(r)]))]
    return None, None, []

def g_route(r, fx, route):
    method, template = route.split(" ", 1)
    path = template.split("?")[0].encode()
    for key, fill in FILLS.items():
        path = path.replace(key, fill(r, fx, route)) if key in path else path
    head, _, last = path.rpartition(b"/")
    if last.isalpha() and r.random() < fx.heat / 8:     # a hostile name where the route has a word
        path = head + b"/" + encoded(r)
    kind, b, headers = body_of(r, fx, route)
    return {"family": route, "method": method, "path": path + query(r, query_of(r, fx, route)), "body": b,
            "kind": kind, "headers": headers}

def g_verbs(r, fx, route):
    """Other verbs on the routes (405 + Allow expected), on a random id: DELETE must not hit a fixture."""
    path = r.choice([t.split(" ", 1)[1].split("?")[0] for _, t in ROUTES[:-2] if "rebuild" not in t])
    path = path.replace("{id}", str(uuid.UUID(int=r.getrandbits(128)))).replace("{", "").replace("}", "").encode()
    m = r.choice(["PATCH", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "TRACE", "FOO", "get"])
    return {"family": route, "method": m, "path": path, "body": b"{}" if m in ("PUT", "POST", "PATCH") else None,
            "kind": "json", "headers": []}

def g_malformed(r, fx, route):
    """Broken HTTP itself. 501 (unknown transfer coding) and 505 (HTTP version) are right answers here."""
    host, target = fx.host.encode(), r.choice([b"/v2/images", b"/v2/images/" + image_id(r, fx), b"/versions"])
    line, head = b"GET " + target + b" HTTP/1.1\r\n", b"Host: " + host + b"\r\nConnection: close\r\n"
    post = b"POST /v2/images HTTP/1.1\r\n" + head + b"Content-Type: application/json\r\n"
    raw = r.choice([
        line.replace(b"1.1", b"9.9") + head, line.replace(b" HTTP/1.1", b""), line.replace(b" ", b"  "),
        line.replace(b"GET", b"G\x00ET") + head, line.replace(b"GET ", b"GET http://" + host) + head,
        line + head + b"X-Roles\r\n", line + head + b"X Roles: admin\r\n",
        line + head + b"X-Roles: admin\r\n member\r\n",
        (line + head).replace(b"\r\n", b"\n"), line + head + b"X-Project-Id: " + b"p" * 100000 + b"\r\n",
        line + head + b"".join(b"X-H%d: v\r\n" % i for i in range(300)), line + b"Connection: close\r\n",
        line + head + b"Host: other\r\n", line + head + b"X-Roles: ad\x00min\x7f\r\n", b"OPTIONS * HTTP/1.1\r\n" + head,
        line.replace(target, b"/" + b"a" * 100000) + head, line.replace(b"GET", b"X" * 10000) + head,
        post + b"Content-Length: -1\r\n", post + b"Content-Length: abc\r\n",
        post + b"Content-Length: 2\r\nContent-Length: 3\r\n",
        post + b"Content-Length: 1" + b"0" * 25 + b"\r\n", post + b"Transfer-Encoding: gzip\r\n",
        post + b"Transfer-Encoding: chunked, chunked\r\n", post + b"Expect: 100-continue\r\nContent-Length: 2\r\n"])
    raw += b"\r\n" + (b"{} " if raw.startswith(b"POST") else b"")
    return {"family": route, "method": raw.split(b" ")[0][:40].decode("latin-1"), "path": raw, "raw": raw,
            "expect": {501, 505}}

# ---------------------------------------------------------------- the wire

CTYPES = {"json": "application/json", "patch": "application/openstack-images-v2.1-json-patch",
          "octet": "application/octet-stream"}
WRONG_CTYPES = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "*/*", "", "application/",
                ";;;", "application/openstack-images-v2.0-json-patch", "application/json\x00"]
EXTRA_HEADERS = ["X-Image-Meta-Store", "x-openstack-image-size", "X-Openstack-Request-Id", "Accept", "Accept-Encoding",
                 "Accept-Language", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "Range",
                 "If-None-Match", "X-Auth-Token", "X-Service-Token", "X-Tenant-Id", "X-Xloud-Forwarded-By", "Cookie",
                 "Origin", "User-Agent", "x-image-cache-clear-target", "X-Roles"]
FRAMINGS = [("plain", 75), ("short", 8), ("long", 5), ("chunked", 5), ("chunked-bad-size", 4), ("chunked-no-last", 4),
            ("cl-and-te", 2), ("no-length", 2)]

def identity(r):
    """The caller (no-auth mode), hostile at times whatever the heat: a long project id matters most on a write."""
    if r.random() < 0.85:   # the anonymous admin, the member, a stranger, the owner
        owner = OWNER[:2] + [("X-Roles", r.choice(["admin", "member,reader", "member"]))]
        return r.choices([[], MEMBER, [("X-User-Id", "stranger"), ("X-Project-Id", "p2")], owner], [25, 15, 5, 40])[0]
    roles = r.choice(["admin", "member", "admin,admin,,", " ADMIN ", "reader", "admin" * 60, sized(r), hostile(r)])
    ids = [(n, r.choice([long_text(r, 255), long_text(r, 256), hostile(r)])) for n in ("X-User-Id", "X-Project-Id")]
    return [h for h in ids + [("X-Roles", roles)] if r.random() < 0.85]    # now and then one is missing

def frame(r, b):
    """(framing headers, bytes after the head, shut the write side?, name): how the body goes on the wire."""
    name, n = r.choices([f for f, _ in FRAMINGS], [w for _, w in FRAMINGS])[0], len(b)
    te = [(b"Transfer-Encoding", b"chunked")]
    if name in ("plain", "long"):   # long: announces less than it sends, the rest is not this request
        return [(b"Content-Length", b"%d" % (n if name == "plain" else r.randint(0, max(0, n - 1))))], b, False, name
    if name == "short":     # announces more than it sends, then ends the stream: 400 or a close is right
        sent = b if r.random() < 0.5 else b[:r.randint(0, n)]
        return [(b"Content-Length", b"%d" % (n + r.choice([1, 1000, 10 ** 9])))], sent, True, name
    if name == "no-length":
        return [], b, True, name
    if name == "chunked-bad-size":
        bad = r.choice([b"zz", b"-1", b"f" * 20, b"1;" + b"x" * 10000, b"", b"0x10", b" 5"])
        return te, bad + b"\r\n" + b + b"\r\n0\r\n\r\n", True, name
    cuts = sorted({0, n} | {r.randint(0, n) for _ in range(n // 1000)})
    chunks = b"".join(b"%x\r\n%s\r\n" % (j - i, b[i:j]) for i, j in zip(cuts, cuts[1:]))
    if name == "chunked-no-last":
        return te, chunks, True, name
    if name == "cl-and-te":     # both: the shape of request smuggling, never both honoured
        te.append((b"Content-Length", b"%d" % n))
    return te, chunks + b"0\r\n\r\n", False, name

def wire(r, q, host, h):
    """The request's bytes and whether to end the stream after them; what was sent is kept on q."""
    if "raw" in q:
        q["framing"], q["sent_headers"], q["target"] = "raw", [], q["path"]
        return q["raw"], False
    headers = [("Host", host)] + identity(r) + q["headers"]
    if r.random() < 0.2 * h:
        headers.append((r.choice(EXTRA_HEADERS), r.choice([sized(r), hostile(r)])))
    c = r.random() / h
    if q["kind"] and q["body"] is not None and c >= 0.05:
        headers.append(("Content-Type", CTYPES[q["kind"]] if c >= 0.3 else r.choice(WRONG_CTYPES + [hostile(r)])))
    path = q["path"]
    if r.random() < 0.03:   # version prefixes and odd slashes before the route
        path = path.replace(b"/v2/", r.choice([b"/v2.9/", b"/v2.1/", b"/v2.99/", b"//v2//", b"/v2/./", b"/V2/"]), 1)
    # header values as Latin-1 or UTF-8 bytes; never CR or LF (the framing must stay known)
    hb = [(n.encode(), (v.encode("latin-1") if max(v, default="a") < "\u0100" and r.random() < 0.5 else utf8(v))
           .replace(b"\r", b"").replace(b"\n", b"")) for n, v in headers]
    sent, shut, q["framing"] = b"", False, "none"
    if q["body"] is not None:
        fh, sent, shut, q["framing"] = frame(r, q["body"])
        hb += fh
    q["sent_headers"], q["target"] = hb + [(b"Connection", b"close")], path
    head = q["method"].encode() + b" " + path + b" HTTP/1.1\r\n"
    return head + b"".join(n + b": " + v + b"\r\n" for n, v in q["sent_headers"]) + b"\r\n" + sent, shut

def parse(buf):
    """(status, headers, body) of the first final answer in buf (1xx skipped), or None."""
    while buf.startswith(b"HTTP/1.") and b"\r\n\r\n" in buf:
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = (lines[0].split(b" ") + [b""])[1]
        if not status.isdigit():
            return None
        if int(status) >= 200:
            pairs = (line.decode("latin-1").partition(":") for line in lines[1:])
            return int(status), {k.strip().lower(): v.strip() for k, _, v in pairs}, buf
    return None

def exchange(addr, data, shut):
    """One request on a fresh connection, read until the server closes (every request says Connection:
    close): (outcome, status, headers, body); outcome is "answer", "no answer" (nothing within TIMEOUT),
    "closed" (closed without a byte), "garbled" or "refused"."""
    buf, timed_out = b"", False
    try:
        with socket.create_connection(addr, timeout=TIMEOUT) as s:
            try:
                s.sendall(data)
                if shut:
                    s.shutdown(socket.SHUT_WR)
            except OSError:
                pass    # the server may answer and close before reading it all: its answer is still readable
            while len(buf) < READ_CAP:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
    except socket.timeout:
        timed_out = True
    except OSError as e:    # refused, or reset: keep what came before it
        if not buf and isinstance(e, ConnectionRefusedError):
            return "refused", None, {}, repr(e).encode()
    got = parse(buf)
    if got is None:
        return ("garbled" if buf else "no answer" if timed_out else "closed"), None, {}, buf
    return ("answer",) + got

# ---------------------------------------------------------------- fixtures

# what each fixture goes through after its creation: the member (not the owner) accepts the share,
# and the import (glance-direct) leaves a task to read back
FX_STEPS = {"queued": [], "active": ["PUT /file"], "deactivated": ["PUT /file", "POST /actions/deactivate"],
            "shared": ["PUT /file", "POST /members", "PUT /members/" + FX_MEMBER],
            "imported": ["PUT /stage", "POST /import"]}
FX_BODIES = {"/file": bytes(range(256)) * 4, "/stage": bytes(range(256)) * 4, "/members": {"member": FX_MEMBER},
             "/members/" + FX_MEMBER: {"status": "accepted"}, "/import": {"method": {"name": "glance-direct"}}}

class Fixtures:
    """The images the generated requests aim at, one per status worth having; recreated when gone."""
    def __init__(self, addr, host):
        self.addr, self.host, self.images, self.scratch, self.tasks, self.heat = addr, host, {}, [], [], 1.0

    def call(self, method, path, obj=None, headers=OWNER):
        """A well-formed request (obj: JSON, or bytes as octet-stream): (status, parsed JSON answer or None)."""
        b = obj if isinstance(obj, bytes) else b"" if obj is None else json.dumps(obj).encode()
        hs = [("Host", self.host), ("Connection", "close"), ("Content-Length", str(len(b)))] + headers
        hs += [("Content-Type", CTYPES["octet" if isinstance(obj, bytes) else "json"])] if b else []
        head = "%s %s HTTP/1.1\r\n%s\r\n" % (method, path, "".join("%s: %s\r\n" % h for h in hs))
        _, status, _, answer = exchange(self.addr, head.encode() + b, False)
        try:
            return status, json.loads(answer)
        except ValueError:
            return status, None

    def ensure(self):
        for kind, steps in FX_STEPS.items():
            status, img = self.call("GET", "/v2/images/" + self.images[kind]) if self.images.get(kind) else (0, None)
            if status == 200 and isinstance(img, dict) and img.get("status") not in ("deleted", "killed"):
                continue
            status, img = self.call("POST", "/v2/images", {"name": "fx-" + kind, "disk_format": "raw", "tags": ["fx"],
                                                          "container_format": "bare", "fx_kind": kind,
                                                          "visibility": "shared" if kind == "shared" else "private"})
            self.images[kind] = img["id"] if status == 201 and isinstance(img, dict) else None
            for step in steps if self.images[kind] else []:
                method, sub = step.split(" ")
                self.call(method, "/v2/images/%s%s" % (img["id"], sub), FX_BODIES.get(sub),
                          MEMBER if sub.startswith("/members/") else OWNER)
        self.images = {k: v for k, v in self.images.items() if v}
        status, tasks = self.call("GET", "/v2/tasks?limit=5")
        self.tasks = [t["id"] for t in tasks.get("tasks", [])] if status == 200 and isinstance(tasks, dict) else []

# ---------------------------------------------------------------- run and report

def short(b, n=500):
    return repr(b[:n]) + ("... (%d bytes)" % len(b) if len(b) > n else "")

def record(i, q, outcome, status, answer):
    return {"n": i, "status": status if outcome == "answer" else outcome, "family": q["family"], "method": q["method"],
            "path": short(q["target"]), "framing": q["framing"], "body": short(q.get("raw") or q["body"] or b""),
            "headers": [[n.decode("latin-1"), short(v, 200)] for n, v in q["sent_headers"]], "answer": short(answer)}

def run(args):
    u = urlsplit(args.url)
    addr, host, r = (u.hostname or "127.0.0.1", u.port or 80), u.netloc, random.Random(args.seed)
    fx, started = Fixtures(addr, host), time.monotonic()
    print("hostile: %d requests against %s, seed %d" % (args.requests, args.url, args.seed))
    statuses, families, crashes, refusals, silent, refused = Counter(), defaultdict(Counter), [], [], [], 0
    for i in range(args.requests):
        if i % 250 == 0:
            fx.ensure()
            print("hostile: %d sent, %d 5xx, fixtures %s" % (i, len(crashes + refusals), fx.images), file=sys.stderr)
        fx.heat, route = r.choice(HEATS), r.choices([n for _, n in ROUTES], [w for w, _ in ROUTES])[0]
        q = {"other verbs": g_verbs, "malformed HTTP": g_malformed}.get(route, g_route)(r, fx, route)
        outcome, status, headers, answer = exchange(addr, *wire(r, q, host, fx.heat))
        key = str(status) if outcome == "answer" else outcome
        statuses[key] += 1
        families[q["family"]][key] += 1
        if q["family"] == "POST /v2/images" and status == 201:   # later requests aim at these too
            fx.scratch = (fx.scratch + [headers.get("location", "").rstrip("/").rsplit("/", 1)[-1]])[-300:]
        if outcome == "answer" and status >= 500 and status not in q.get("expect", ()):
            (refusals if status == 503 else crashes).append(record(i, q, outcome, status, answer))
        elif outcome != "answer" and (outcome != "closed" or q["framing"] in ("none", "plain", "long", "chunked")):
            # closing without a word is fine only after a body cut short or broken HTTP
            silent.append(record(i, q, outcome, status, answer))
        refused = refused + 1 if outcome == "refused" else 0
        if refused >= 20:   # the node is gone: no point in 30,000 more refusals
            break
    report = {"url": args.url, "seed": args.seed, "requests": sum(statuses.values()),
              "seconds": round(time.monotonic() - started, 1), "statuses": dict(sorted(statuses.items())),
              "families": {f: dict(sorted(c.items())) for f, c in sorted(families.items())},
              "errors_5xx": crashes, "errors_503": refusals, "no_answer": silent}
    print_report(report)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
    return 1 if crashes or refused >= 20 else 0

def print_report(rep):
    print("\n%d requests in %.1f s (seed %d)" % (rep["requests"], rep["seconds"], rep["seed"]))
    print("answers: " + ", ".join("%s: %d" % kv for kv in rep["statuses"].items()) + "\n\nper route:")
    bad = Counter(e["family"] for e in rep["errors_5xx"] + rep["errors_503"])     # the expected 501/505 left out
    for fam, c in rep["families"].items():
        print("  %-42s %6d%s" % (fam, sum(c.values()), "   5xx: %d" % bad[fam] if bad[fam] else ""))
    for title, items in (("5xx other than 503", rep["errors_5xx"]), ("503", rep["errors_503"]),
                         ("no answer, closed, garbled or refused", rep["no_answer"])):
        print("\n%s: %d" % (title, len(items)))
        # grouped by route, framing and the start of the answer: one line per cause, roughly
        for k, n in Counter((e["status"], e["family"], e["framing"], e["answer"][:90]) for e in items).most_common():
            print("  %5d x %s %s [%s] %s" % ((n,) + k))
        for e in items:
            print("  #%d %s %s %s [%s]\n     headers %s\n     body    %s\n     answer  %s" % (
                e["n"], e["status"], e["method"], e["path"], e["framing"],
                ", ".join("%s: %s" % tuple(h) for h in e["headers"]), e["body"], e["answer"]))

def main():
    ap = argparse.ArgumentParser(description="Hostile-input run against a running node (no-auth mode).")
    ap.add_argument("--url", default=os.environ.get("XLOUD_URL", "http://127.0.0.1:9292"))
    ap.add_argument("--requests", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=20261203, help="fixed by default: same code, same requests")
    ap.add_argument("--out", help="also write the report as JSON to this file")
    sys.exit(run(ap.parse_args()))

if __name__ == "__main__":
    main()
