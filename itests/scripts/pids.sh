# Helpers the service scripts share (sourced, not run): processes by PID, Debian packages.

# True while process $1 exists and is not a zombie.
alive() { local s; s=$(awk '{print $3}' /proc/$1/stat 2>/dev/null) && [ "$s" != Z ]; }

# Sends TERM to the PIDs recorded in the given files (removing the files), waits up to 15 s for
# them to end, then kills what is left (with its process group).
stop_recorded() {
  local pids=() f p
  for f in "$@"; do [ -f "$f" ] || continue; p=$(cat "$f"); rm -f "$f"
    alive "$p" && kill -TERM "$p" && pids+=("$p"); done
  for _ in $(seq 1 150); do
    local any=0; for p in "${pids[@]}"; do alive "$p" && any=1; done
    [ $any = 0 ] && return 0; sleep 0.1; done
  for p in "${pids[@]}"; do alive "$p" && kill -KILL -- "-$p" 2>/dev/null; alive "$p" && kill -KILL "$p"; done
  return 0
}

# Runs the given command (the script's own down) when the script exits with a failure, so that an
# up failing half-way leaves no server running.
undo_on_failure() {
  # shellcheck disable=SC2064
  trap "rc=\$?; if [ \$rc -ne 0 ]; then $1 >/dev/null 2>&1 || true; fi; exit \$rc" EXIT
}

# Makes a failing command name itself: under `set -e` a command that fails without a word (its
# output sent to /dev/null, or a tool that exits silently) would otherwise end the script mutely.
report_failures() {
  set -o errtrace
  # shellcheck disable=SC2154
  trap 'rc=$?; echo "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed (exit $rc)" >&2' ERR
}

# Runs "$@" up to $1 times, 1 s apart, while it fails (cluster commands refused while a map settles);
# the last failure's output is shown.
retry() {
  local n=$1 i out; shift
  for i in $(seq 1 "$n"); do
    out=$("$@" 2>&1) && { [ -z "$out" ] || echo "$out"; return 0; }
    [ "$i" = "$n" ] || sleep 1
  done
  echo "$out" >&2; return 1
}

# A free port below the kernel's ephemeral range: ports are chosen before the servers start, and a
# port from that range could meanwhile become the source port of some outgoing connection.
free_port() { /usr/bin/python3 -c '
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(500):
    p = random.randint(10000, low - 1)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        print(p)
        break
    except OSError:
        pass
    finally:
        s.close()
'; }
