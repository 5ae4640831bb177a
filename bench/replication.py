#!/usr/bin/env python3
"""Replication against the real redis-server, measured in the same run.

1. Full sync: a master (tandem, then Redis, alternating for ROUNDS rounds) holds KEYS keys of
   bench/dataset.py; an empty Redis 7.0 replica is pointed at it with REPLICAOF, and the time
   until the replica reports the link up with every key loaded is the full-sync time. The
   master's CPU seconds during the sync are shown too (with its reaped children: Redis's
   forked snapshot writer). Both disk-based
   (`repl-diskless-sync no`) and diskless (`yes`, delay 0) syncs are run.
2. Write throughput with 0, 1 and 2 Redis replicas attached: redis-benchmark SET -P 16 against
   the master; requests per second and the master's CPU microseconds per request (from
   /proc/PID/stat), and the throughput kept with replicas relative to none.

Medians over the rounds; ratios are tandem / Redis (below 1 is better for time and CPU).

    python3 bench/replication.py                 # KEYS=1000000, ROUNDS=3
    KEYS=1000000,5000000 python3 bench/replication.py
    KEYS=100000 ROUNDS=1 REQUESTS=200000 python3 bench/replication.py

Environment: KEYS (comma-separated dataset sizes), ROUNDS, REQUESTS (SET requests per
throughput run, default 1000000), TANDEM_SERVER (binary; default build/tandem-server).
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TANDEM = os.environ.get("TANDEM_SERVER", os.path.join(ROOT, "build", "tandem-server"))
KEYS = [int(k) for k in os.environ.get("KEYS", "1000000").split(",")]
ROUNDS = int(os.environ.get("ROUNDS", "3"))
REQUESTS = int(os.environ.get("REQUESTS", "1000000"))
HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cli(port, *args):
    return subprocess.run(["redis-cli", "-h", HOST, "-p", str(port), *map(str, args)],
                          capture_output=True, text=True, check=False).stdout.strip()


def info(port, section):
    fields = {}
    for line in cli(port, "INFO", section).splitlines():
        if ":" in line:
            name, value = line.split(":", 1)
            fields[name] = value
    return fields


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime + stime, plus cutime + cstime: Redis's forked snapshot child counts once reaped.
    return sum(int(x) for x in fields[11:15]) / CLK_TCK


class Server:
    def __init__(self, kind, work, *args):
        self.kind, self.port = kind, free_port()
        self.dir = tempfile.mkdtemp(dir=work, prefix=f"{kind}-")
        binary = TANDEM if kind == "tandem" else "redis-server"
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", HOST, "--dir", self.dir, "--save", "",
             "--appendonly", "no", *map(str, args)], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while cli(self.port, "PING") != "PONG":
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"error: {kind} did not start; see {self.dir}/server.log")
            time.sleep(0.05)

    def cpu(self):
        return cpu_seconds(self.process.pid)

    def stop(self):
        cli(self.port, "SHUTDOWN", "NOSAVE")
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_synced(replica, master, keys, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = info(replica.port, "replication")
        if (state.get("master_link_status") == "up" and state.get("master_sync_in_progress") == "0"
                and cli(replica.port, "DBSIZE") == str(keys)):
            return
        time.sleep(0.01)
    sys.exit(f"error: a replica of {master.kind} did not sync {keys} keys in {timeout} s")


def full_sync(kind, work, data, keys, diskless):
    master = Server(kind, work, "--repl-diskless-sync", "yes" if diskless else "no",
                    "--repl-diskless-sync-delay", 0)
    replica = None
    try:
        with open(data, "rb") as f:
            subprocess.run(["redis-cli", "-h", HOST, "-p", str(master.port), "--pipe"], stdin=f,
                           stdout=subprocess.DEVNULL, check=True)
        replica = Server("redis", work)
        cpu_before, start = master.cpu(), time.monotonic()
        cli(replica.port, "REPLICAOF", HOST, master.port)
        wait_synced(replica, master, keys)
        return time.monotonic() - start, master.cpu() - cpu_before
    finally:
        if replica:
            replica.stop()
        master.stop()


def throughput(kind, work, replicas):
    master = Server(kind, work, "--repl-diskless-sync", "no")
    attached = []
    try:
        for _ in range(replicas):
            replica = Server("redis", work)
            cli(replica.port, "REPLICAOF", HOST, master.port)
            wait_synced(replica, master, 0)
            attached.append(replica)
        cpu_before = master.cpu()
        out = subprocess.run(
            ["redis-benchmark", "-h", HOST, "-p", str(master.port), "-t", "set", "-P", "16",
             "-c", "50", "-n", str(REQUESTS), "-r", "100000", "--csv", "-q"],
            capture_output=True, text=True, check=True).stdout
        cpu = master.cpu() - cpu_before
        rps = float(out.strip().splitlines()[-1].split(",")[1].strip('"'))
        return rps, cpu / REQUESTS * 1e6
    finally:
        for replica in attached:
            replica.stop()
        master.stop()


def require_tools():
    """Exits with a clear message when the Redis tools or our binary are missing."""
    for tool in ("redis-server", "redis-cli", "redis-benchmark"):
        if not shutil.which(tool):
            sys.exit(f"error: {tool} not found")
    if not os.access(TANDEM, os.X_OK):
        sys.exit(f"error: {TANDEM} not built (cmake --build build)")


def median(values):
    return statistics.median(values)


def main():
    require_tools()
    work = tempfile.mkdtemp(prefix="tandem-repl-bench-")
    try:
        print(f"full sync to a Redis replica, median of {ROUNDS} rounds")
        print(f"{'keys':>9} {'mode':<9} {'tandem s':>9} {'redis s':>9} {'ratio':>6}"
              f" {'tandem cpu':>11} {'redis cpu':>10} {'ratio':>6}")
        for keys in KEYS:
            data = os.path.join(work, f"data-{keys}.resp")
            with open(data, "wb") as f:
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "dataset.py"),
                                str(keys)], stdout=f, check=True)
            for diskless in (False, True):
                results = {"tandem": [], "redis": []}
                for _ in range(ROUNDS):
                    for kind in ("tandem", "redis"):
                        results[kind].append(full_sync(kind, work, data, keys, diskless))
                t = {k: median([r[0] for r in v]) for k, v in results.items()}
                c = {k: median([r[1] for r in v]) for k, v in results.items()}
                print(f"{keys:>9} {'diskless' if diskless else 'disk':<9} {t['tandem']:>9.3f}"
                      f" {t['redis']:>9.3f} {t['tandem'] / t['redis']:>6.2f}"
                      f" {c['tandem']:>11.2f} {c['redis']:>10.2f}"
                      f" {c['tandem'] / max(c['redis'], 1e-9):>6.2f}", flush=True)
            os.unlink(data)

        print(f"\nSET -P 16, {REQUESTS} requests, 50 clients, median of {ROUNDS} rounds")
        print(f"{'replicas':>8} {'tandem rps':>11} {'redis rps':>10} {'ratio':>6}"
              f" {'tandem us/req':>14} {'redis us/req':>13} {'ratio':>6}")
        base = {}
        for replicas in (0, 1, 2):
            results = {"tandem": [], "redis": []}
            for _ in range(ROUNDS):
                for kind in ("tandem", "redis"):
                    results[kind].append(throughput(kind, work, replicas))
            rps = {k: median([r[0] for r in v]) for k, v in results.items()}
            cpu = {k: median([r[1] for r in v]) for k, v in results.items()}
            if replicas == 0:
                base = rps
            print(f"{replicas:>8} {rps['tandem']:>11.0f} {rps['redis']:>10.0f}"
                  f" {rps['tandem'] / rps['redis']:>6.2f} {cpu['tandem']:>14.3f}"
                  f" {cpu['redis']:>13.3f} {cpu['tandem'] / cpu['redis']:>6.2f}", flush=True)
        print(f"throughput kept with 2 replicas: tandem {rps['tandem'] / base['tandem']:.2f},"
              f" redis {rps['redis'] / base['redis']:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
