"""SHUTDOWN, SIGTERM and SIGINT end tandem cleanly and at once, whatever is in progress.

Every client session, replica stream, link to a master, transfer, background save and
lazy-free job is torn down and freed (see server/main.cpp): an ASan build with leak checking on
exits with code 0 and prints no report. servers.ServerProcess.check_clean_exit fails a test on
either; with a release build these tests still prove the exit code and that no peer (a client
that never reads, a replica that never reads, a master that sends slowly) holds the exit up.
"""

import os
import signal
import socket
import time

import pytest

from conftest import info_fields, wait_until
from fake_replica import raw_replica
from servers import HOST, RawConnection, close_client, encode_command, raw_exchange

# SHUTDOWN closes sockets and exits; a cancelled BGSAVE (below: up to 0.3 s of key delays) is
# the longest thing it waits for.
EXIT_WITHIN = 5.0


def stop_and_check(server, how):
    """Stops `server` by `how` and asserts a clean exit (code 0, no sanitizer report) within
    EXIT_WITHIN seconds."""
    started = time.monotonic()
    if how.startswith("SHUTDOWN"):
        # A successful SHUTDOWN answers nothing: the connection just closes.
        assert raw_exchange(server.port, encode_command(*how.split()), quiet=0.5) == b""
    else:
        server.proc.send_signal(getattr(signal, how))
    rc = server.proc.wait(timeout=10)
    elapsed = time.monotonic() - started
    server.check_clean_exit(rc)
    assert rc == 0
    assert elapsed < EXIT_WITHIN, f"the exit took {elapsed:.1f} s"
    out = server.output()
    assert "tandem is now ready to exit, bye bye..." in out
    return out


def park_clients(port):
    """One connection in every state a client session can be parked in at shutdown."""
    opened = []

    def connect(*commands, rcvbuf=None):
        conn = RawConnection(port, timeout=5)
        if rcvbuf:
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        conn.send(b"".join(encode_command(*c) for c in commands))
        opened.append(conn)
        return conn

    connect(("BLPOP", "shutdown:nolist", 0))
    connect(("WAIT", 1, 0))  # no replica will ever acknowledge
    connect(("SUBSCRIBE", "shutdown:ch"), ("PSUBSCRIBE", "shutdown:*"))
    connect(("WATCH", "shutdown:w"), ("MULTI",), ("SET", "shutdown:w", 1))
    connect(("MONITOR",))
    connect(("CLIENT", "REPLY", "OFF"), ("PING",))
    # A request cut in the middle of a bulk: the parser holds half of it.
    half = connect()
    half.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nhalf")
    # Asks for 40 MB and reads nothing: a send stays in flight, the session waits for room.
    connect(*[("GET", "shutdown:big")] * 40, rcvbuf=4096)
    return opened


@pytest.mark.parametrize("how", ["SHUTDOWN NOSAVE", "SHUTDOWN", "SIGTERM", "SIGINT"])
def test_shutdown_with_every_kind_of_busy_client_exits_cleanly_and_fast(start_server, how):
    server = start_server("tandem", "--save", "3600 1" if how == "SHUTDOWN" else "",
                          "--rdb-key-save-delay", 10000, "--rdbcompression", "no",
                          "--lazyfree-lazy-user-del", "yes")
    c = server.client()
    c.set("shutdown:big", b"x" * (1 << 20))
    c.sadd("shutdown:set", *range(20000))
    c.unlink("shutdown:set")  # a job for the lazy-free thread
    # 300 keys at 10 ms each: the BGSAVE still runs at the shutdown, which cancels it at the
    # writer's next 64 KB flush (every 32 keys of 2 KB).
    c.execute_command("DEBUG", "POPULATE", 300, "shutdown:key", 2000)
    assert c.bgsave()
    c.config_set("rdb-key-save-delay", 0)  # the final save of SHUTDOWN takes no time
    conns = park_clients(server.port)
    try:
        wait_until(lambda: (i := info_fields(c, "clients"))["blocked_clients"] == "2"
                   and int(i["connected_clients"]) == len(conns) + 1, what="clients parked")
        assert info_fields(c, "persistence")["rdb_bgsave_in_progress"] == "1"
        close_client(c)
        out = stop_and_check(server, how)
    finally:
        for conn in conns:
            conn.close()
    # Redis-visible behaviour is unchanged: only SHUTDOWN with save points saves.
    saved = "Saving the final RDB snapshot before exiting." in out
    assert saved == (how == "SHUTDOWN")
    assert os.path.exists(os.path.join(server.dir, "dump.rdb")) == saved


@pytest.mark.parametrize("how", ["SHUTDOWN NOSAVE", "SIGTERM"])
@pytest.mark.parametrize("diskless", ["yes", "no"])
def test_master_mid_full_sync_with_an_online_replica_exits_cleanly(start_server, how, diskless):
    master = start_server("tandem", "--repl-diskless-sync", diskless,
                          "--repl-diskless-sync-delay", 0)
    m = master.client()
    online = start_server("tandem", "--replicaof", HOST, master.port)
    wait_until(lambda: info_fields(online.client())["master_link_status"] == "up",
               what="the first replica online")
    # 32 MB of incompressible values: the stalled replica's sync stops part way.
    pipe = m.pipeline(transaction=False)
    for i in range(4000):
        pipe.set(f"k{i}", os.urandom(8192))
    pipe.execute()
    stalled = raw_replica(master.port, b"eof capa psync2" if diskless == "yes" else b"psync2")
    try:
        state = "wait_bgsave" if diskless == "yes" else "send_bulk"
        wait_until(lambda: any(state in v for k, v in info_fields(m).items()
                               if k.startswith("slave")), what="the stalled sync")
        close_client(m)
        stop_and_check(master, how)
    finally:
        stalled.close()


@pytest.mark.parametrize("link", ["transfer-to-disk", "transfer-to-parser", "connected",
                                  "retrying"])
def test_replica_in_any_link_state_exits_cleanly(start_server, link):
    # The master encodes 1000 keys at 2 ms each: its diskless payload arrives over 2 s.
    master = start_server("tandem", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay",
                          0)
    m = master.client()
    m.execute_command("DEBUG", "POPULATE", 1000, "key", 200)
    load = "swapdb" if link == "transfer-to-parser" else "disabled"
    replica = start_server("tandem", "--repl-diskless-load", load)
    r = replica.client()
    if link.startswith("transfer"):
        m.config_set("rdb-key-save-delay", 2000)
    r.execute_command("REPLICAOF", HOST, master.port)
    if link.startswith("transfer"):
        # The payload's header came: a loader thread waits for the rest (a pipe or a file).
        wait_until(lambda: info_fields(r)["master_sync_in_progress"] == "1", what="transfer")
        time.sleep(0.3)
    else:
        wait_until(lambda: info_fields(r)["master_link_status"] == "up", what="the link up")
    if link == "retrying":
        m.execute_command("CLIENT", "KILL", "TYPE", "replica")
        m.config_set("requirepass", "secret")  # the next attempts fail the handshake
        wait_until(lambda: info_fields(r)["master_link_status"] == "down", what="link down")
    close_client(r)
    close_client(m)
    stop_and_check(replica, "SHUTDOWN NOSAVE")
