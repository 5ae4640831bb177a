#!/usr/bin/env bash
# Replication: full-sync time and write throughput with replicas attached, a tandem master
# against a redis-server master in the same run, each replicated to real redis-server replicas.
#
# Full sync: the master holds N string keys (DEBUG POPULATE); a redis-server replica starts
# with --replicaof and the time until its master_link_status is up is measured (diskless sync,
# no delay, on both masters). Throughput: redis-benchmark SET -P 16 against the master with 0,
# 1 and 2 replicas attached.
#
#   bench/replication.sh                # N=1000000, SETS=1000000
#   N=5000000 bench/replication.sh
#
# Environment: N (keys), SETS (benchmark requests), TANDEM_SERVER (default build/tandem-server).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-1000000}"
SETS="${SETS:-1000000}"
TANDEM="${TANDEM_SERVER:-$ROOT/build/tandem-server}"
HOST=127.0.0.1

for tool in redis-server redis-cli redis-benchmark python3; do
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
now() { date +%s.%N; }

# start BINARY PORT DIR [args...]: a server in the background, waiting until it answers PING.
start() {
  local binary=$1 port=$2 dir=$3
  shift 3
  mkdir -p "$dir"
  "$binary" --port "$port" --bind $HOST --dir "$dir" --save "" --appendonly no \
    --enable-debug-command yes --logfile "$dir/server.log" "$@" &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    [[ "$(redis-cli -h $HOST -p "$port" ping 2>/dev/null)" == PONG ]] && return 0
    sleep 0.1
  done
  echo "error: $binary did not start on $port" >&2
  exit 1
}

# wait_link PORT: until the replica on PORT finished its sync.
wait_link() {
  until redis-cli -h $HOST -p "$1" info replication | grep -q 'master_link_status:up'; do
    sleep 0.02
  done
}

set_rps() {
  redis-benchmark -h $HOST -p "$1" -t set -P 16 -n "$SETS" -r 1000000 -q 2>/dev/null |
    grep -o '[0-9.]* requests per second' | awk '{print $1}'
}

declare -A SYNC_S RPS0 RPS1 RPS2
for kind in tandem redis; do
  binary=redis-server
  [[ $kind == tandem ]] && binary=$TANDEM
  master=$(free_port)
  start "$binary" "$master" "$WORK/$kind-master" --repl-diskless-sync yes \
    --repl-diskless-sync-delay 0
  redis-cli -h $HOST -p "$master" debug populate "$N" >/dev/null
  RPS0[$kind]=$(set_rps "$master")
  replica1=$(free_port)
  begin=$(now)
  start redis-server "$replica1" "$WORK/$kind-replica1" --replicaof $HOST "$master"
  wait_link "$replica1"
  SYNC_S[$kind]=$(python3 -c "print(f'{$(now) - $begin:.3f}')")
  RPS1[$kind]=$(set_rps "$master")
  replica2=$(free_port)
  start redis-server "$replica2" "$WORK/$kind-replica2" --replicaof $HOST "$master"
  wait_link "$replica2"
  RPS2[$kind]=$(set_rps "$master")
  for port in "$replica2" "$replica1" "$master"; do
    redis-cli -h $HOST -p "$port" shutdown nosave >/dev/null 2>&1 || true
  done
  wait 2>/dev/null || true
  PIDS=()
done

printf 'N=%s keys, SET -P 16 x %s\n' "$N" "$SETS"
printf '%-8s %14s %16s %16s %16s\n' master "full sync (s)" "SET 0 replicas" "SET 1 replica" \
  "SET 2 replicas"
for kind in tandem redis; do
  printf '%-8s %14s %16s %16s %16s\n' "$kind" "${SYNC_S[$kind]}" "${RPS0[$kind]}" \
    "${RPS1[$kind]}" "${RPS2[$kind]}"
done
python3 -c "
t0, t2, r0, r2 = ${RPS0[tandem]}, ${RPS2[tandem]}, ${RPS0[redis]}, ${RPS2[redis]}
print(f'full sync tandem/redis: {${SYNC_S[tandem]} / ${SYNC_S[redis]}:.2f}')
print(f'throughput kept with 2 replicas: tandem {t2 / t0:.2f}, redis {r2 / r0:.2f}')"
