#!/usr/bin/env bash
# Registry rebuild on a large event store: IMAGES images (default 100,000), each created and then
# tagged (two events each), then POST /v2/x-admin/registry/rebuild while one client keeps listing
# and another keeps creating images. Reports how long the rebuild takes (per phase), how many
# reads were served meanwhile and with what errors, and the longest write during the rebuild (the
# swap holds writes back for a moment). Appends the result to bench/RESULTS.md.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
HOME_DIR="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/rebuild"
IMAGES="${IMAGES:-100000}"
. "$BENCH/lib.sh"

rm -rf "$OUT" && mkdir -p "$OUT"
cp -r "$HOME_DIR/distribution/etc" "$OUT/etc"
node_pid=""
trap '[ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true' EXIT
start_node file-node
echo "bench: node at $URL; creating and tagging $IMAGES images"

python3 - "$URL" "$IMAGES" "$OUT/result.json" <<'PY'
import json, sys, threading, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def call(method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    with urllib.request.urlopen(urllib.request.Request(url + path, data=data, method=method, headers=h),
                                timeout=120) as r:
        raw = r.read()
        return json.loads(raw) if raw else None

def create_and_tag(i):
    image = call("POST", "/v2/images", {"name": f"rebuild-{i:06d}", "disk_format": "raw",
                                         "container_format": "bare", "os_distro": "debian"})
    call("PUT", f"/v2/images/{image['id']}/tags/bench")

t = time.time()
with ThreadPoolExecutor(16) as pool:
    list(pool.map(create_and_tag, range(n)))
print(f"bench: {n} images created and tagged in {time.time() - t:.0f} s")

stop = threading.Event()
reads = {"ok": 0, "errors": 0, "max_ms": 0.0}
writes = {"ok": 0, "errors": 0, "max_ms": 0.0}
def reader():
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            call("GET", "/v2/images?limit=20")
            reads["ok"] += 1
        except Exception:
            reads["errors"] += 1
        reads["max_ms"] = max(reads["max_ms"], (time.perf_counter() - t0) * 1000)
def writer():
    i = 0
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            call("POST", "/v2/images", {"name": f"during-{i}"})
            writes["ok"] += 1
        except Exception:
            writes["errors"] += 1
        writes["max_ms"] = max(writes["max_ms"], (time.perf_counter() - t0) * 1000)
        i += 1
threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
for th in threads:
    th.start()
admin = {"X-Roles": "admin"}
status = call("POST", "/v2/x-admin/registry/rebuild", headers=admin)
while status["state"] == "running":
    time.sleep(0.5)
    status = call("GET", "/v2/x-admin/registry/rebuild", headers=admin)
stop.set()
for th in threads:
    th.join()
# the tables the writes went to after the swap are exact: a second rebuild repairs nothing
again = call("POST", "/v2/x-admin/registry/rebuild", headers=admin)
while again["state"] == "running":
    time.sleep(0.5)
    again = call("GET", "/v2/x-admin/registry/rebuild", headers=admin)
json.dump({"rebuild": status, "reads": reads, "writes": writes, "again": again}, open(out, "w"), indent=2)
print(json.dumps(status, indent=2))
PY

python3 - "$OUT/result.json" "$IMAGES" >> "$BENCH/RESULTS.md" <<'PY'
import json, sys, datetime
r = json.load(open(sys.argv[1]))
b, reads, writes, again = r["rebuild"], r["reads"], r["writes"], r["again"]
rate = b["events"] / b["seconds"] if b["seconds"] else 0
print(f"\n## Registry rebuild ({datetime.date.today()}, {int(sys.argv[2])} images, {b['events']} events)\n")
print("| measure | result |\n|---|---|")
print(f"| rebuild, start to swap | {b['seconds']} s ({rate:.0f} events/s), state {b['state']} |")
for phase, secs in b.get("phases", {}).items():
    print(f"| phase: {phase} | {secs} s |")
print(f"| tables | {', '.join(f'{t} {v}' for t, v in b.get('tables', {}).items())} |")
print(f"| `GET /v2/images?limit=20` during the rebuild (one client) | {reads['ok']} served, {reads['errors']} errors, slowest {reads['max_ms']:.0f} ms |")
print(f"| `POST /v2/images` during the rebuild (one client) | {writes['ok']} served, {writes['errors']} errors, slowest {writes['max_ms']:.0f} ms |")
print(f"| a second rebuild right after | {again['seconds']} s, unchanged: {again.get('unchanged')} |")
PY
tail -12 "$BENCH/RESULTS.md"
