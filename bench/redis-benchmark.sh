#!/usr/bin/env bash
# Throughput and CPU cost of tandem against the real redis-server, measured in the same run.
#
# Starts both servers on free loopback ports (no persistence), then runs redis-benchmark
# against each, one test per invocation so the server's CPU time read from /proc/PID/stat
# before and after belongs to that test alone. Servers alternate in every round (ROUNDS
# rounds) so drift on the machine affects both alike; the table shows medians.
#
# The default TESTS are redis-benchmark 7.0's whole default suite, in its order. Each mode
# (plain, pipelined) starts from an empty dataset and runs the tests in sequence, so LPOP pops
# what LPUSH pushed as in `redis-benchmark` without -t. An lrange_N invocation first fills the
# list with LPUSH (redis-benchmark does that itself); its CPU per request counts both parts.
#
#   bench/redis-benchmark.sh              # N=200000 requests per test, 3 rounds
#   N=50000 ROUNDS=1 bench/redis-benchmark.sh
#
# Environment: N (requests per test), ROUNDS, CLIENTS (default 50), PIPELINE (default 16),
# TESTS (redis-benchmark -t names, comma separated), TANDEM_SERVER (binary to run; default
# build/tandem-server, built with cmake if missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-200000}"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-50}"
PIPELINE="${PIPELINE:-16}"
TESTS="${TESTS:-ping_inline,ping_mbulk,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,lrange_300,lrange_500,lrange_600,mset}"
TANDEM="${TANDEM_SERVER:-$ROOT/build/tandem-server}"
HOST=127.0.0.1

for tool in redis-server redis-cli redis-benchmark python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done

if [[ ! -x "$TANDEM" ]]; then
  echo "building tandem-server..." >&2
  cmake -S "$ROOT" -B "$ROOT/build" -G Ninja >/dev/null
  cmake --build "$ROOT/build" --target tandem-server >&2
  TANDEM="$ROOT/build/tandem-server"
fi

WORK="$(mktemp -d /tmp/tandem-bench.XXXXXX)"
TANDEM_PID=""
REDIS_PID=""

stop_server() {  # pid port
  local pid="$1" port="$2"
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    redis-cli -h "$HOST" -p "$port" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop_server "$TANDEM_PID" "${TANDEM_PORT:-0}"
  stop_server "$REDIS_PID" "${REDIS_PORT:-0}"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_ping() {  # pid port name
  local pid="$1" port="$2" name="$3"
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name exited during startup:" >&2
      cat "$WORK/$name.log" >&2
      exit 1
    fi
    [[ "$(redis-cli -h "$HOST" -p "$port" PING 2>/dev/null)" == "PONG" ]] && return 0
    sleep 0.1
  done
  echo "error: $name did not answer PING on port $port" >&2
  exit 1
}

# Both servers get the same settings: loopback only, no RDB snapshots, no AOF.
COMMON_ARGS=(--bind "$HOST" --save "" --appendonly no)

TANDEM_PORT="$(free_port)"
mkdir -p "$WORK/tandem-dir" "$WORK/redis-dir"
"$TANDEM" --port "$TANDEM_PORT" --dir "$WORK/tandem-dir" "${COMMON_ARGS[@]}" \
  >"$WORK/tandem.log" 2>&1 &
TANDEM_PID=$!
wait_for_ping "$TANDEM_PID" "$TANDEM_PORT" tandem

REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --dir "$WORK/redis-dir" "${COMMON_ARGS[@]}" \
  >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
wait_for_ping "$REDIS_PID" "$REDIS_PORT" redis

CLK_TCK="$(getconf CLK_TCK)"

# utime + stime of every thread of the process, in clock ticks. The command name in field 2
# may hold spaces, so count the fields after its closing parenthesis.
cpu_ticks() {
  local stat
  stat="$(cat "/proc/$1/stat")"
  stat="${stat##*) }"
  awk '{ print $12 + $13 }' <<<"$stat"
}

RESULTS="$WORK/results.csv"
: >"$RESULTS"

run_one() {  # server mode test round
  local server="$1" mode="$2" test="$3" round="$4" port pid before after out rps
  if [[ "$server" == tandem ]]; then port="$TANDEM_PORT" pid="$TANDEM_PID"; else
    port="$REDIS_PORT" pid="$REDIS_PID"
  fi
  local pipeline_args=()
  [[ "$mode" == P* ]] && pipeline_args=(-P "$PIPELINE")
  before="$(cpu_ticks "$pid")"
  out="$(redis-benchmark -h "$HOST" -p "$port" --csv -q -n "$N" -c "$CLIENTS" -t "$test" \
    "${pipeline_args[@]}" 2>"$WORK/bench.err")" || {
    echo "error: redis-benchmark failed against $server ($test $mode):" >&2
    cat "$WORK/bench.err" >&2
    exit 1
  }
  after="$(cpu_ticks "$pid")"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "error: $server died during $test $mode; its log:" >&2
    tail -30 "$WORK/$server.log" >&2
    exit 1
  fi
  # The CSV's last line is the test's own ("TEST","rps",...); lrange_N has a fill line first.
  rps="$(tail -n 1 <<<"$out" | cut -d, -f2 | tr -d '"')"
  local requests=$N
  (( $(wc -l <<<"$out") > 2 )) && requests=$((N * 2))
  [[ -n "$rps" ]] || { echo "error: no result from redis-benchmark for $test: $out" >&2; exit 1; }
  echo "$server,$mode,$test,$round,$rps,$((after - before)),$requests" >>"$RESULTS"
  printf '  round %s %-6s %-5s %-12s %12s rps\n' "$round" "$server" "$mode" "$test" "$rps" >&2
}

IFS=, read -r -a TEST_LIST <<<"$TESTS"

# redis-benchmark counts error replies as answers: make sure tandem really runs each command.
declare -A PROBE=([ping_inline]="PING" [ping_mbulk]="PING" [set]="SET k v" [get]="GET k"
  [incr]="INCR counter" [mset]="MSET k1 v1 k2 v2" [lpush]="LPUSH l a" [rpush]="RPUSH l a"
  [lpop]="LPOP l" [rpop]="RPOP l" [sadd]="SADD s a" [hset]="HSET h f v" [spop]="SPOP s"
  [zadd]="ZADD z 1 a" [zpopmin]="ZPOPMIN z" [lrange_100]="LRANGE l 0 9")
for test in "${TEST_LIST[@]}"; do
  probe="${PROBE[${test,,}]:-}"
  [[ -n "$probe" ]] || continue
  # shellcheck disable=SC2086
  reply="$(redis-cli -h "$HOST" -p "$TANDEM_PORT" $probe 2>&1)"
  if [[ "$reply" == ERR* || "$reply" == *"unknown command"* ]]; then
    echo "warning: tandem answers '$probe' with: $reply (its numbers measure error replies)" >&2
  fi
done
REDIS_VERSION="$(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')"
echo "tandem $TANDEM (port $TANDEM_PORT) vs redis $REDIS_VERSION (port $REDIS_PORT)" >&2
echo "N=$N per test, $CLIENTS clients, $ROUNDS rounds, pipeline $PIPELINE" >&2
for round in $(seq "$ROUNDS"); do
  # Alternate which server goes first so slow drift does not favour one of them.
  if ((round % 2)); then order=(redis tandem); else order=(tandem redis); fi
  for mode in plain "P$PIPELINE"; do
    redis-cli -h "$HOST" -p "$TANDEM_PORT" FLUSHALL >/dev/null
    redis-cli -h "$HOST" -p "$REDIS_PORT" FLUSHALL >/dev/null
    for test in "${TEST_LIST[@]}"; do
      for server in "${order[@]}"; do
        run_one "$server" "$mode" "$test" "$round"
      done
    done
  done
done

python3 - "$RESULTS" "$N" "$CLK_TCK" "$TESTS" "P$PIPELINE" <<'EOF'
import csv
import statistics
import sys

path, n, clk_tck, tests, pipelined = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rps = {}
cpu = {}
for server, mode, test, _round, value, ticks, requests in csv.reader(open(path)):
    key = (server, mode, test)
    rps.setdefault(key, []).append(float(value))
    # Microseconds of server CPU per request.
    cpu.setdefault(key, []).append(int(ticks) / clk_tck * 1e6 / int(requests))

def ratio(a, b):
    return f"{a / b:.2f}" if b else "-"

header = ["test", "mode", "redis rps", "tandem rps", "rps ratio", "redis us/req", "tandem us/req",
          "cpu ratio"]
rows = []
for mode in ("plain", pipelined):
    for test in tests.split(","):
        r_rps = statistics.median(rps[("redis", mode, test)])
        t_rps = statistics.median(rps[("tandem", mode, test)])
        r_cpu = statistics.median(cpu[("redis", mode, test)])
        t_cpu = statistics.median(cpu[("tandem", mode, test)])
        rows.append([test, mode, f"{r_rps:.0f}", f"{t_rps:.0f}", ratio(t_rps, r_rps),
                     f"{r_cpu:.2f}", f"{t_cpu:.2f}", ratio(t_cpu, r_cpu)])
widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
def line(row):
    return "  ".join(str(cell).rjust(w) if i > 1 else str(cell).ljust(w)
                     for i, (cell, w) in enumerate(zip(row, widths)))
print(line(header))
print("  ".join("-" * w for w in widths))
for row in rows:
    print(line(row))
print(f"\nmedians of rounds; CPU = server utime+stime per request ({clk_tck} ticks/s, "
      "so short runs are coarse); rps ratio > 1 and cpu ratio < 1 favour tandem")
EOF
