#!/usr/bin/env bash
# A tiny real Ceph cluster for the RBD store tests: 1 mon + 1 OSD (memstore) on 127.0.0.1, cephx on,
# pool "images", everything under $CEPH_DIR, daemons stopped by their recorded PIDs.
#   ceph.sh up        CEPH_DIR, CEPH_MON_V2_PORT, CEPH_MON_V1_PORT (free ports) -> cluster; prints the conf path
#   ceph.sh down      stops the daemons of CEPH_DIR and deletes it
set -euo pipefail
cmd=${1:-}
D=${CEPH_DIR:-/tmp/xloud-ceph}
# shellcheck source=pids.sh
. "$(dirname "$0")/pids.sh"


up() {
  local V2=${CEPH_MON_V2_PORT:?} V1=${CEPH_MON_V1_PORT:?}
  for p in $V2 $V1; do
    if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p already in use" >&2; exit 1; fi
  done
  rm -rf "$D"; mkdir -p "$D"/{run,log,mon/a,osd/0}
  local FSID; FSID=$(uuidgen)
  cat > "$D/ceph.conf" <<EOF
[global]
fsid = $FSID
mon_host = [v2:127.0.0.1:$V2,v1:127.0.0.1:$V1]
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
auth_allow_insecure_global_id_reclaim = false
keyring = $D/ceph.\$name.keyring
run_dir = $D/run
admin_socket = $D/run/\$cluster-\$name.asok
pid_file = $D/run/\$cluster-\$name.pid
log_file = $D/log/\$cluster-\$name.log
crash_dir = $D/log/crash
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_warn_on_pool_no_redundancy = false
# the mon refuses to start when the host disk is nearly full; its data here is a few MB (the OSD is memstore)
mon_data_avail_warn = 1
mon_data_avail_crit = 0
paxos_propose_interval = 0.05
[client]
admin_socket =
client_mount_timeout = 30
rados_mon_op_timeout = 30
rados_osd_op_timeout = 60
[mon]
mon_data = $D/mon/\$id
mon_cluster_log_file = $D/log/\$cluster.log
[osd]
osd_data = $D/osd/\$id
osd_objectstore = memstore
memstore_device_bytes = ${CEPH_MEMSTORE_BYTES:-4294967296}
osd_memory_target = 1073741824
EOF
  export CEPH_CONF="$D/ceph.conf"
  ceph-authtool --create-keyring "$D/ceph.mon.a.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$D/ceph.client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$D/ceph.mon.a.keyring" --import-keyring "$D/ceph.client.admin.keyring" >/dev/null
  monmaptool --create --clobber --fsid "$FSID" --addv a "[v2:127.0.0.1:$V2,v1:127.0.0.1:$V1]" "$D/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$D/monmap" --keyring "$D/ceph.mon.a.keyring"
  ceph-mon -f -i a >>"$D/log/mon.a.out" 2>&1 & echo $! > "$D/run/mon.a.pidfg"
  local quorum=0
  for _ in $(seq 1 150); do ceph --connect-timeout 5 mon stat >/dev/null 2>&1 && { quorum=1; break; }
    alive "$(cat "$D/run/mon.a.pidfg")" || { tail -5 "$D/log/mon.a.out" >&2; exit 1; }; sleep 0.2; done
  [ $quorum = 1 ] || { echo "mon.a does not answer" >&2; tail -5 "$D/log/ceph-mon.a.log" >&2; exit 1; }
  local OSD_UUID OSD_KEY ID
  OSD_UUID=$(uuidgen); OSD_KEY=$(ceph-authtool --gen-print-key)
  echo "{\"cephx_secret\": \"$OSD_KEY\"}" > "$D/osd/new.json"
  ID=$(ceph osd new "$OSD_UUID" -i "$D/osd/new.json")
  printf '[osd.%s]\n\tkey = %s\n' "$ID" "$OSD_KEY" > "$D/ceph.osd.$ID.keyring"
  ceph-osd -i "$ID" --mkfs --osd-uuid "$OSD_UUID" >"$D/log/osd-mkfs.out" 2>&1
  ceph-osd -f -i "$ID" >>"$D/log/osd.$ID.out" 2>&1 & echo $! > "$D/run/osd.$ID.pidfg"
  local up=0
  for _ in $(seq 1 300); do ceph osd dump 2>/dev/null | grep -q "^osd.$ID up" && { up=1; break; }
    alive "$(cat "$D/run/osd.$ID.pidfg")" || { tail -5 "$D/log/ceph-osd.$ID.log" >&2; exit 1; }; sleep 0.2; done
  [ $up = 1 ] || { echo "osd.$ID is not up after 60 s" >&2; tail -5 "$D/log/ceph-osd.$ID.log" >&2; exit 1; }
  retry 10 ceph osd pool create images 8 8 >/dev/null
  retry 10 rbd pool init images
  echo probe | rados -p images put _probe - && rados -p images rm _probe
  echo "$D/ceph.conf"
}

down() {
  stop_recorded "$D"/run/osd.*.pidfg
  stop_recorded "$D"/run/mon.*.pidfg
  rm -rf "$D"
}

case "$cmd" in
  up) report_failures; undo_on_failure down; up ;;
  down) down ;;
  *) echo "usage: ceph.sh up|down" >&2; exit 2 ;;
esac
