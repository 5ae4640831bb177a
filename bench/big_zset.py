#!/usr/bin/env python3
"""Large (skiplist-encoded) sorted sets, tandem against the real redis-server in the same run.

1. Memory: a fresh server loads one zset of MEMBERS members ("member:<i>", 12-digit i, random
   scores) through `redis-cli --pipe`; the table shows INFO used_memory and RSS growth per
   member.
2. Throughput (redis-benchmark -P 16 -c 50, requests per second, median of ROUNDS rounds,
   each round running every load on every server in turn):
   `-t zadd,zpopmin -r 1000000` (ZADD of random members, then ZPOPMIN), and against a
   100k-member zset "z100k" (member:<i> scored i) ZRANGEBYSCORE <random> +inf LIMIT 0 10,
   ZRANK of a random member and ZINCRBY of a random member.

    python3 bench/big_zset.py
    TANDEM_BEFORE=/path/to/old/tandem-server python3 bench/big_zset.py   # adds a column

Environment: MEMBERS (default 1000000), ROUNDS (default 3), REQUESTS (per run, default
1000000), TANDEM_SERVER, TANDEM_BEFORE.
"""
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replication  # noqa: E402
from replication import HOST, Server, cli, info, median, require_tools  # noqa: E402

MEMBERS = int(os.environ.get("MEMBERS", "1000000"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
REQUESTS = int(os.environ.get("REQUESTS", "1000000"))


def resp(*args):
    out = [f"*{len(args)}\r\n".encode()]
    for a in args:
        a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def pipe(port, commands):
    subprocess.run(["redis-cli", "-h", HOST, "-p", str(port), "--pipe"], input=commands,
                   stdout=subprocess.DEVNULL, check=True)


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def memory(server):
    rng = random.Random(1)
    used0, rss0 = int(info(server.port, "memory")["used_memory"]), rss_bytes(server.process.pid)
    batch = []
    for start in range(0, MEMBERS, 100):
        args = []
        for i in range(start, min(MEMBERS, start + 100)):
            args += [rng.randrange(10**9), f"member:{i:012d}"]
        batch.append(resp("ZADD", "big", *args))
    pipe(server.port, b"".join(batch))
    assert cli(server.port, "ZCARD", "big") == str(MEMBERS)
    used = int(info(server.port, "memory")["used_memory"]) - used0
    rss = rss_bytes(server.process.pid) - rss0
    return used / MEMBERS, rss / MEMBERS


def bench(port, *args):
    out = subprocess.run(["redis-benchmark", "-h", HOST, "-p", str(port), "-P", "16", "-c", "50",
                          "-n", str(REQUESTS), "--csv", "-q", *map(str, args)],
                         capture_output=True, text=True, check=True).stdout
    rates = {}
    for line in out.strip().splitlines()[1:]:
        fields = [f.strip('"') for f in line.split(",")]
        rates[fields[0].split()[0]] = float(fields[1])
    return rates


LOADS = [
    ("ZADD", ("-t", "zadd", "-r", "1000000")),
    ("ZPOPMIN", ("-t", "zpopmin", "-r", "1000000")),
    ("ZRANGEBYSCORE", ("-r", "100000", "ZRANGEBYSCORE", "z100k", "__rand_int__", "+inf",
                       "LIMIT", "0", "10")),
    ("ZRANK", ("-r", "100000", "ZRANK", "z100k", "member:__rand_int__")),
    ("ZINCRBY", ("-r", "100000", "ZINCRBY", "z100k", "1", "member:__rand_int__")),
]


def fill_small(server):
    pipe(server.port, b"".join(
        resp("ZADD", "z100k", *[x for i in range(s, s + 1000) for x in (i, f"member:{i:012d}")])
        for s in range(0, 100000, 1000)))


def one_round(server, rates):
    cli(server.port, "DEL", "myzset")  # -t zadd,zpopmin's key
    for name, args in LOADS:
        got = bench(server.port, *args)
        rates.setdefault(name, []).append(next(iter(got.values())))


def main():
    require_tools()
    work = tempfile.mkdtemp(prefix="big-zset-")
    kinds = []
    if os.environ.get("TANDEM_BEFORE"):
        kinds.append(("tandem (before)", os.environ["TANDEM_BEFORE"]))
    kinds += [("tandem", replication.TANDEM), ("redis", None)]
    servers, mem, rates = {}, {}, {}
    try:
        for label, binary in kinds:
            if binary:
                replication.TANDEM = binary
            servers[label] = Server("tandem" if binary else "redis", work)
            mem[label] = memory(servers[label])
            fill_small(servers[label])
        # Rounds alternate between the servers, so drifting load on the machine hits all alike.
        for _ in range(ROUNDS):
            for label, server in servers.items():
                one_round(server, rates.setdefault(label, {}))
    finally:
        for server in servers.values():
            server.stop()
    med = {label: {n: median(v) for n, v in r.items()} for label, r in rates.items()}
    print(f"{MEMBERS}-member zset, bytes per member (ratio to Redis)")
    print(f"{'server':<18}{'used_memory':>18}{'RSS':>18}")
    for label, (used, rss) in mem.items():
        print(f"{label:<18}{used:>10.1f} ({used / mem['redis'][0]:.2f}){rss:>10.1f} "
              f"({rss / mem['redis'][1]:.2f})")
    print(f"\nredis-benchmark -P 16, requests/s (median of {ROUNDS}; ratio to Redis)")
    print(f"{'server':<18}" + "".join(f"{name:>22}" for name, _ in LOADS))
    for label, r in med.items():
        print(f"{label:<18}" + "".join(
            f"{r[n]:>14.0f} ({r[n] / med['redis'][n]:.2f})" for n, _ in LOADS))


if __name__ == "__main__":
    main()
