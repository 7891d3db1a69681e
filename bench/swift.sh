#!/usr/bin/env bash
# Swift store throughput: upload and download through the API into a real single-node Swift, next
# to `swift upload` / `swift download` of the same file on the same Swift, in one run: once as one
# object, once as a Static Large Object of segments. Target >= 85% of the CLI.
# Needs the Swift packages (itests/packages; ./xloud test installs them), curl, python3. Appends to RESULTS.md.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
HOME_DIR="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/swift"
SIZE_MIB="${SIZE_MIB:-1024}"
SEGMENT_MIB="${SEGMENT_MIB:-256}"
mkdir -p "$OUT"
. "$BENCH/lib.sh"
export CPU_LOG="$OUT/cpu.log"; : > "$CPU_LOG"
export SWIFT_DIR="$OUT/swift" SWIFT_PROXY_PORT=$(free_port) SWIFT_ACCOUNT_PORT=$(free_port) \
  SWIFT_CONTAINER_PORT=$(free_port) SWIFT_OBJECT_PORT=$(free_port) SWIFT_MEMCACHED_PORT=$(free_port)
node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  bash "$HOME_DIR/itests/scripts/swift.sh" down || true
  rm -f "$OUT/in.bin" "$OUT/out.bin" "$OUT/warm.bin"
}
trap cleanup EXIT
AUTH=$(bash "$HOME_DIR/itests/scripts/swift.sh" up | tail -1)
export ST_AUTH="$AUTH" ST_USER=test:tester ST_KEY=tester-s3cret

rm -rf "$OUT/etc" "$OUT/data"
cp -r "$HOME_DIR/distribution/etc" "$OUT/etc"
store_cfg() {  # name, container, large-object size (MiB)
  cat > "$OUT/etc/com.xloud.image.store.swift-$1.cfg" <<CFG
store.id = $1
swift.store.auth.address = $AUTH
swift.store.user = $ST_USER
swift.store.key = $ST_KEY
swift.store.container = $2
swift.store.create.container.on.put = true
swift.store.large.object.size = $3
swift.store.large.object.chunk.size = $SEGMENT_MIB
CFG
}
store_cfg swift whole 5120
store_cfg swift-slo segmented "$SEGMENT_MIB"
start_node "$HOME_DIR/features/swift-node.features"

head -c $((SIZE_MIB << 20)) /dev/urandom > "$OUT/in.bin"
head -c $((2 * SEGMENT_MIB << 20)) "$OUT/in.bin" > "$OUT/warm.bin"
warm_up swift "$OUT/warm.bin"
warm_up swift-slo "$OUT/warm.bin"
rate() { python3 -c "print(f'{$SIZE_MIB/$1:.0f}')"; }
pct() { python3 -c "print(f'{100*$1/$2:.0f}')"; }
verdict() { python3 -c "print('met' if $1 >= 85 else 'MISSED')"; }

# one measurement: CLI upload+download, then ours, for one store; prints "cli_up cli_down up down"
measure() {  # store, label, swift upload options...
  local store=$1 what=$2; shift 2
  swift post cli-bench
  local cu cd u d id
  cu=$(timed "swift upload, $what" swift upload "$@" cli-bench "$OUT/in.bin" --object-name f)
  cd=$(timed "swift download, $what" swift download cli-bench f -o "$OUT/out.bin")
  cmp -s "$OUT/in.bin" "$OUT/out.bin" || { echo "bench: swift download differs" >&2; exit 1; }
  rm -f "$OUT/out.bin"; swift delete cli-bench > /dev/null; swift delete cli-bench_segments > /dev/null 2>&1 || true
  id=$(create_image bench-swift)
  u=$(timed "upload through the API, $what" curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' -H "X-Image-Meta-Store: $store" \
    -T "$OUT/in.bin" "$URL/v2/images/$id/file")
  d=$(timed "download through the API, $what" curl -sf -o "$OUT/out.bin" "$URL/v2/images/$id/file")
  cmp -s "$OUT/in.bin" "$OUT/out.bin" || { echo "bench: downloaded bytes differ" >&2; exit 1; }
  rm -f "$OUT/out.bin"; curl -sf -X DELETE "$URL/v2/images/$id"
  echo "$(rate "$cu") $(rate "$cd") $(rate "$u") $(rate "$d")"
}

read -r CU CD U D <<< "$(measure swift "one object")"
read -r SCU SCD SU SD <<< "$(measure swift-slo segments --use-slo -S $((SEGMENT_MIB << 20)))"
UP=$(pct "$U" "$CU"); DOWN=$(pct "$D" "$CD"); SUP=$(pct "$SU" "$SCU"); SDOWN=$(pct "$SD" "$SCD")
echo "bench: one object: swift upload $CU MiB/s, ours $U ($UP%); swift download $CD, ours $D ($DOWN%)"
echo "bench: segments: swift upload $SCU MiB/s, ours $SU ($SUP%); swift download $SCD, ours $SD ($SDOWN%)"
cat >> "$BENCH/RESULTS.md" <<MD

## Swift store ($(date -u +%Y-%m-%d), ${SIZE_MIB} MiB, single-node Swift with one replica on this machine)

| measure | result | target | verdict |
|---|---|---|---|
| \`swift upload\`, one object | ${CU} MiB/s | — | — |
| upload through the API, one object | ${U} MiB/s (${UP}% of swift upload) | ≥ 85% | $(verdict "$UP") |
| \`swift download\`, one object | ${CD} MiB/s | — | — |
| download through the API, one object | ${D} MiB/s (${DOWN}% of swift download) | ≥ 85% | $(verdict "$DOWN") |
| \`swift upload --use-slo -S ${SEGMENT_MIB}M\` | ${SCU} MiB/s | — | — |
| upload through the API, ${SEGMENT_MIB} MiB segments | ${SU} MiB/s (${SUP}% of swift upload) | ≥ 85% | $(verdict "$SUP") |
| \`swift download\` of that large object | ${SCD} MiB/s | — | — |
| download through the API of the large object | ${SD} MiB/s (${SDOWN}% of swift download) | ≥ 85% | $(verdict "$SDOWN") |

$(cpu_section)
MD
