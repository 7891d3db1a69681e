# Helpers the benchmark scripts share (sourced, not run).

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Seconds a command takes, its output discarded.
secs() { python3 -c "import sys,time,subprocess;t=time.perf_counter();subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL);print(f'{time.perf_counter()-t:.3f}')" "$@"; }

# Starts a node with the config dir $OUT/etc and the given feature file on a free port, data under
# $OUT/data; sets node_pid and URL once it is ready.
start_node() {
  local port; port=$(free_port)
  "$HOME_DIR/xloud" run --port "$port" --data-dir "$OUT/data" --config-dir "$OUT/etc" \
    --features "$1" > "$OUT/node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 600); do grep -aq "ready on http:" "$OUT/node.log" && break; sleep 0.2; done
  URL="http://127.0.0.1:$port"
}

# Creates a raw image named $1 and prints its id.
create_image() {
  curl -sf -X POST "$URL/v2/images" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])'
}

# Seconds a command takes (like secs), recording meanwhile where the machine's CPU went
# (bench/cpu.py) as one line labelled $1 in $CPU_LOG.
timed() { local label=$1; shift; python3 "$BENCH/cpu.py" "$label" "$@" | sed -E 's/^.* wall=([0-9.]+) .*$/\1/'; }

# The lines of $CPU_LOG as Markdown table rows: what ran, wall time, CPU seconds of the machine
# (of 2 x wall on two cores) and of each process that used more than 0.05 s.
cpu_rows() {
  python3 - "$CPU_LOG" <<'PY'
import sys
for line in open(sys.argv[1]):
    label, rest = line.split(" wall=", 1)
    fields = dict(p.split("=", 1) for p in ("wall=" + rest).split())
    wall, machine = float(fields.pop("wall")), float(fields.pop("machine"))
    procs = ", ".join(f"{k} {v}" for k, v in fields.items())
    print(f"| {label} | {wall:.2f} s | {machine:.2f} of {2 * wall:.2f} | {procs} |")
PY
}

# One upload and download of $2 through the API into store $1, not measured: the node's code is
# compiled by the JIT before the measured runs, as it is in a node that has served for a while.
warm_up() {
  local id; id=$(create_image warm-up)
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' -H "X-Image-Meta-Store: $1" -T "$2" \
    "$URL/v2/images/$id/file"
  curl -sf -o /dev/null "$URL/v2/images/$id/file"
  curl -sf -X DELETE "$URL/v2/images/$id"
}

# The Markdown that follows a result table: the JDK's digest rates on one core of this machine
# (bench/DigestRate.java), what the upload's two digests cost per GiB, and the CPU table (cpu_rows).
cpu_section() {
  local md5 sha
  read -r md5 sha <<< "$(java "$BENCH/DigestRate.java" MD5 SHA-512 | awk '{printf "%s ", $2}')"
  cat <<MD
One core digests md5 at $md5 MiB/s and sha512 at $sha MiB/s (JDK, \`bench/DigestRate.java\`): the
two digests of an upload cost $(python3 -c "print(f'{1024/$md5 + 1024/$sha:.2f}')") CPU-s per GiB. CPU seconds while each ran (two cores: at
most 2 x wall; \`bench/cpu.py\`):

| what ran | wall | machine CPU-s | by process |
|---|---|---|---|
$(cpu_rows)
MD
}
