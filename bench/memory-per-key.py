#!/usr/bin/env python3
"""Memory per key, tandem against the real redis-server, measured in the same run.

For each kind of small value it starts a fresh tandem and a fresh redis-server (same
settings, no persistence), loads KEYS keys of that kind into each through `redis-cli --pipe`,
and prints used_memory and RSS growth per key for both, with the ratio (< 1 favours tandem).

    bench/memory-per-key.py                 # 1,000,000 keys per kind
    KEYS=100000 bench/memory-per-key.py
Environment: KEYS, KINDS (comma separated subset of the names below), TANDEM_SERVER.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
KEYS = int(os.environ.get("KEYS", "1000000"))
TANDEM = os.environ.get("TANDEM_SERVER") or str(ROOT / "build" / "tandem-server")

# name -> (description, command builder for key i). Five small elements per collection, so
# every type sits in its compact encoding (intset/listpack/quicklist) in both servers, except
# the string set, which Redis 7.0 keeps as a hashtable.
KINDS = {
    "string": ("8-byte value", lambda i: ["SET", f"key:{i}", f"val:{i % 10000:04d}"]),
    "int": ("integer value", lambda i: ["SET", f"key:{i}", str(100000 + i)]),
    "list": ("5 elements", lambda i: ["RPUSH", f"list:{i}", "a", "bb", "ccc", "dddd", str(i)]),
    "hash": ("5 fields", lambda i: ["HSET", f"hash:{i}", "f1", "v1", "f2", "v2", "f3", "v3",
                                    "f4", "v4", "id", str(i)]),
    "intset": ("5 integers", lambda i: ["SADD", f"iset:{i}", "1", "2", "3", "4", str(i)]),
    "set": ("5 strings", lambda i: ["SADD", f"set:{i}", "a", "bb", "ccc", "dddd", f"m{i}"]),
    "zset": ("5 members", lambda i: ["ZADD", f"zset:{i}", "1", "a", "2", "bb", "3", "ccc",
                                     "4.5", "dddd", str(i), "m"]),
}


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def encode(args):
    out = [f"*{len(args)}\r\n".encode()]
    for a in args:
        b = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def cli(port, *args):
    return subprocess.run(["redis-cli", "-h", HOST, "-p", str(port), *args], check=True,
                          capture_output=True, text=True).stdout


def info_field(port, field):
    for line in cli(port, "INFO", "memory").splitlines():
        if line.startswith(field + ":"):
            return int(line.split(":", 1)[1])
    raise RuntimeError(f"no {field} in INFO memory")


def rss_bytes(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def start(binary, workdir):
    port = free_port()
    os.makedirs(workdir, exist_ok=True)
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", HOST, "--save", "",
                             "--appendonly", "no", "--dir", workdir],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            if cli(port, "PING").strip() == "PONG":
                return proc, port
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{binary} did not start")


def measure(binary, kind, payload, workdir):
    proc, port = start(binary, workdir)
    try:
        used0, rss0 = info_field(port, "used_memory"), rss_bytes(proc.pid)
        subprocess.run(["redis-cli", "-h", HOST, "-p", str(port), "--pipe"], input=payload,
                       check=True, capture_output=True)
        count = int(cli(port, "DBSIZE"))
        if count != KEYS:
            raise RuntimeError(f"{binary}: {kind}: DBSIZE {count}, expected {KEYS}")
        encoding = cli(port, "OBJECT", "ENCODING", KINDS[kind][1](0)[1]).strip()
        used, rss = info_field(port, "used_memory"), rss_bytes(proc.pid)
        return (used - used0) / count, (rss - rss0) / count, encoding
    finally:
        proc.kill()
        proc.wait()


def main():
    for tool in ("redis-server", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"error: {tool} not found")
    if not os.access(TANDEM, os.X_OK):
        sys.exit(f"error: {TANDEM} not built (run ./setup.sh)")
    kinds = os.environ.get("KINDS", ",".join(KINDS)).split(",")
    rows = []
    with tempfile.TemporaryDirectory(prefix="tandem-mem.") as work:
        for kind in kinds:
            payload = b"".join(encode(KINDS[kind][1](i)) for i in range(KEYS))
            r_used, r_rss, r_enc = measure("redis-server", kind, payload, f"{work}/redis")
            t_used, t_rss, t_enc = measure(TANDEM, kind, payload, f"{work}/tandem")
            rows.append([kind, KINDS[kind][0], f"{r_enc}/{t_enc}", f"{r_used:.1f}",
                         f"{t_used:.1f}", f"{t_used / r_used:.2f}", f"{r_rss:.1f}",
                         f"{t_rss:.1f}", f"{t_rss / r_rss:.2f}"])
            print(f"  {kind}: done", file=sys.stderr)
    header = ["kind", "value", "encoding (redis/tandem)", "redis used/key", "tandem used/key",
              "used ratio", "redis rss/key", "tandem rss/key", "rss ratio"]
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in
                        enumerate(zip(r, widths))))
    print(f"\n{KEYS} keys per kind; bytes per key grown from an empty server; ratio < 1 "
          "favours tandem")


if __name__ == "__main__":
    main()
