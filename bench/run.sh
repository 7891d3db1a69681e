#!/usr/bin/env bash
# Benchmarks of one node, in one run (see README.md here). Starts its own node on a free port with
# its data under bench/out/, unless XLOUD_URL (and XLOUD_PID, for the memory figure) name one.
# Needs: wrk, curl, python3. Writes bench/RESULTS.md.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
HOME_DIR="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }

UPLOAD_MIB="${UPLOAD_MIB:-1024}"     # the upload/download file
RSS_MIB="${RSS_MIB:-4096}"           # the upload whose memory is watched
CREATES="${CREATES:-200}"
DURATION="${DURATION:-15s}"

started_pid=""
cleanup() {
  [ -n "$started_pid" ] && kill -TERM "$started_pid" 2>/dev/null && wait "$started_pid" 2>/dev/null || true
  rm -f "$OUT/upload.bin" "$OUT/download.bin" "$OUT/cp.bin"
}
trap cleanup EXIT

if [ -z "${XLOUD_URL:-}" ]; then
  PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  rm -rf "$OUT/data"
  "$HOME_DIR/xloud" run --port "$PORT" --data-dir "$OUT/data" > "$OUT/node.log" 2>&1 &
  started_pid=$!
  XLOUD_URL="http://127.0.0.1:$PORT"
  for _ in $(seq 1 600); do
    grep -q "ready on http:" "$OUT/node.log" 2>/dev/null && break
    kill -0 "$started_pid" 2>/dev/null || { cat "$OUT/node.log"; exit 1; }
    sleep 0.2
  done
  XLOUD_PID=$(pgrep -f "launcher.Main.*--port $PORT" | head -1)
fi
URL="$XLOUD_URL"
echo "bench: node at $URL (pid ${XLOUD_PID:-unknown})"

create() {
  curl -sf -X POST "$URL/v2/images" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])'
}

# 1. sequential create latency
python3 - "$URL" "$CREATES" > "$OUT/create.txt" <<'PY'
import sys, time, json, urllib.request, statistics
url, n = sys.argv[1], int(sys.argv[2])
lat = []
for i in range(n):
    body = json.dumps({"name": f"bench-{i}", "disk_format": "raw", "container_format": "bare"}).encode()
    req = urllib.request.Request(url + "/v2/images", data=body, headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    urllib.request.urlopen(req).read()
    lat.append((time.perf_counter() - t) * 1000)
lat.sort()
print(f"{statistics.mean(lat):.2f} {lat[len(lat)//2]:.2f} {lat[int(len(lat)*0.99)-1]:.2f}")
PY
read -r CREATE_MEAN CREATE_P50 CREATE_P99 < "$OUT/create.txt"
echo "bench: create mean ${CREATE_MEAN} ms p50 ${CREATE_P50} ms p99 ${CREATE_P99} ms"

# 2. read throughput, 16 connections, after a warm-up run (the JIT compiles the hot paths first;
#    a node that has served for a minute is the node that matters)
ID=$(create wrk-target)
wrk -t2 -c16 -d"${WARMUP:-20s}" "$URL/v2/images/$ID" > /dev/null
wrk -t2 -c16 -d"${WARMUP:-20s}" "$URL/v2/images?limit=20" > /dev/null
rps() { wrk -t2 -c16 -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'; }
GET_RPS=$(rps "$URL/v2/images/$ID")
LIST_RPS=$(rps "$URL/v2/images?limit=20")
echo "bench: GET image ${GET_RPS} req/s, list ${LIST_RPS} req/s"

# 3. upload and download next to cp, same disk
head -c $((UPLOAD_MIB * 1024 * 1024)) /dev/urandom > "$OUT/upload.bin"
sync
secs() { python3 -c "import sys,time,subprocess;t=time.perf_counter();subprocess.run(sys.argv[1:],check=True);print(f'{time.perf_counter()-t:.3f}')" "$@"; }
CP_S=$(secs sh -c "cp '$OUT/upload.bin' '$OUT/cp.bin' && sync")
UP_ID=$(create upload-1g)
UP_S=$(secs curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' -T "$OUT/upload.bin" "$URL/v2/images/$UP_ID/file")
DOWN_S=$(secs curl -sf -o "$OUT/download.bin" "$URL/v2/images/$UP_ID/file")
cmp -s "$OUT/upload.bin" "$OUT/download.bin" || { echo "bench: downloaded bytes differ" >&2; exit 1; }
rate() { python3 -c "print(f'{$UPLOAD_MIB/$1:.0f}')"; }
CP_RATE=$(rate "$CP_S"); UP_RATE=$(rate "$UP_S"); DOWN_RATE=$(rate "$DOWN_S")
rm -f "$OUT/upload.bin" "$OUT/download.bin" "$OUT/cp.bin"
echo "bench: cp ${CP_RATE} MiB/s, upload ${UP_RATE} MiB/s, download ${DOWN_RATE} MiB/s"

# 4. RSS during a large upload (streamed from /dev/zero, no file needed)
MAX_RSS="n/a"
if [ -n "${XLOUD_PID:-}" ]; then
  RSS_ID=$(create rss-4g)
  head -c $((RSS_MIB * 1024 * 1024)) /dev/zero | curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' \
    -H 'Transfer-Encoding: chunked' -T - "$URL/v2/images/$RSS_ID/file" &
  up=$!
  max=0
  while kill -0 "$up" 2>/dev/null; do
    r=$(awk '/VmRSS/ {print $2}' "/proc/$XLOUD_PID/status")
    [ "$r" -gt "$max" ] && max=$r
    sleep 0.2
  done
  wait "$up"
  MAX_RSS=$((max / 1024))
  curl -sf -X DELETE "$URL/v2/images/$RSS_ID"
fi
echo "bench: max RSS during a ${RSS_MIB} MiB upload: ${MAX_RSS} MiB"

verdict() { python3 -c "print('met' if $1 else 'MISSED')"; }
UP_PCT=$(python3 -c "print(f'{100*$UP_RATE/$CP_RATE:.0f}')")
DOWN_PCT=$(python3 -c "print(f'{100*$DOWN_RATE/$CP_RATE:.0f}')")
cat > "$BENCH/RESULTS.md" <<MD
# Benchmark results

Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%d) on this machine ($(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB),
one node, embedded MariaDB, file store, the client on the same machine. Read throughput is taken
after a ${WARMUP:-20s} warm-up run per route; RSS is sampled every 0.2 s during the upload.

| measure | result | target | verdict |
|---|---|---|---|
| sequential create latency (${CREATES} creates) | mean ${CREATE_MEAN} ms, p50 ${CREATE_P50} ms, p99 ${CREATE_P99} ms | — | — |
| \`GET /v2/images/{id}\`, 16 connections | ${GET_RPS} req/s | ≥ 2,000 | $(verdict "${GET_RPS%.*} >= 2000") |
| \`GET /v2/images?limit=20\`, 16 connections | ${LIST_RPS} req/s | ≥ 1,000 | $(verdict "${LIST_RPS%.*} >= 1000") |
| \`cp\` of a ${UPLOAD_MIB} MiB file (same disk, with sync) | ${CP_RATE} MiB/s | — | — |
| upload of the same file | ${UP_RATE} MiB/s (${UP_PCT}% of cp) | ≥ 70% of cp | $(verdict "$UP_PCT >= 70") |
| download of the same file | ${DOWN_RATE} MiB/s (${DOWN_PCT}% of cp) | ≥ 80% of cp | $(verdict "$DOWN_PCT >= 80") |
| node RSS during a ${RSS_MIB} MiB upload | ${MAX_RSS} MiB | ≤ 400 MiB | $( [ "$MAX_RSS" = "n/a" ] && echo "not measured" || verdict "$MAX_RSS <= 400") |
MD
echo "bench: wrote $BENCH/RESULTS.md"
