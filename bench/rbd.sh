#!/usr/bin/env bash
# RBD store throughput: upload and download through the API into a real single-node Ceph, next to
# `rbd import` / `rbd export` of the same file on the same cluster, in one run. Target >= 80%.
# Needs the Ceph packages (itests/packages; ./xloud test installs them), curl, python3. Appends to RESULTS.md.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
HOME_DIR="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/rbd"
SIZE_MIB="${SIZE_MIB:-1024}"
mkdir -p "$OUT"
. "$BENCH/lib.sh"
export CPU_LOG="$OUT/cpu.log"; : > "$CPU_LOG"
export CEPH_DIR="$OUT/ceph" CEPH_MON_V2_PORT=$(free_port) CEPH_MON_V1_PORT=$(free_port) CEPH_MEMSTORE_BYTES=$((6 << 30))
node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill -TERM "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  bash "$HOME_DIR/itests/scripts/ceph.sh" down || true
  rm -f "$OUT/in.bin" "$OUT/out.bin" "$OUT/warm.bin"
}
trap cleanup EXIT
CONF=$(bash "$HOME_DIR/itests/scripts/ceph.sh" up | tail -1)
export CEPH_CONF="$CONF"

rm -rf "$OUT/etc" "$OUT/data"
cp -r "$HOME_DIR/distribution/etc" "$OUT/etc"
cat > "$OUT/etc/com.xloud.image.store.rbd-ceph.cfg" <<CFG
store.id = ceph
rbd.store.pool = images
rbd.store.user = admin
rbd.store.ceph.conf = $CONF
rbd.store.chunk.size = 8
CFG
start_node "$HOME_DIR/features/rbd-node.features"

head -c $((SIZE_MIB << 20)) /dev/urandom > "$OUT/in.bin"
head -c $((256 << 20)) "$OUT/in.bin" > "$OUT/warm.bin"
warm_up ceph "$OUT/warm.bin"
rate() { python3 -c "print(f'{$SIZE_MIB/$1:.0f}')"; }

IMPORT_S=$(timed "rbd import" rbd import --image-format 2 --object-size 8M "$OUT/in.bin" images/bench-cli)
EXPORT_S=$(timed "rbd export" rbd export images/bench-cli "$OUT/out.bin")
rm -f "$OUT/out.bin"; rbd rm images/bench-cli > /dev/null 2>&1

ID=$(create_image bench-rbd)
UP_S=$(timed "upload through the API" curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' -H 'X-Image-Meta-Store: ceph' \
  -T "$OUT/in.bin" "$URL/v2/images/$ID/file")
DOWN_S=$(timed "download through the API" curl -sf -o "$OUT/out.bin" "$URL/v2/images/$ID/file")
cmp -s "$OUT/in.bin" "$OUT/out.bin" || { echo "bench: downloaded bytes differ" >&2; exit 1; }

IMP=$(rate "$IMPORT_S"); EXP=$(rate "$EXPORT_S"); UP=$(rate "$UP_S"); DOWN=$(rate "$DOWN_S")
UP_PCT=$(python3 -c "print(f'{100*$UP/$IMP:.0f}')"); DOWN_PCT=$(python3 -c "print(f'{100*$DOWN/$EXP:.0f}')")
verdict() { python3 -c "print('met' if $1 >= 80 else 'MISSED')"; }
echo "bench: rbd import $IMP MiB/s, upload $UP MiB/s ($UP_PCT%); rbd export $EXP MiB/s, download $DOWN MiB/s ($DOWN_PCT%)"
cat >> "$BENCH/RESULTS.md" <<MD

## RBD store ($(date -u +%Y-%m-%d), ${SIZE_MIB} MiB, single-node Ceph with a memstore OSD on this machine)

| measure | result | target | verdict |
|---|---|---|---|
| \`rbd import\` (8 MiB objects) | ${IMP} MiB/s | — | — |
| upload through the API into RBD | ${UP} MiB/s (${UP_PCT}% of rbd import) | ≥ 80% | $(verdict "$UP_PCT") |
| \`rbd export\` | ${EXP} MiB/s | — | — |
| download through the API from RBD | ${DOWN} MiB/s (${DOWN_PCT}% of rbd export) | ≥ 80% | $(verdict "$DOWN_PCT") |

$(cpu_section)
MD
