#!/usr/bin/env python3
"""How long SHUTDOWN NOSAVE takes to end the process, tandem against Redis, with a dataset and
many clients parked: CLIENTS idle connections, as many subscribers, and one client that asked
for 40 MB of replies and reads none of them.

tandem frees everything before it exits (server/main.cpp: cancels the ring's operations,
destroys every parked coroutine, then the keyspace), where Redis just exits; this shows what that
costs. The time is from sending SHUTDOWN to the process being reaped, median of ROUNDS runs.

    python3 bench/shutdown.py
    TANDEM_BEFORE=/path/to/old/tandem-server python3 bench/shutdown.py   # adds a row

Environment: KEYS (default 1000000), CLIENTS (default 500), ROUNDS (default 5), TANDEM_SERVER,
TANDEM_BEFORE.
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replication  # noqa: E402
from replication import HOST, Server, cli  # noqa: E402

KEYS = int(os.environ.get("KEYS", "1000000"))
CLIENTS = int(os.environ.get("CLIENTS", "500"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))


def command(*args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        arg = str(arg).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


def park_clients(port):
    opened = []
    for i in range(2 * CLIENTS):
        s = socket.create_connection((HOST, port))
        if i % 2:
            s.sendall(command("SUBSCRIBE", f"ch{i}"))
        opened.append(s)
    slow = socket.create_connection((HOST, port))
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.sendall(command("GET", "big") * 40)
    opened.append(slow)
    return opened


def one_round(kind, work):
    server = Server(kind, work, "--enable-debug-command", "yes")
    cli(server.port, "DEBUG", "POPULATE", KEYS)
    with socket.create_connection((HOST, server.port)) as s:
        s.sendall(command("SET", "big", "x" * (1 << 20)))
        assert s.recv(16) == b"+OK\r\n"
    opened = park_clients(server.port)
    deadline = time.monotonic() + 30
    while int(replication.info(server.port, "clients")["connected_clients"]) < len(opened):
        if time.monotonic() > deadline:
            sys.exit(f"error: {kind} did not accept the clients")
        time.sleep(0.05)
    started = time.monotonic()
    with socket.create_connection((HOST, server.port)) as s:
        s.sendall(command("SHUTDOWN", "NOSAVE"))
        server.process.wait(timeout=60)
    elapsed = time.monotonic() - started
    for s in opened:
        s.close()
    server.log.close()
    return elapsed * 1000


def main():
    kinds = [("tandem", replication.TANDEM)]
    if os.environ.get("TANDEM_BEFORE"):
        kinds.append(("tandem (before)", os.environ["TANDEM_BEFORE"]))
    kinds.append(("redis", None))
    print(f"SHUTDOWN NOSAVE to exit, {KEYS} keys, {2 * CLIENTS + 1} clients, "
          f"median of {ROUNDS} (ms)")
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for _ in range(ROUNDS):  # interleaved, so both see the same machine load
            for name, binary in kinds:
                if binary:
                    replication.TANDEM = binary
                kind = "redis" if binary is None else "tandem"
                results.setdefault(name, []).append(one_round(kind, work))
    redis_ms = statistics.median(results["redis"])
    for name, _ in kinds:
        ms = statistics.median(results[name])
        print(f"{name:18} {ms:8.1f}  x{ms / redis_ms:5.2f} of redis")


if __name__ == "__main__":
    main()
