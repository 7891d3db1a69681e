#!/usr/bin/env bash
# OpenStack's conformance suite for the Image API (Tempest's tempest.api.image.v2, Debian package
# tempest) against a node in keystone mode, with the test Keystone of keystone.sh.
#   tempest.sh run single|multi   WORK (a folder of its own), optional REGEX (default: the whole
#                                 image suite), EXCLUDE (a file of tests to leave out, one regex a
#                                 line, each with its reason in a comment)
#     single: one file store and a read-only http store (Glance's reference: stores = file,http),
#             the cache on;
#     multi:  two file stores and a read-only http store, the cache on.
#   Prints Tempest's summary; the exit code is Tempest's (0: nothing failed). Everything it
#   started (Keystone, the node, a file server for web-download) is stopped when it ends.
set -euo pipefail
cmd=${1:-}
mode=${2:-single}
HOME_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
W=${WORK:?WORK is required}
PY=/usr/bin/python3
# shellcheck source=pids.sh
. "$(dirname "$0")/pids.sh"

cleanup() {
  [ -f "$W/node.pid" ] && { kill "$(cat "$W/node.pid")" 2>/dev/null || true; for _ in $(seq 1 300); do
    kill -0 "$(cat "$W/node.pid")" 2>/dev/null || break; sleep 0.1; done; }
  stop_recorded "$W/files.pid" || true
  KS_DIR="$W/keystone" bash "$HOME_DIR/itests/scripts/keystone.sh" down >/dev/null 2>&1 || true
  [ -f "$W/workspace" ] && { tempest workspace remove --name "$(cat "$W/workspace")" >/dev/null 2>&1 || true; }
}

run() {
  command -v tempest >/dev/null || { echo "tempest.sh: needs Debian's tempest package" \
    "(apt-get install --no-install-recommends tempest)" >&2; exit 2; }
  case "$mode" in single|multi) ;; *) echo "tempest.sh: mode is single or multi, not $mode" >&2; exit 2 ;; esac
  rm -rf "$W"; mkdir -p "$W"/{etc,files}
  trap cleanup EXIT
  local ks_port node_port file_port
  ks_port=$(free_port); node_port=$(free_port); file_port=$(free_port)
  local node_url="http://127.0.0.1:$node_port"

  # Keystone with the image service in its catalog (Tempest finds the node there)
  local auth
  auth=$(KS_DIR="$W/keystone" KS_PORT=$ks_port IMAGE_URL=$node_url bash "$HOME_DIR/itests/scripts/keystone.sh" up)

  # a file for web-download (Tempest's http_image)
  head -c 1048576 /dev/urandom > "$W/files/image.raw"
  (cd "$W/files" && exec $PY -m http.server --bind 127.0.0.1 "$file_port" >"$W/files.log" 2>&1) & echo $! > "$W/files.pid"

  # the node: keystone mode, formats as Glance 25.1 takes them, locations shown (Tempest's manage_locations),
  # the file server's port allowed, glance-download on (from the node itself: the catalog's RegionOne), the cache on
  cp "$HOME_DIR"/distribution/etc/* "$W/etc/"
  sed -i -e "s|^auth.mode = noauth|auth.mode = keystone|" -e "s|^keystone.auth.url =.*|keystone.auth.url = $auth|" \
    -e "s|^keystone.password =.*|keystone.password = glancepw|" "$W/etc/com.xloud.image.rest.cfg"
  sed -i -e "s|^require.image.format.match = true|require.image.format.match = false|" \
    "$W/etc/com.xloud.image.inspection.cfg"
  sed -i -e "s|^show.multiple.locations = false|show.multiple.locations = true|" \
    -e "s|^show.image.direct.url = false|show.image.direct.url = true|" \
    -e "s|^import.allowed.ports = .*|import.allowed.ports = 80,443,$file_port|" \
    -e "s|^enabled.import.methods = .*|enabled.import.methods = glance-direct,web-download,copy-image,glance-download|" \
    "$W/etc/com.xloud.image.core.cfg"
  sed -e "s|^image.cache.prefetcher.interval = .*|image.cache.prefetcher.interval = 2|" \
    "$HOME_DIR/distribution/optional/com.xloud.image.cache.cfg" > "$W/etc/com.xloud.image.cache.cfg"
  # the http store in both modes, as Glance's own reference runs with stores = file,http (Tempest adds
  # http locations); multi adds a second file store
  local features=http-node
  printf 'store.id = web\nstore.description = Images on web servers\n' > "$W/etc/com.xloud.image.store.http-web.cfg"
  if [ "$mode" = multi ]; then
    printf 'store.id = fast\nstore.description = Second file store\nstore.weight = 10\nstore.default = false\nfilesystem.store.datadir = ${xloud.data.dir}/fast\n' \
      > "$W/etc/com.xloud.image.store.file-fast.cfg"
  fi
  (cd "$HOME_DIR" && XLOUD_NO_BUILD=1 exec ./xloud run --port "$node_port" --data-dir "$W/node" --config-dir "$W/etc" \
     --features "$features" >"$W/node.log" 2>&1) & echo $! > "$W/node.pid"
  for _ in $(seq 1 1200); do
    grep -q "ready on $node_url" "$W/node.log" 2>/dev/null && break
    kill -0 "$(cat "$W/node.pid")" 2>/dev/null || { tail -40 "$W/node.log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q "ready on $node_url" "$W/node.log" || { echo "tempest.sh: the node did not start" >&2; exit 1; }

  # Glance's catalog of metadata definitions, as glance-manage db_load_metadefs loads it (Tempest
  # needs a resource type), loaded by the admin
  local token
  token=$(curl -si -X POST "$auth/auth/tokens" -H 'Content-Type: application/json' -d '{"auth": {"identity":
    {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "Default"},
    "password": "adminpw"}}}, "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}' \
    | awk -F': ' 'tolower($1) == "x-subject-token" {print $2}' | tr -d '\r')
  $PY "$HOME_DIR/distribution/tools/metadefs.py" load /usr/share/glance-common/metadefs --url "$node_url" \
    --token "$token" >&2

  # Tempest's workspace (it writes tempest.log into the folder it runs in)
  # (Tempest registers workspaces by name in ~/.tempest: one of our own per run, removed at the end)
  local workspace="xloud-$$-$RANDOM"
  (cd "$W" && tempest init --name "$workspace" ws >/dev/null)
  echo "$workspace" > "$W/workspace"
  cat > "$W/ws/etc/tempest.conf" <<EOF
[DEFAULT]
log_dir = $W/ws/logs
[auth]
use_dynamic_credentials = true
admin_username = admin
admin_password = adminpw
admin_project_name = admin
admin_domain_name = Default
[identity]
auth_version = v3
uri_v3 = $auth
region = RegionOne
[identity-feature-enabled]
api_v2 = false
api_v3 = true
[service_available]
glance = true
nova = false
cinder = false
neutron = false
swift = false
horizon = false
[image]
catalog_type = image
endpoint_type = publicURL
http_image = http://127.0.0.1:$file_port/image.raw
build_timeout = 60
build_interval = 1
image_caching_enabled = true
alternate_image_endpoint = image
container_formats = ami,ari,aki,bare,ovf,ova
disk_formats = ami,ari,aki,vhd,vmdk,raw,qcow2,vdi,iso,vhdx
[image-feature-enabled]
api_v2 = true
api_v1 = false
import_image = true
os_glance_reserved = true
manage_locations = true
[validation]
run_validation = false
[oslo_concurrency]
lock_path = $W/ws/lock
EOF
  local exclude=()
  [ -n "${EXCLUDE:-}" ] && exclude=(--exclude-list "$EXCLUDE")
  set +e
  (cd "$W/ws" && tempest run --regex "${REGEX:-^tempest\.api\.image\.v2}" --concurrency 2 "${exclude[@]}") \
    > "$W/tempest.out" 2>&1
  local rc=$?
  set -e
  grep -E "^(FAIL|ERROR):|^ - (Passed|Failed|Skipped)|^Totals|^=+$" "$W/tempest.out" | grep -v "^=" || true
  return $rc
}

case "$cmd" in
  run) run ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
