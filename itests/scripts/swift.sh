#!/usr/bin/env bash
# A tiny real Swift for the Swift store tests: account, container and object servers with one
# device and one replica, a proxy with tempauth, and a memcached for its tokens, all on 127.0.0.1,
# everything under $SWIFT_DIR, every process stopped by its recorded PID.
#   swift.sh up           SWIFT_DIR, SWIFT_PROXY_PORT, SWIFT_ACCOUNT_PORT, SWIFT_CONTAINER_PORT,
#                         SWIFT_OBJECT_PORT, SWIFT_MEMCACHED_PORT (free ports) -> a running Swift;
#                         prints the auth address (tempauth v1). Users: test:tester/tester-s3cret (admin
#                         of account AUTH_test), test:tester2/tester2-s3cret.
#                         With SWIFT_KEYSTONE_URL (a Keystone of keystone.sh) the proxy authenticates
#                         with Keystone instead (authtoken + keystoneauth; accounts AUTH_<project id>,
#                         operators: admin and member), registers itself as object-store in the
#                         catalog, and up prints the Keystone URL.
#   swift.sh proxy-stop   stops only the proxy (the storage servers keep their data)
#   swift.sh proxy-start  starts the proxy again with the same configuration
#   swift.sh forget-tokens  empties memcached: every token is forgotten (tempauth keeps them there
#                         only). The proxy's connections to memcached stay up: a restart would break
#                         them, and Swift then refuses even new tokens for a while (its memcache
#                         client suppresses a server after errors).
#   swift.sh down         stops every process of SWIFT_DIR and deletes it
set -euo pipefail
cmd=${1:-}
D=${SWIFT_DIR:-/tmp/xloud-swift}
PY=/usr/bin/python3
# shellcheck source=pids.sh
. "$(dirname "$0")/pids.sh"


healthy() { curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$1/healthcheck"; }

# Starts one server in its own process group (it calls setsid itself) and records its PID.
launch() {
  local name=$1; shift
  "$@" >>"$D/log/$name.out" 2>&1 & echo $! > "$D/run/$name.pid"
}

wait_healthy() {
  local name=$1 port=$2
  for _ in $(seq 1 600); do
    healthy "$port" && return 0
    alive "$(cat "$D/run/$name.pid")" || { echo "swift $name did not start:" >&2; tail -20 "$D/log/$name.out" >&2; exit 1; }
    sleep 0.1
  done
  echo "swift $name not healthy on port $port after 60 s" >&2; tail -20 "$D/log/$name.out" >&2; exit 1
}

start_proxy() {
  launch proxy swift-proxy-server "$D/etc/proxy-server.conf" -v
  wait_healthy proxy "$(cat "$D/etc/proxy.port")"
}

start_memcached() {
  # as root, memcached must be told which user to run as
  local mu=(); [ "$(id -u)" = 0 ] && mu=(-u memcache)
  local M; M=$(cat "$D/etc/memcached.port")
  launch memcached setsid memcached "${mu[@]}" -l 127.0.0.1 -p "$M" -U 0 -m 64
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$M") 2>/dev/null && return 0; sleep 0.05; done
  echo "memcached did not start on port $M" >&2; exit 1
}

forget_tokens() {
  local M reply; M=$(cat "$D/etc/memcached.port")
  exec 3<>"/dev/tcp/127.0.0.1/$M"
  printf 'flush_all\r\n' >&3
  IFS= read -r -t 5 reply <&3
  exec 3>&-
  [ "${reply%$'\r'}" = OK ] || { echo "memcached answered '$reply' to flush_all" >&2; exit 1; }
}

up() {
  local P=${SWIFT_PROXY_PORT:?} A=${SWIFT_ACCOUNT_PORT:?} C=${SWIFT_CONTAINER_PORT:?} O=${SWIFT_OBJECT_PORT:?}
  local M=${SWIFT_MEMCACHED_PORT:?} USER; USER=$(id -un)
  for p in $P $A $C $O $M; do
    if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p already in use" >&2; exit 1; fi
  done
  rm -rf "$D"; mkdir -p "$D"/{etc,node/d1,run,log,cache}
  touch "$D/node/d1/.xattr-probe"
  setfattr -n user.xloud -v 1 "$D/node/d1/.xattr-probe" 2>/dev/null \
    || { echo "the file system of $D has no user xattrs: Swift cannot store objects there" >&2; exit 1; }
  rm -f "$D/node/d1/.xattr-probe"
  echo "$P" > "$D/etc/proxy.port"

  cat > "$D/etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_prefix = xloud-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
swift_hash_path_suffix = xloud-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
[storage-policy:0]
name = Policy-0
default = yes
[swift-constraints]
max_file_size = 5368709122
EOF
  # the three rings in one Python process (swift-ring-builder would take nine)
  (cd "$D/etc" && $PY - "$A" "$C" "$O" <<'EOF'
import sys
from swift.common.ring import RingBuilder
for kind, port in zip(("account", "container", "object"), sys.argv[1:]):
    b = RingBuilder(8, 1, 1)
    b.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port), "device": "d1", "weight": 100})
    b.rebalance()
    b.save(kind + ".builder")
    b.get_ring().save(kind + ".ring.gz")
EOF
  )
  local kind port
  for kind in account container object; do
    case $kind in account) port=$A ;; container) port=$C ;; object) port=$O ;; esac
    cat > "$D/etc/$kind-server.conf" <<EOF
[DEFAULT]
swift_dir = $D/etc
devices = $D/node
mount_check = false
bind_ip = 127.0.0.1
bind_port = $port
workers = 1
user = $USER
log_level = WARNING
[pipeline:main]
pipeline = healthcheck recon $kind-server
[app:$kind-server]
use = egg:swift#$kind
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:recon]
use = egg:swift#recon
recon_cache_path = $D/cache
EOF
  done
  local AUTH=tempauth
  if [ -n "${SWIFT_KEYSTONE_URL:-}" ]; then
    AUTH="authtoken keystoneauth"
    register_in_keystone "http://127.0.0.1:$P"
  fi
  cat > "$D/etc/proxy-server.conf" <<EOF
[DEFAULT]
swift_dir = $D/etc
bind_ip = 127.0.0.1
bind_port = $P
workers = 2
user = $USER
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl $AUTH copy slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:tempauth]
use = egg:swift#tempauth
token_life = 86400
user_admin_admin = admin-s3cret .admin .reseller_admin
user_test_tester = tester-s3cret .admin
user_test_tester2 = tester2-s3cret
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = ${SWIFT_KEYSTONE_URL:-}
auth_url = ${SWIFT_KEYSTONE_URL:-}
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = swift
password = swiftpw
delay_auth_decision = True
cache = swift.cache
include_service_catalog = False
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$M
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:tempurl]
use = egg:swift#tempurl
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
[filter:symlink]
use = egg:swift#symlink
EOF
  chown -R "$USER" "$D/node" "$D/cache"

  echo "$M" > "$D/etc/memcached.port"
  start_memcached
  launch account swift-account-server "$D/etc/account-server.conf" -v
  launch container swift-container-server "$D/etc/container-server.conf" -v
  launch object swift-object-server "$D/etc/object-server.conf" -v
  launch proxy swift-proxy-server "$D/etc/proxy-server.conf" -v
  wait_healthy account "$A"; wait_healthy container "$C"; wait_healthy object "$O"; wait_healthy proxy "$P"
  if [ -n "${SWIFT_KEYSTONE_URL:-}" ]; then
    probe_keystone "http://127.0.0.1:$P"
    echo "$SWIFT_KEYSTONE_URL"
    return 0
  fi
  probe_tempauth "$P"
  echo "http://127.0.0.1:$P/auth/v1.0"
}


# A token proves memcached and tempauth, a PUT and DELETE of a container the storage servers; the
# servers may take a moment after their healthchecks answer, so this tries for up to 10 s.
probe_tempauth() {
  local P=$1 T code why=""
  local S="http://127.0.0.1:$P/v1/AUTH_test"
  for _ in $(seq 1 100); do
    T=$(curl -si --max-time 5 "http://127.0.0.1:$P/auth/v1.0" -H 'X-Auth-User: test:tester' \
      -H "X-Auth-Key: tester-s3cret" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-auth-token"{print $2}') || T=""
    if [ -z "$T" ]; then
      why="tempauth gave no token"
    else
      code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X PUT -H "X-Auth-Token: $T" "$S/xloud-probe") || true
      if [ "${code:0:1}" = 2 ]; then
        code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X DELETE -H "X-Auth-Token: $T" "$S/xloud-probe") \
          || true
        [ "${code:0:1}" = 2 ] && return 0
        why="DELETE of a probe container answered ${code:-nothing}"
      else
        why="PUT of a probe container answered ${code:-nothing}"
      fi
    fi
    sleep 0.1
  done
  echo "swift is not usable after 10 s: $why" >&2
  tail -5 "$D/log/proxy.out" "$D/log/account.out" "$D/log/container.out" >&2
  exit 1
}

# Keystone: the swift service user, and object-store endpoints AUTH_<project id>
register_in_keystone() {
  $PY "$(dirname "$0")/keystone_service.py" "$SWIFT_KEYSTONE_URL" swift swiftpw swift object-store \
    "$1/v1/AUTH_\$(project_id)s"
}

# a member's token, a container made and removed in its project's account: Keystone and the storage answer
probe_keystone() {
  $PY - "$SWIFT_KEYSTONE_URL" "$1" <<'PY'
import json, sys, urllib.request
ks, url = sys.argv[1], sys.argv[2]
req = urllib.request.Request(ks + "/auth/tokens", method="POST", headers={"Content-Type": "application/json"},
    data=json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "alice",
    "domain": {"id": "default"}, "password": "alicepw"}}}, "scope": {"project": {"name": "alpha",
    "domain": {"id": "default"}}}}}).encode())
with urllib.request.urlopen(req, timeout=30) as r:
    token = r.headers["X-Subject-Token"]
    project = json.load(r)["token"]["project"]["id"]
for method in ("PUT", "DELETE"):
    urllib.request.urlopen(urllib.request.Request(f"{url}/v1/AUTH_{project}/xloud-probe", method=method,
                                                  headers={"X-Auth-Token": token}), timeout=30).read()
PY
}

down() {
  stop_recorded "$D"/run/*.pid
  rm -rf "$D"
}

case "$cmd" in
  up) undo_on_failure down; up ;;
  proxy-stop) stop_recorded "$D/run/proxy.pid" ;;
  proxy-start) start_proxy ;;
  forget-tokens) forget_tokens ;;
  down) down ;;
  *) echo "usage: swift.sh up|proxy-stop|proxy-start|forget-tokens|down" >&2; exit 2 ;;
esac
