#!/usr/bin/env python3
"""The first write to a million-member collection while a BGSAVE holds it (issue 6).

Each server gets a hashtable set `bigset`, a hash `bighash` and a skiplist sorted set `bigzset`
of MEMBERS members each, then BGSAVE
with rdb-key-save-delay set high, so the save (tandem's snapshot thread, Redis's forked child)
still holds them. Then one SADD, one HSET (to an existing field), one SREM and one ZADD are
sent, one at a time, and for each the table prints:

- the round-trip time of that single command (ms);
- the server's extra memory because of it: the growth of private memory (Private_Clean +
  Private_Dirty from /proc/PID/smaps_rollup) of the server and, for Redis, its forked child
  (the copy-on-write pages the parent now owns alone), in KB;
- INFO used_memory's growth (KB; Redis's allocator does not see fork copy-on-write).

A copy of the whole collection costs tens of MB and a second or more; a copy-on-write of what
the write touches costs kilobytes (plus, on tandem, the directory of chunk pointers: 128 KB per
1M members) and about a millisecond. SREM comes after SADD on the same set, so it shows the cost
of a write once the set is no longer shared.

    python3 bench/collection_write.py
    TANDEM_BEFORE=/path/to/old/tandem-server python3 bench/collection_write.py   # adds a column

Environment: MEMBERS (default 1000000), TANDEM_SERVER, TANDEM_BEFORE.
"""
import os
import sys
import tempfile
import time

import redis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replication  # noqa: E402
from replication import HOST, Server, require_tools  # noqa: E402

MEMBERS = int(os.environ.get("MEMBERS", "1000000"))


def private_kb(pid):
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1])
    except FileNotFoundError:
        pass
    return total


def family_private_kb(pid):
    """The server's private memory plus its children's (Redis's RDB child)."""
    total = private_kb(pid)
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            total += sum(private_kb(int(child)) for child in f.read().split())
    return total


def fill(c):
    pipe = c.pipeline(transaction=False)
    for start in range(0, MEMBERS, 1000):
        members = [f"member:{i}" for i in range(start, start + 1000)]
        pipe.sadd("bigset", *members)
        pipe.hset("bighash", mapping={m: "value" for m in members})
        pipe.zadd("bigzset", {m: i for i, m in enumerate(members, start)})
        if len(pipe) >= 100:
            pipe.execute()
    pipe.execute()
    assert c.scard("bigset") == MEMBERS and c.hlen("bighash") == MEMBERS
    assert c.zcard("bigzset") == MEMBERS


def measure(server):
    c = redis.Redis(host=HOST, port=server.port)
    fill(c)
    c.config_set("rdb-key-save-delay", 10_000_000)  # 10 s per key: the save holds everything
    c.bgsave()
    time.sleep(0.5)
    results = {}
    for name, command in (("SADD", ("SADD", "bigset", "new-member")),
                          ("HSET", ("HSET", "bighash", "member:7", "changed")),
                          ("SREM", ("SREM", "bigset", "member:8")),
                          ("ZADD", ("ZADD", "bigzset", 1.5, "member:9"))):
        assert c.info("persistence")["rdb_bgsave_in_progress"] == 1
        mem_before, used_before = family_private_kb(server.process.pid), c.info("memory")["used_memory"]
        start = time.perf_counter()
        c.execute_command(*command)
        elapsed_ms = (time.perf_counter() - start) * 1000
        time.sleep(0.2)  # let RSS settle
        results[name] = (elapsed_ms, family_private_kb(server.process.pid) - mem_before,
                         (c.info("memory")["used_memory"] - used_before) / 1024)
    c.close()
    return results


def main():
    require_tools()
    work = tempfile.mkdtemp(prefix="collection-write-")
    kinds = []
    if os.environ.get("TANDEM_BEFORE"):
        kinds.append(("tandem (before)", os.environ["TANDEM_BEFORE"]))
    kinds += [("tandem", replication.TANDEM), ("redis", None)]
    rows = {}
    for label, binary in kinds:
        if binary:
            replication.TANDEM = binary
        server = Server("tandem" if binary else "redis", work)
        try:
            rows[label] = measure(server)
        finally:
            server.stop()
    print(f"first write to a {MEMBERS}-member collection during BGSAVE")
    print(f"{'server':<18}{'command':<9}{'time ms':>10}{'extra private KB':>18}{'used_memory KB':>16}")
    for label, results in rows.items():
        for name, (ms, private, used) in results.items():
            print(f"{label:<18}{name:<9}{ms:>10.3f}{private:>18}{used:>16.1f}")


if __name__ == "__main__":
    main()
