#!/usr/bin/env bash
# A real Barbican (Debian's barbican-api under uwsgi, sqlite, simple_crypto) on 127.0.0.1 for the
# signature tests, behind the Keystone of keystone.sh, everything under $BARBICAN_DIR, stopped by
# its recorded PID.
#   barbican.sh up        BARBICAN_DIR, BARBICAN_PORT (a free port), KS_URL (Keystone's auth URL,
#                         as keystone.sh up printed it) -> a running Barbican registered in
#                         Keystone's catalog as key-manager; prints its URL
#   barbican.sh down      stops it and deletes BARBICAN_DIR
set -euo pipefail
cmd=${1:-}
D=${BARBICAN_DIR:-/tmp/xloud-barbican}
PY=/usr/bin/python3
# shellcheck source=pids.sh
. "$(dirname "$0")/pids.sh"


up() {
  : "${BARBICAN_PORT:?BARBICAN_PORT is required}" "${KS_URL:?KS_URL is required}"
  local url="http://127.0.0.1:$BARBICAN_PORT"
  mkdir -p "$D"/{run,log}
  # Keystone: the barbican service user, the key-manager service and its endpoints
  $PY "$(dirname "$0")/keystone_service.py" "$KS_URL" barbican barbicanpw barbican key-manager "$url"
  local kek; kek=$($PY -c 'import base64,os;print(base64.b64encode(os.urandom(32)).decode())')
  cat > "$D/barbican.conf" <<EOF
[DEFAULT]
host_href = $url
sql_connection = sqlite:///$D/barbican.sqlite
db_auto_create = true
log_file = $D/log/barbican.log
[secretstore]
enabled_secretstore_plugins = store_crypto
[crypto]
enabled_crypto_plugins = simple_crypto
[simple_crypto_plugin]
kek = $kek
[keystone_authtoken]
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = barbican
password = barbicanpw
service_token_roles_required = true
[keystone_notifications]
enable = false
[oslo_policy]
enforce_scope = false
enforce_new_defaults = true
EOF
  cp /etc/barbican/barbican-api-paste.ini "$D/barbican-api-paste.ini"
  cat > "$D/barbican-wsgi.py" <<'EOF'
import os
from barbican.common import config
config.CONF(args=[], project='barbican', default_config_files=[os.environ['BARBICAN_CONF']])
from paste import deploy
application = deploy.loadapp('config:' + os.environ['BARBICAN_PASTE'])
EOF
  setsid uwsgi --plugins python3 --http11-socket "127.0.0.1:$BARBICAN_PORT" --wsgi-file "$D/barbican-wsgi.py" \
    --master --processes 1 --threads 4 --enable-threads --lazy-apps --die-on-term --no-orphans --buffer-size 65535 \
    --env "BARBICAN_CONF=$D/barbican.conf" --env "BARBICAN_PASTE=$D/barbican-api-paste.ini" \
    --logto "$D/log/uwsgi.log" >/dev/null 2>&1 &
  echo $! > "$D/run/barbican.pid"
  for _ in $(seq 1 600); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/" || true)
    [ "$code" = 300 ] && break
    alive "$(cat "$D/run/barbican.pid")" || { tail -30 "$D/log/uwsgi.log" >&2; exit 1; }
    sleep 0.1
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/")" = 300 ] || { tail -30 "$D/log/uwsgi.log" >&2; exit 1; }
  echo "$url"
}

down() {
  stop_recorded "$D/run/barbican.pid"
  rm -rf "$D"
}

case "$cmd" in
  up) undo_on_failure down; up ;;
  down) down ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
