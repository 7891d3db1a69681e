#!/usr/bin/env bash
# Keyset pagination: listing page 50 must cost what page 1 costs, with 100,000 images.
# Starts its own node (data under bench/out/pagination) unless XLOUD_URL names one; creates
# IMAGES images through the API (16 at a time), walks 49 pages of LIMIT to find page 50's marker,
# then measures page 1 and page 50 with wrk. Appends the result to bench/RESULTS.md.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
HOME_DIR="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/pagination"
IMAGES="${IMAGES:-100000}"
LIMIT="${LIMIT:-20}"
DURATION="${DURATION:-15s}"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }

started_pid=""
trap '[ -n "$started_pid" ] && kill -TERM "$started_pid" 2>/dev/null && wait "$started_pid" 2>/dev/null || true' EXIT
if [ -z "${XLOUD_URL:-}" ]; then
  PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  rm -rf "$OUT/data"
  "$HOME_DIR/xloud" run --port "$PORT" --data-dir "$OUT/data" > "$OUT/node.log" 2>&1 &
  started_pid=$!
  XLOUD_URL="http://127.0.0.1:$PORT"
  for _ in $(seq 1 600); do
    grep -q "ready on http:" "$OUT/node.log" 2>/dev/null && break
    sleep 0.2
  done
fi
URL="$XLOUD_URL"

echo "bench: creating $IMAGES images at $URL"
python3 - "$URL" "$IMAGES" <<'PY'
import sys, json, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, n = sys.argv[1], int(sys.argv[2])
def create(i):
    body = json.dumps({"name": f"page-{i:06d}", "disk_format": "raw", "container_format": "bare",
                       "tags": ["bench"]}).encode()
    req = urllib.request.Request(url + "/v2/images", data=body, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
t = time.time()
with ThreadPoolExecutor(16) as pool:
    list(pool.map(create, range(n)))
print(f"bench: created {n} images in {time.time() - t:.0f} s")
PY

MARKER=$(python3 - "$URL" "$LIMIT" <<'PY'
import sys, json, urllib.request
url, limit = sys.argv[1], int(sys.argv[2])
path = f"/v2/images?limit={limit}"
for _ in range(49):
    page = json.load(urllib.request.urlopen(url + path))
    path = page["next"]
print(path.split("marker=")[1])
PY
)
rps() { wrk -t2 -c16 -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'; }
latency() { wrk -t2 -c16 -d"$DURATION" --latency "$1" | awk '/ 50%/ {print $2}'; }
wrk -t2 -c16 -d10s "$URL/v2/images?limit=$LIMIT" > /dev/null   # warm-up
P1=$(rps "$URL/v2/images?limit=$LIMIT")
P50=$(rps "$URL/v2/images?limit=$LIMIT&marker=$MARKER")
N1=$(rps "$URL/v2/images?limit=$LIMIT&sort=name:asc")
echo "bench: page 1 ${P1} req/s, page 50 ${P50} req/s, page 1 by name ${N1} req/s"
RATIO=$(python3 -c "print(f'{100*$P50/$P1:.0f}')")
cat >> "$BENCH/RESULTS.md" <<MD

## Keyset pagination ($(date -u +%Y-%m-%d), ${IMAGES} images, limit ${LIMIT}, 16 connections)

| page | result |
|---|---|
| page 1 (created_at desc) | ${P1} req/s |
| page 50 (marker after 49 pages) | ${P50} req/s (${RATIO}% of page 1) |
| page 1 sorted by name | ${N1} req/s |
MD
echo "bench: appended to $BENCH/RESULTS.md"
