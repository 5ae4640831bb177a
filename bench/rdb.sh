#!/usr/bin/env bash
# RDB save and load time and file size, tandem against the real redis-server in the same run.
#
# Both servers get the same dataset of N keys of mixed types (bench/dataset.py), loaded through
# `redis-cli --pipe`. Each then runs SAVE (timed by the client), and is restarted on its file:
# the load time is the one the server logs ("DB loaded from disk: X seconds").
#
#   bench/rdb.sh            # N=1000000
#   N=100000 bench/rdb.sh
#
# Environment: N (keys), TANDEM_SERVER (binary; default build/tandem-server).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-1000000}"
TANDEM="${TANDEM_SERVER:-$ROOT/build/tandem-server}"
HOST=127.0.0.1

for tool in redis-server redis-cli python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done
[[ -x "$TANDEM" ]] || { echo "error: $TANDEM not built (cmake --build build)" >&2; exit 1; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

python3 "$ROOT/bench/dataset.py" "$N" >"$WORK/data.resp"

# start KIND PORT DIR: the server in the background, waiting until it answers PING.
start() {
  local kind=$1 port=$2 dir=$3 binary=redis-server
  [[ $kind == tandem ]] && binary=$TANDEM
  "$binary" --port "$port" --bind $HOST --dir "$dir" --save "" --appendonly no \
    --logfile "$dir/server.log" &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    [[ "$(redis-cli -h $HOST -p "$port" ping 2>/dev/null)" == PONG ]] && return 0
    sleep 0.1
  done
  echo "error: $kind did not start" >&2
  exit 1
}

declare -A SAVE_S LOAD_S SIZE
for kind in tandem redis; do
  dir="$WORK/$kind"
  mkdir -p "$dir"
  port=$(free_port)
  start "$kind" "$port" "$dir"
  redis-cli -h $HOST -p "$port" --pipe <"$WORK/data.resp" >/dev/null
  begin=$(date +%s.%N)
  redis-cli -h $HOST -p "$port" save >/dev/null
  end=$(date +%s.%N)
  SAVE_S[$kind]=$(python3 -c "print(f'{$end - $begin:.3f}')")
  SIZE[$kind]=$(stat -c %s "$dir/dump.rdb")
  redis-cli -h $HOST -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "${PIDS[-1]}" 2>/dev/null || true
  start "$kind" "$port" "$dir"
  LOAD_S[$kind]=$(grep -o 'DB loaded from disk: [0-9.]*' "$dir/server.log" | tail -1 | awk '{print $5}')
  redis-cli -h $HOST -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "${PIDS[-1]}" 2>/dev/null || true
done

printf '%-8s %12s %12s %14s\n' server "save (s)" "load (s)" "file (bytes)"
for kind in tandem redis; do
  printf '%-8s %12s %12s %14s\n' "$kind" "${SAVE_S[$kind]}" "${LOAD_S[$kind]}" "${SIZE[$kind]}"
done
python3 -c "print(f'file size tandem/redis: {${SIZE[tandem]} / ${SIZE[redis]}:.3f}')"
