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
