#!/usr/bin/env bash
# Horizon (Debian's openstack-dashboard) on 127.0.0.1 for the browser tests, under Django's own
# server: its settings are a module of our own in $HZ_DIR that imports the package's and changes
# what the test needs, so nothing of the package's configuration is touched.
#   horizon.sh up     HZ_DIR, HZ_PORT (a free port), KS_URL (a Keystone of keystone.sh, whose
#                     catalog names the image service), HZ_ANGULAR_IMAGES (true: the default
#                     Angular images panel; false: the older Django one) -> a running Horizon;
#                     prints its URL
#   horizon.sh down   stops it and deletes HZ_DIR
set -euo pipefail
cmd=${1:-}
D=${HZ_DIR:-/tmp/xloud-horizon}
PY=/usr/bin/python3
# shellcheck source=pids.sh
. "$(dirname "$0")/pids.sh"

up() {
  : "${HZ_PORT:?HZ_PORT is required}" "${KS_URL:?KS_URL is required}"
  local angular=False
  [ "${HZ_ANGULAR_IMAGES:-true}" = true ] && angular=True
  mkdir -p "$D/run" "$D/settings"
  cat > "$D/settings/xloud_horizon_settings.py" <<EOF
from openstack_dashboard.settings import *  # noqa: F401,F403
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
DEBUG = False
OPENSTACK_HOST = '127.0.0.1'
OPENSTACK_KEYSTONE_URL = '$KS_URL'
OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = False
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = 'Default'
# no database, no memcached: sessions in signed cookies, a cache in the process
SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'
CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}
SECRET_KEY = '$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')'
# uploads go through Horizon, as most deployments run it (no CORS to the image API)
HORIZON_IMAGES_UPLOAD_MODE = 'legacy'
API_RESULT_PAGE_SIZE = 5
ANGULAR_FEATURES = dict(ANGULAR_FEATURES, images_panel=$angular)
EOF
  (cd /usr/share/openstack-dashboard && PYTHONPATH="$D/settings:/usr/share/openstack-dashboard" \
     exec setsid $PY manage.py runserver "127.0.0.1:$HZ_PORT" --insecure --noreload \
     --settings=xloud_horizon_settings >"$D/horizon.log" 2>&1) & echo $! > "$D/run/horizon.pid"
  for _ in $(seq 1 600); do
    if curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$HZ_PORT/auth/login/"; then
      echo "http://127.0.0.1:$HZ_PORT"
      return 0
    fi
    alive "$(cat "$D/run/horizon.pid")" || { tail -30 "$D/horizon.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "Horizon did not answer on port $HZ_PORT" >&2
  tail -30 "$D/horizon.log" >&2
  exit 1
}

down() {
  stop_recorded "$D/run/horizon.pid"
  rm -rf "$D"
}

case "$cmd" in
  up) undo_on_failure down; up ;;
  down) down ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
