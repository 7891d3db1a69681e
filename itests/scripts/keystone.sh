#!/usr/bin/env bash
# A real Keystone v3 (Debian's keystone under uwsgi, sqlite in WAL mode, fernet tokens) on
# 127.0.0.1 for the Keystone tests, everything under $KS_DIR, stopped by its recorded PID.
#   keystone.sh up        KS_DIR, KS_PORT (a free port), KS_TOKEN_EXPIRATION (s, default 3600),
#                         IMAGE_URL (optional: the image service's endpoint in the catalog)
#                         -> a running Keystone; prints its auth URL (http://127.0.0.1:PORT/v3).
#                         Users (domain Default): admin/adminpw (admin of project admin),
#                         alice/alicepw (member of alpha), bob/bobpw (member of beta),
#                         carol/carolpw (reader of alpha), dave/davepw (member of gamma),
#                         glance/glancepw (service and admin of
#                         service: the image service's own user).
#   keystone.sh down      stops it and deletes KS_DIR
set -euo pipefail
cmd=${1:-}
D=${KS_DIR:-/tmp/xloud-keystone}
PY=/usr/bin/python3
# shellcheck source=pids.sh
. "$(dirname "$0")/pids.sh"


up() {
  : "${KS_PORT:?KS_PORT is required}"
  local url="http://127.0.0.1:$KS_PORT/v3"
  mkdir -p "$D"/{etc,run,log,db,fernet-keys,credential-keys}
  cat > "$D/etc/keystone.conf" <<EOF
[DEFAULT]
log_file = $D/log/keystone.log
[database]
connection = sqlite:///$D/db/keystone.sqlite
sqlite_synchronous = false
[token]
provider = fernet
expiration = ${KS_TOKEN_EXPIRATION:-3600}
[fernet_tokens]
key_repository = $D/fernet-keys
[fernet_receipts]
key_repository = $D/fernet-keys
[credential]
key_repository = $D/credential-keys
[identity]
password_hash_rounds = 4
[cache]
enabled = true
backend = dogpile.cache.memory
EOF
  local manage=(keystone-manage --config-file "$D/etc/keystone.conf")
  if [ ! -f "$D/db/keystone.sqlite" ]; then
    "${manage[@]}" db_sync >>"$D/log/manage.out" 2>&1
    $PY -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')" "$D/db/keystone.sqlite"
    # fernet and credential keys are Fernet keys in files 0 and 1 (what keystone-manage *_setup writes)
    $PY - "$D" <<'PY'
import base64, os, sys
for folder in ("fernet-keys", "credential-keys"):
    for name in ("0", "1"):
        path = os.path.join(sys.argv[1], folder, name)
        with open(path, "wb") as f:
            f.write(base64.urlsafe_b64encode(os.urandom(32)))
        os.chmod(path, 0o600)
PY
    "${manage[@]}" bootstrap --bootstrap-password adminpw --bootstrap-region-id RegionOne \
      --bootstrap-admin-url "$url/" --bootstrap-internal-url "$url/" --bootstrap-public-url "$url/" \
      >>"$D/log/manage.out" 2>&1
  fi
  setsid uwsgi --plugins python3 --http11-socket "127.0.0.1:$KS_PORT" --wsgi-file /usr/bin/keystone-wsgi-public \
    --master --processes 1 --threads 8 --enable-threads --lazy-apps --die-on-term --no-orphans \
    --buffer-size 65535 --env "OS_KEYSTONE_CONFIG_DIR=$D/etc" --logto "$D/log/uwsgi.log" >/dev/null 2>&1 &
  echo $! > "$D/run/keystone.pid"
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null --max-time 2 "$url" && break
    alive "$(cat "$D/run/keystone.pid")" || { tail -30 "$D/log/uwsgi.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -sf -o /dev/null --max-time 2 "$url" || { echo "keystone did not answer on $url" >&2; exit 1; }
  $PY - "$url" "${IMAGE_URL:-}" <<'PY'
import json, sys, urllib.request, urllib.error
url, image_url = sys.argv[1], sys.argv[2]

def call(method, path, body=None, token=None, ok=(200, 201, 204)):
    req = urllib.request.Request(url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"X-Auth-Token": token} if token else {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.headers, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        if e.code in ok:
            return e.headers, None
        raise SystemExit(f"keystone: {method} {path} -> {e.code} {e.read()[:300]}")

headers, _ = call("POST", "/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": "admin", "domain": {"id": "default"}, "password": "adminpw"}}}, "scope": {"project": {
    "name": "admin", "domain": {"id": "default"}}}}})
admin = headers["X-Subject-Token"]

def find(kind, name):
    _, body = call("GET", f"/{kind}?name={name}", token=admin)
    items = body[kind]
    return items[0]["id"] if items else None

def ensure(kind, name, extra):
    found = find(kind, name)
    if found:
        return found
    _, body = call("POST", f"/{kind}", {kind[:-1]: {"name": name, **extra}}, token=admin)
    return body[kind[:-1]]["id"]

roles = {r: ensure("roles", r, {}) for r in ("admin", "member", "reader", "service")}
projects = {p: ensure("projects", p, {"domain_id": "default"}) for p in ("alpha", "beta", "gamma", "service")}
people = [("alice", "alpha", ["member"]), ("bob", "beta", ["member"]), ("carol", "alpha", ["reader"]),
          ("dave", "gamma", ["member"]),
          ("glance", "service", ["service", "admin"])]
for user, project, granted in people:
    uid = ensure("users", user, {"domain_id": "default", "password": user + "pw"})
    for role in granted:
        call("PUT", f"/projects/{projects[project]}/users/{uid}/roles/{roles[role]}", token=admin)
if image_url:
    _, body = call("GET", "/services?type=image", token=admin)
    sid = body["services"][0]["id"] if body["services"] else None
    if sid is None:
        _, body = call("POST", "/services", {"service": {"name": "glance", "type": "image"}}, token=admin)
        sid = body["service"]["id"]
    _, body = call("GET", f"/endpoints?service_id={sid}", token=admin)
    for e in body["endpoints"]:
        call("DELETE", f"/endpoints/{e['id']}", token=admin)
    for interface in ("public", "internal", "admin"):
        call("POST", "/endpoints", {"endpoint": {"service_id": sid, "interface": interface, "url": image_url,
                                                 "region_id": "RegionOne"}}, token=admin)
PY
  echo "$url"
}

down() {
  stop_recorded "$D/run/keystone.pid"
  rm -rf "$D"
}

case "$cmd" in
  up) undo_on_failure down; up ;;
  down) down ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
