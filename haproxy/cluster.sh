#!/usr/bin/env bash
# Several Image API nodes behind HAProxy, on this machine: one MariaDB they share (./xloud db, or
# DB_URL for one of yours), one store they share (a single-node Swift from
# itests/scripts/swift.sh, or STORE=file: one folder, as an NFS mount would be), N nodes
# (./xloud run) and HAProxy (Debian package haproxy) on 127.0.0.1:$FRONT_PORT.
#   haproxy/cluster.sh up [N]        start everything (N nodes, default 2); prints the API URL
#   haproxy/cluster.sh down          stop everything it started, by PID
#   haproxy/cluster.sh status        what runs, and what HAProxy thinks of each node
#   haproxy/cluster.sh kill-node K   SIGKILL node K, as a crash would
#   haproxy/cluster.sh start-node K  start node K again; it rejoins
#   haproxy/cluster.sh db-stop | db-start   stop the shared MariaDB (./xloud db) and start it again
# Environment: CLUSTER_DIR (default haproxy/run), FRONT_PORT (9292), STORE (swift or file; default
# swift), DB_URL (an existing MariaDB: no ./xloud db then), STALL_SECONDS (transfer.stall.seconds
# of the nodes: after that long without progress another node cleans up after a dead one; 60).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
HOME_DIR="$(cd "$HERE/.." && pwd)"
D="${CLUSTER_DIR:-$HERE/run}"
# shellcheck source=../itests/scripts/pids.sh
. "$HOME_DIR/itests/scripts/pids.sh"


# waits until file $1 has a line matching $2 (extended regex), at most $3 seconds; or the PID in $4 dies
wait_for() {
  for _ in $(seq 1 $(( $3 * 10 ))); do
    grep -aqE "$2" "$1" 2>/dev/null && return 0
    [ -n "${4:-}" ] && ! alive "$(cat "$4")" && { echo "cluster: process of $1 ended:" >&2; tail -20 "$1" >&2; return 1; }
    sleep 0.1
  done
  echo "cluster: timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; return 1
}

db_start() {
  . "$D/cluster.env"
  [ -n "${EXTERNAL_DB:-}" ] && return 0
  (cd "$HOME_DIR" && XLOUD_NO_BUILD=1 exec ./xloud db --port "$DB_PORT" --data-dir "$D/db") >>"$D/db.log" 2>&1 &
  echo $! > "$D/db.pid"
  wait_for "$D/db.log" "MariaDB ready" 120 "$D/db.pid"
}

node_start() {
  local k=$1 port
  . "$D/cluster.env"
  port=$(eval echo "\$NODE${k}_PORT")
  (cd "$HOME_DIR" && XLOUD_NO_BUILD=1 exec ./xloud run --port "$port" --data-dir "$D/node$k/data" \
      --config-dir "$D/node$k/etc" --features "$FEATURES" --node-id "node$k") >>"$D/node$k/node.log" 2>&1 &
  echo $! > "$D/node$k.pid"
}

node_wait() {
  local k=$1
  for _ in $(seq 1 1200); do
    [ "$(grep -ac "ready on http" "$D/node$k/node.log" 2>/dev/null || true)" -gt "${2:-0}" ] && return 0
    alive "$(cat "$D/node$k.pid")" || { echo "cluster: node$k ended:" >&2; tail -30 "$D/node$k/node.log" >&2; return 1; }
    sleep 0.1
  done
  echo "cluster: node$k did not start" >&2; return 1
}

node_config() {
  local k=$1 etc="$D/node$k/etc"
  . "$D/cluster.env"
  mkdir -p "$etc" "$D/node$k/data"
  cp "$HOME_DIR"/distribution/etc/* "$etc/"
  printf 'db.url = %s\ndb.user = root\ndb.password =\ndb.pool.size = 20\n' "$DB_URL" > "$etc/com.xloud.image.registry.cfg"
  sed -i "s/^transfer.stall.seconds = .*/transfer.stall.seconds = $STALL_SECONDS/" "$etc/com.xloud.image.core.cfg"
  if [ "$STORE" = swift ]; then
    rm -f "$etc/com.xloud.image.store.file-default.cfg"
    printf 'store.id = swift\nstore.default = true\nswift.store.auth.address = %s\nswift.store.user = test:tester\nswift.store.key = tester-s3cret\nswift.store.create.container.on.put = true\n' \
      "$SWIFT_AUTH" > "$etc/com.xloud.image.store.swift-shared.cfg"
  else
    sed -i "s|^filesystem.store.datadir = .*|filesystem.store.datadir = $D/shared-images|" \
      "$etc/com.xloud.image.store.file-default.cfg"
  fi
}

haproxy_start() {
  . "$D/cluster.env"
  local cfg="$D/haproxy.cfg" k port
  sed "s/\${FRONT_PORT}/$FRONT_PORT/" "$HERE/haproxy.cfg" > "$cfg"
  for k in $(seq 1 "$NODES"); do
    port=$(eval echo "\$NODE${k}_PORT")
    echo "    server node$k 127.0.0.1:$port check" >> "$cfg"
  done
  echo "    # stats, for cluster.sh status" >> "$cfg"
  printf 'listen stats\n    bind 127.0.0.1:%s\n    stats enable\n    stats uri /stats\n' "$STATS_PORT" >> "$cfg"
  haproxy -c -q -f "$cfg"
  haproxy -f "$cfg" >>"$D/haproxy.log" 2>&1 &
  echo $! > "$D/haproxy.pid"
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$FRONT_PORT/healthcheck" && return 0
    alive "$(cat "$D/haproxy.pid")" || break
    sleep 0.1
  done
  echo "cluster: HAProxy does not answer on 127.0.0.1:$FRONT_PORT" >&2; tail -20 "$D/haproxy.log" >&2; return 1
}

up() {
  local n=${1:-2} k
  command -v haproxy >/dev/null || { echo "cluster: haproxy is missing (apt-get install haproxy)" >&2; exit 2; }
  mkdir -p "$D"
  [ -f "$D/cluster.env" ] && { echo "cluster: $D is in use (haproxy/cluster.sh down first)" >&2; exit 1; }
  {
    echo "NODES=$n"
    echo "FRONT_PORT=${FRONT_PORT:-9292}"
    echo "STATS_PORT=$(free_port)"
    echo "STORE=${STORE:-swift}"
    echo "STALL_SECONDS=${STALL_SECONDS:-60}"
    for k in $(seq 1 "$n"); do echo "NODE${k}_PORT=$(free_port)"; done
    if [ -n "${DB_URL:-}" ]; then echo "EXTERNAL_DB=1"; echo "DB_URL=$DB_URL"
    else local p; p=$(free_port); echo "DB_PORT=$p"; echo "DB_URL=jdbc:mariadb://127.0.0.1:$p/xloud"; fi
  } > "$D/cluster.env"
  . "$D/cluster.env"
  (cd "$HOME_DIR" && [ -d distribution/assembly/target/xloud/bundles ]) || (cd "$HOME_DIR" && ./xloud build)
  db_start
  if [ "$STORE" = swift ]; then
    local auth
    auth=$(SWIFT_DIR="$D/swift" SWIFT_PROXY_PORT=$(free_port) SWIFT_ACCOUNT_PORT=$(free_port) \
      SWIFT_CONTAINER_PORT=$(free_port) SWIFT_OBJECT_PORT=$(free_port) SWIFT_MEMCACHED_PORT=$(free_port) \
      bash "$HOME_DIR/itests/scripts/swift.sh" up | tail -1)
    { echo "SWIFT_AUTH=$auth"; echo "FEATURES=swift-node"; } >> "$D/cluster.env"
  else
    mkdir -p "$D/shared-images"; echo "FEATURES=file-node" >> "$D/cluster.env"
  fi
  for k in $(seq 1 "$n"); do node_config "$k"; node_start "$k"; done
  for k in $(seq 1 "$n"); do node_wait "$k"; done
  haproxy_start
  echo "cluster: $n nodes behind http://127.0.0.1:$FRONT_PORT (state in $D)"
}

down() {
  [ -f "$D/cluster.env" ] || return 0
  . "$D/cluster.env"
  local files=("$D/haproxy.pid") k
  for k in $(seq 1 "$NODES"); do files+=("$D/node$k.pid"); done
  stop_recorded "${files[@]}"
  stop_recorded "$D/db.pid"
  [ "$STORE" = swift ] && SWIFT_DIR="$D/swift" bash "$HOME_DIR/itests/scripts/swift.sh" down || true
  rm -rf "$D"
}

status() {
  . "$D/cluster.env"
  local k
  for k in $(seq 1 "$NODES"); do
    if [ -f "$D/node$k.pid" ] && alive "$(cat "$D/node$k.pid")"; then echo "node$k: running on port $(eval echo "\$NODE${k}_PORT")"
    else echo "node$k: stopped"; fi
  done
  curl -s "http://127.0.0.1:$STATS_PORT/stats;csv" | awk -F, '$1 == "image_nodes" && $2 ~ /^node/ {print "haproxy: " $2 " " $18}'
}

case "${1:-}" in
  up) up "${2:-2}" ;;
  down) down ;;
  status) status ;;
  kill-node) kill -KILL "$(cat "$D/node${2:?node number}.pid")" ;;
  start-node)
    before=$(grep -ac "ready on http" "$D/node$2/node.log" 2>/dev/null || true)
    node_start "${2:?node number}"; node_wait "$2" "$before" ;;
  db-stop) stop_recorded "$D/db.pid" ;;
  db-start) db_start ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
