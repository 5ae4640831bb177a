#!/usr/bin/env python3
"""BGSAVE under a write load, tandem's in-process snapshot against Redis's fork, in the same run.

Each server (tandem, then Redis, alternating for ROUNDS rounds; one alive at a time) gets KEYS
keys of 200-byte incompressible values through `redis-cli --pipe`, no save points. The keys are
redis-benchmark's own (key:000000001234, which DEBUG POPULATE's key:1234 are not), so that the
write load overwrites existing values, as copy-on-write needs, rather than adding keys. The load,
redis-benchmark `-t set -r KEYS -d 200 -c 50` (no pipelining), runs for LOAD_SECONDS to measure
the baseline latency, then again while BGSAVE runs. Meanwhile a sampler reads every 10 ms the
server's RSS (for Redis plus the forked child's private pages from /proc/CHILD/smaps_rollup:
the fork shares the rest with the parent) and rdb_bgsave_in_progress. Printed for each:

- pause: the main thread's stop to start the snapshot, INFO stats latest_fork_usec (Redis: the
  fork; tandem: freezing the keyspace);
- save time: wall time from BGSAVE to rdb_bgsave_in_progress:0, and the server's CPU seconds
  meanwhile (with Redis's reaped child);
- peak memory during the save divided by the RSS just before it;
- the write load's p50/p99 before and during the save.

The load runs as back-to-back redis-benchmark runs of about 0.5 s each, whose latency
histograms ("Cumulative distribution of latencies", 0.1 ms buckets below 2 ms, 1 ms above)
are merged, so p50/p99 are bucket upper bounds; the last run during the save may outlast it by
up to 0.5 s.
Medians over the rounds; ratios are tandem / Redis; targets are issue 6's.

    python3 bench/snapshot.py                   # KEYS=5000000 (about 1 GB), ROUNDS=1
    KEYS=500000 LOAD_SECONDS=2 python3 bench/snapshot.py

Environment: KEYS, ROUNDS, LOAD_SECONDS (baseline load, default 3), TANDEM_SERVER (binary; default
build/tandem-server).
"""
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replication import (HOST, TANDEM, Server, cli, cpu_seconds, info, median,  # noqa: E402
                         require_tools)

KEYS = int(os.environ.get("KEYS", "5000000"))
ROUNDS = int(os.environ.get("ROUNDS", "1"))
LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "3"))
CHUNK_SECONDS = 0.5
SAMPLE_SECONDS = 0.01
PAGE = os.sysconf("SC_PAGE_SIZE")
LINE = re.compile(r"([\d.]+)% <= ([\d.]+) milliseconds \(cumulative count (\d+)\)")


def populate(port):
    """KEYS keys named as redis-benchmark -r names them, values cut from random bytes (so LZF
    does not shrink the RDB to nothing, as it would DEBUG POPULATE's or redis-benchmark's)."""
    pool = random.Random(6).randbytes(1 << 20)
    head = b"*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$200\r\n"
    pipe = subprocess.Popen(["redis-cli", "-h", HOST, "-p", str(port), "--pipe"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    for first in range(0, KEYS, 100000):
        offsets = ((i * 4099) % ((1 << 20) - 200) for i in range(first, min(first + 100000, KEYS)))
        pipe.stdin.write(b"".join(head % (first + n) + pool[o:o + 200] + b"\r\n"
                                  for n, o in enumerate(offsets)))
    pipe.stdin.close()
    if pipe.wait() != 0:
        sys.exit("error: redis-cli --pipe failed")


def rss(pid):
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE


def child_private(pid):
    """Private bytes of pid's children (Redis's forked saver): the copies made since the fork."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
    except OSError:
        return 0
    total = 0
    for child in children:
        try:
            with open(f"/proc/{child}/smaps_rollup") as f:
                for line in f:
                    if line.startswith(("Private_Dirty:", "Private_Clean:")):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass  # exited between the listing and the read
    return total


class Info:
    """One connection for INFO at 100 Hz: a redis-cli per sample would load the 2 shared cores."""

    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port))

    def persistence(self):
        self.sock.sendall(b"*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n")
        data = b""
        while b"\r\n" not in data:
            data += self.sock.recv(65536)
        header, data = data.split(b"\r\n", 1)
        length = int(header[1:])
        while len(data) < length + 2:
            data += self.sock.recv(65536)
        return dict(line.split(":", 1) for line in data[:length].decode().splitlines()
                    if ":" in line)

    def close(self):
        self.sock.close()


class Load:
    """Back-to-back redis-benchmark SET runs, their latency histograms merged."""

    def __init__(self, port):
        self.port, self.buckets, self.requests, self.seconds = port, {}, 0, 0.0
        self.chunk = 20000  # the first run calibrates the size of the later ones

    def run_once(self):
        start = time.monotonic()
        out = subprocess.run(
            ["redis-benchmark", "-h", HOST, "-p", str(self.port), "-t", "set", "-r", str(KEYS),
             "-d", "200", "-c", "50", "-n", str(self.chunk)],
            capture_output=True, text=True, check=True).stdout
        elapsed = time.monotonic() - start
        section = out[out.index("Cumulative distribution of latencies:"):out.index("Summary:")]
        previous = 0
        for _, bound, count in LINE.findall(section):
            count = int(count)
            self.buckets[float(bound)] = self.buckets.get(float(bound), 0) + count - previous
            previous = count
        self.requests += self.chunk
        self.seconds += elapsed
        self.chunk = max(1000, int(self.chunk / elapsed * CHUNK_SECONDS))

    def percentile(self, p):
        total, seen = sum(self.buckets.values()), 0
        for bound in sorted(self.buckets):
            seen += self.buckets[bound]
            if seen >= p / 100 * total:
                return bound
        return float("nan")


def one_round(kind, work):
    server = Server(kind, work)
    try:
        populate(server.port)
        if cli(server.port, "DBSIZE") != str(KEYS):
            sys.exit(f"error: {kind} holds {cli(server.port, 'DBSIZE')} keys, not {KEYS}")
        pid = server.process.pid
        baseline = Load(server.port)
        start = time.monotonic()
        while time.monotonic() - start < LOAD_SECONDS:
            baseline.run_once()
        during = Load(server.port)
        during.chunk = baseline.chunk
        conn = Info(server.port)
        rss_before, cpu_before = rss(pid), cpu_seconds(pid)
        state = {"peak": rss_before, "done": False, "end": None}

        def sample():
            while not state["done"]:
                memory = rss(pid) + (child_private(pid) if kind == "redis" else 0)
                state["peak"] = max(state["peak"], memory)
                if conn.persistence().get("rdb_bgsave_in_progress") == "0":
                    state["end"] = time.monotonic()
                    state["done"] = True
                time.sleep(SAMPLE_SECONDS)

        def load():
            while not state["done"]:
                during.run_once()

        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(0.2)  # the load is up when the snapshot starts, so its pause is felt
        reply = cli(server.port, "BGSAVE")
        started = time.monotonic()
        if "started" not in reply:
            state["done"] = True
            loader.join()
            sys.exit(f"error: {kind} BGSAVE answered {reply!r}")
        sampler = threading.Thread(target=sample)
        sampler.start()
        sampler.join()
        loader.join()
        cpu = cpu_seconds(pid) - cpu_before
        conn.close()
        persistence = info(server.port, "persistence")
        if persistence.get("rdb_last_bgsave_status") != "ok":
            sys.exit(f"error: {kind} BGSAVE failed; see {server.dir}/server.log")
        return {
            "pause_ms": int(info(server.port, "stats")["latest_fork_usec"]) / 1000,
            "save_s": state["end"] - started,
            "save_cpu_s": cpu,
            "rss_before_mb": rss_before / 2**20,
            "peak_mb": state["peak"] / 2**20,
            "peak_ratio": state["peak"] / rss_before,
            "p50_before": baseline.percentile(50),
            "p50_during": during.percentile(50),
            "p99_before": baseline.percentile(99),
            "p99_during": during.percentile(99),
            "p99_ratio": during.percentile(99) / baseline.percentile(99),
            "rps_before": baseline.requests / baseline.seconds,
            "rps_during": during.requests / during.seconds,
        }
    finally:
        server.stop()


ROWS = [
    ("pause_ms", "pause to start (ms)", ".3f"),
    ("save_s", "save time (s)", ".2f"),
    ("save_cpu_s", "server CPU during save (s)", ".2f"),
    ("rss_before_mb", "RSS before (MB)", ".0f"),
    ("peak_mb", "peak memory during (MB)", ".0f"),
    ("peak_ratio", "peak / RSS before", ".2f"),
    ("rps_before", "SET rps before", ".0f"),
    ("rps_during", "SET rps during", ".0f"),
    ("p50_before", "SET p50 before (ms)", ".3f"),
    ("p50_during", "SET p50 during (ms)", ".3f"),
    ("p99_before", "SET p99 before (ms)", ".3f"),
    ("p99_during", "SET p99 during (ms)", ".3f"),
    ("p99_ratio", "p99 during / before", ".2f"),
]


def main():
    require_tools()
    work = tempfile.mkdtemp(prefix="tandem-snapshot-bench-")
    try:
        results = {"tandem": [], "redis": []}
        for _ in range(ROUNDS):
            for kind in ("tandem", "redis"):
                results[kind].append(one_round(kind, work))
        m = {kind: {key: median([r[key] for r in runs]) for key in runs[0]}
             for kind, runs in results.items()}
        print(f"BGSAVE of {KEYS} keys of 200 bytes under redis-benchmark SET -c 50,"
              f" median of {ROUNDS} rounds")
        print(f"{'':<28} {'tandem':>10} {'redis':>10} {'ratio':>6}")
        for key, label, fmt in ROWS:
            t, r = m["tandem"][key], m["redis"][key]
            print(f"{label:<28} {t:>10{fmt}} {r:>10{fmt}} {t / r if r else float('inf'):>6.2f}")
        t, r = m["tandem"], m["redis"]
        shorter = r["pause_ms"] / t["pause_ms"] if t["pause_ms"] else float("inf")
        print("targets (issue 6):")
        print(f"  pause >= 10x shorter than Redis's fork: {shorter:.1f}x"
              f" {'ok' if shorter >= 10 else 'MISSED'}")
        per_million = t["pause_ms"] / (KEYS / 1e6)
        print(f"  pause <= 1 ms per million keys: {per_million:.2f} ms"
              f" {'ok' if per_million <= 1 else 'MISSED'}")
        print(f"  peak memory <= 1.3x RSS before: {t['peak_ratio']:.2f}x"
              f" {'ok' if t['peak_ratio'] <= 1.3 else 'MISSED'} (redis {r['peak_ratio']:.2f}x)")
        print(f"  p99 during <= 2x p99 before: {t['p99_ratio']:.2f}x"
              f" {'ok' if t['p99_ratio'] <= 2 else 'MISSED'} (redis {r['p99_ratio']:.2f}x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
