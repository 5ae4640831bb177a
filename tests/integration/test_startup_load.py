"""The dump loads at start-up while the server already answers, as Redis answers between the
chunks of its load: INFO reports loading:1, commands without Redis's `loading` flag get -LOADING,
replicas are told to come back later, and nothing may overwrite the dump with half a dataset.

A FIFO in place of dump.rdb holds the load at a known point: the loading thread blocks on it
until the test writes the snapshot's bytes."""

import os
import signal
import stat
import threading
import time

import pytest

from conftest import (HOST, ServerProcess, ServerStartError, close_client, info_fields,
                      raw_exchange, wait_until)

KEYS = 3000


@pytest.fixture(scope="module")
def dump_bytes():
    """A real dump of KEYS keys (with TTLs on some), written by tandem itself."""
    with ServerProcess("tandem") as server:
        c = server.client()
        c.execute_command("DEBUG", "POPULATE", KEYS, "key", 20)
        for i in range(0, KEYS, 100):
            c.expire(f"key:{i}", 1000)
        c.save()
        close_client(c)
        with open(os.path.join(server.dir, "dump.rdb"), "rb") as f:
            return f.read()


class FifoDump:
    """dump.rdb as a FIFO of `server`'s dir; feed() writes bytes to the server's loader."""

    def __init__(self, server):
        self.path = os.path.join(server.dir, "dump.rdb")
        os.mkfifo(self.path)
        self.file = None
        self.opened = threading.Event()
        # open() of a FIFO waits for the reader: do it aside so the server can start meanwhile.
        threading.Thread(target=self._open, daemon=True).start()

    def _open(self):
        self.file = open(self.path, "wb", buffering=0)
        self.opened.set()

    def feed(self, data):
        assert self.opened.wait(10), "the server never opened its dump"
        self.file.write(data)

    def close(self):
        if self.file is not None:
            self.file.close()


@pytest.fixture
def loading_server():
    """A tandem whose start-up load waits on a FIFO (with save points, so a save would happen
    if anything wrongly tried one)."""
    made = []

    def start(*args):
        server = ServerProcess("tandem", ["--save", "3600 1", *args])
        server.ready_while_loading = True
        fifo = FifoDump(server)
        server.start()
        made.append((server, fifo))
        return server, fifo

    yield start
    for server, fifo in made:
        fifo.close()
        server.destroy()


def persistence(c):
    return info_fields(c, "persistence")


def test_clients_get_loading_until_the_dump_is_in(loading_server, dump_bytes):
    server, fifo = loading_server()
    half = len(dump_bytes) // 2
    fifo.feed(dump_bytes[:half])
    c = server.client()
    try:
        wait_until(lambda: int(persistence(c).get("loading_loaded_bytes", 0)) > 0,
                   what="the load started")
        fields = persistence(c)
        assert fields["loading"] == "1" and fields["async_loading"] == "0"
        # Redis's flags decide: INFO, CONFIG GET, SELECT, ECHO, LASTSAVE run; data commands and
        # PING (not a `loading` command in Redis 7.0) do not.
        loading = b"-LOADING Redis is loading the dataset in memory\r\n"
        expected = loading * 4 + b"$2\r\nhi\r\n+OK\r\n" + loading * 3
        replies = raw_exchange(server.port, b"GET key:1\r\nPING\r\nDBSIZE\r\nSET a b\r\n"
                               b"ECHO hi\r\nSELECT 1\r\nBGSAVE\r\nSAVE\r\nPSYNC ? -1\r\n",
                               expected_len=len(expected), quiet=1.0)
        assert replies == expected
        assert c.config_get("save") == {"save": "3600 1"}
        fifo.feed(dump_bytes[half:])
        fifo.close()
        wait_until(lambda: persistence(c)["loading"] == "0", what="the load finished")
        assert c.dbsize() == KEYS
        assert c.get("key:7").startswith(b"value:7")
        assert 0 < c.ttl("key:100") <= 1000
        assert c.ping()
        out = server.output()
        assert out.index("Done loading RDB, keys loaded: 3000") < out.index(
            "Ready to accept connections")
        # The file it came from is untouched (nothing saved over it while it loaded).
        assert stat.S_ISFIFO(os.stat(fifo.path).st_mode)
    finally:
        close_client(c)


@pytest.mark.parametrize("how", ["SHUTDOWN", "SIGTERM"])
def test_shutdown_while_loading_never_saves(loading_server, dump_bytes, how):
    # Like Redis: with save points set, a shutdown would save, but not while loading, which
    # would replace the dump with the part of it loaded so far.
    server, fifo = loading_server()
    fifo.feed(dump_bytes[:len(dump_bytes) // 2])
    c = server.client()
    wait_until(lambda: persistence(c)["loading"] == "1", what="the load started")
    close_client(c)
    if how == "SHUTDOWN":
        raw_exchange(server.port, b"SHUTDOWN\r\n", quiet=0.3)
    else:
        server.proc.send_signal(signal.SIGTERM)
        # The signal first: were the end of the FIFO seen before it, the cut dump would be the
        # fatal load error it is (exit code 1).
        wait_until(lambda: "Received SIGTERM scheduling shutdown" in server.output(),
                   what="the signal handled")
    fifo.close()  # lets a loader blocked on the FIFO see its end
    assert server.proc.wait(timeout=10) == 0
    assert "Saving the final RDB snapshot" not in server.output()
    assert stat.S_ISFIFO(os.stat(fifo.path).st_mode)


def test_a_replica_waits_for_its_master_to_load(loading_server, dump_bytes):
    # The replica's PSYNC gets -LOADING and is retried; once the master has loaded, the replica
    # syncs the loaded dataset.
    master, fifo = loading_server()
    replica = ServerProcess("tandem", ["--replicaof", HOST, str(master.port)]).start()
    r = replica.client()
    m = master.client()
    try:
        fifo.feed(dump_bytes[:100])
        wait_until(lambda: "LOADING" in replica.output(), what="the replica told to wait")
        assert info_fields(r)["master_link_status"] == "down"
        fifo.feed(dump_bytes[100:])
        fifo.close()
        wait_until(lambda: r.dbsize() == KEYS and info_fields(r)["master_link_status"] == "up",
                   timeout=30, what="the replica synced")
        assert r.get("key:2999").startswith(b"value:2999")
        assert int(info_fields(m)["connected_slaves"]) == 1
    finally:
        close_client(r)
        close_client(m)
        replica.destroy()


def test_a_corrupt_dump_stops_the_server(dump_bytes):
    server = ServerProcess("tandem")
    with open(os.path.join(server.dir, "dump.rdb"), "wb") as f:
        f.write(dump_bytes[:-20] + b"\x00" * 20)
    try:
        with pytest.raises(ServerStartError, match="exited with code 1"):
            server.start()
        assert "Fatal error loading the DB" in server.output()
        assert "Ready to accept connections" not in server.output()
    finally:
        server.destroy()


def follows_redis_progress_formula(fields, now_before, now_after):
    """True when loading_loaded_perc and loading_eta_seconds are what Redis 7.0's INFO computes
    from the other loading_* fields: the share of the file read (or of the dump's used-mem, capped
    at 99.99%, when the file's size is unknown) and elapsed * remaining / (loaded + 1)."""
    loaded = int(fields["loading_loaded_bytes"])
    total = int(fields["loading_total_bytes"])
    used_mem = int(fields["loading_rdb_used_mem"])
    perc, remaining = 0.0, 1
    if total:
        perc, remaining = loaded / total * 100, total - loaded
    elif used_mem:
        perc, remaining = min(99.99, loaded / used_mem * 100), max(1, used_mem - loaded)
    etas = set()
    for now in (now_before, now_after):  # INFO's clock second lies between the two
        elapsed = now - int(fields["loading_start_time"])
        etas.add(1 if elapsed == 0 else elapsed * remaining // (loaded + 1))
    return fields["loading_loaded_perc"] == f"{perc:.2f}" and int(
        fields["loading_eta_seconds"]) in etas


def progress_while_loading(c):
    before = int(time.time())
    fields = persistence(c)
    return fields, before, int(time.time())


def test_loading_progress_follows_redis_formula(loading_server, dump_bytes):
    # Redis, slowed down per key, loading a regular file (its size known).
    with ServerProcess("redis", ["--enable-debug-command", "yes"]) as redis_server:
        r = redis_server.client()
        r.execute_command("DEBUG", "POPULATE", 20000, "key", 100)
        r.save()
        close_client(r)
        redis_server.stop()
        redis_server.args += ["--key-load-delay", "200",
                              "--loading-process-events-interval-bytes", "1024"]
        redis_server.ready_while_loading = True
        redis_server.start()
        r = redis_server.client()
        try:
            fields, before, after = wait_until(
                lambda: (p := progress_while_loading(r))[0]["loading"] == "1"
                and int(p[0]["loading_loaded_bytes"]) > 0 and p, what="redis loading")
            assert int(fields["loading_total_bytes"]) > 0
            assert follows_redis_progress_formula(fields, before, after), fields
        finally:
            close_client(r)
    # tandem, held half-way through a FIFO (its size unknown: the used-mem estimate counts).
    server, fifo = loading_server()
    half = len(dump_bytes) // 2
    fifo.feed(dump_bytes[:half])
    c = server.client()
    try:
        wait_until(lambda: int(persistence(c).get("loading_loaded_bytes", 0)) > 0,
                   what="the load started")
        fields, before, after = progress_while_loading(c)
        assert fields["loading_total_bytes"] == "0" and int(fields["loading_rdb_used_mem"]) > 0
        assert follows_redis_progress_formula(fields, before, after), fields
        # The rest, so the server finishes its load and stops cleanly.
        fifo.feed(dump_bytes[half:])
        fifo.close()
        wait_until(lambda: persistence(c)["loading"] == "0", what="the load finished")
    finally:
        close_client(c)
