"""tandem as the replica of a real Redis 7.0 master (issue 8).

Full sync from a disk-based and a diskless master, the live stream of every command family,
read-only replies, REPLICAOF's replies, INFO replication and ROLE beside a real Redis replica in
the same state, promotion, a link cut through a loopback proxy (+CONTINUE), and a fake master
that sends a corrupt snapshot.
"""

import os
import socket
import threading
import time

import pytest

from conftest import DBS, assert_same, info_fields, populate, run_command, snapshot, wait_until
from servers import HOST, RawConnection, close_client, encode_command, make_client


def link_up(client):
    return info_fields(client).get("master_link_status") == "up"


def in_sync(master, replica):
    """The replica is up and has applied everything the master produced."""
    if not link_up(replica):
        return False
    produced = int(info_fields(master)["master_repl_offset"])
    return int(info_fields(replica)["slave_repl_offset"]) == produced


def wait_in_sync(master, replica, timeout=30.0):
    wait_until(lambda: in_sync(master, replica), timeout, "the replica to catch up")


def assert_same_data(master, replica):
    assert snapshot(replica) == snapshot(master)
    for db in DBS:
        for c in (master, replica):
            c.execute_command("SELECT", db)
        assert run_command(replica, "DEBUG", "DIGEST") == run_command(master, "DEBUG", "DIGEST")
    for c in (master, replica):
        c.execute_command("SELECT", 0)


def replica_of(start_server, master, *args):
    return start_server("tandem", "--replicaof", HOST, master.port, *args)


# --- full sync and the live stream ------------------------------------------------------------


def live_writes(c):
    """Writes of every command family, expiries and a transaction, in several databases."""
    c.execute_command("SELECT", 0)
    c.set("s1", "v1")
    c.append("s1", "-more")
    c.incr("counter")
    c.incrbyfloat("float", 1.5)
    c.set("ex", "v", ex=1000)
    c.setrange("s1", 2, "XY")
    c.getdel("db0:int")
    c.getex("db0:float", ex=500)
    c.mset({"m1": 1, "m2": 2})
    c.rpush("l", *range(10))
    c.lpop("l")
    c.lmove("l", "l2", "LEFT", "RIGHT")
    c.ltrim("db0:biglist", 0, 99)
    c.hset("h", mapping={"a": 1, "b": 2})
    c.hincrby("h", "a", 5)
    c.hdel("db0:hash", "f1")
    c.sadd("s", "a", "b", "c", "d")
    c.spop("s")
    c.srem("db0:set", "m1")
    c.sinterstore("sdest", "db0:set", "s")
    c.zadd("z", {"x": 1, "y": 2})
    c.zincrby("z", 3, "x")
    c.zpopmin("db0:zset")
    c.zunionstore("zdest", ["z", "db0:bigzset"])
    c.expire("h", 300)
    c.pexpireat("l2", int(time.time() * 1000) + 600000)
    c.persist("db0:str")
    c.rename("m1", "m1-renamed")
    c.copy("m2", "m2-copy", destination_db=1)
    c.move("sdest", 5)
    c.delete("db0:random")
    tx = c.pipeline(transaction=True)
    tx.set("tx1", "a").incr("tx2").lpush("txl", "x", "y").expire("tx1", 100)
    tx.execute()
    c.execute_command("SELECT", 1)
    c.set("in-db1", "yes")
    c.hset("db1:bighash", "new", "field")
    c.execute_command("SELECT", 5)
    c.flushdb()
    c.set("after-flush", 1)
    c.execute_command("SELECT", 0)
    c.execute_command("SWAPDB", 0, 1)
    c.execute_command("SWAPDB", 0, 1)


@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_full_sync_then_live_stream_match_the_master(start_server, clients, diskless):
    master = start_server("redis", "--repl-diskless-sync", diskless,
                          "--repl-diskless-sync-delay", "0")
    m = clients(master)
    populate(m)
    replica = replica_of(start_server, master)
    r = clients(replica)
    wait_in_sync(m, r)
    assert_same_data(m, r)

    live_writes(m)
    wait_in_sync(m, r)
    assert_same_data(m, r)
    # A key that expires on the master: its DEL reaches the replica.
    m.set("px", "v", px=200)
    time.sleep(0.4)
    m.get("px")
    wait_in_sync(m, r)
    assert r.exists("px") == 0
    assert_same_data(m, r)
    assert info_fields(m, "stats")["sync_full"] == "1"


def test_replicaof_command_attaches_and_follows_select(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    replica = start_server("tandem")
    r = clients(replica)
    r.set("old", "data")
    assert run_command(r, "REPLICAOF", HOST, master.port) == b"OK"
    wait_in_sync(m, r)
    assert r.exists("old") == 0  # the full sync replaced the dataset
    m.execute_command("SELECT", 3)
    m.set("in3", "x")
    wait_in_sync(m, r)
    r.execute_command("SELECT", 3)
    assert r.get("in3") == b"x"


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_full_sync_stops_a_background_save_of_the_old_dataset(start_server, clients, kind):
    """A BGSAVE of the replica's old dataset still running when the master's snapshot is loaded
    is stopped first, as Redis's readSyncBulkPayload kills its RDB child: it never replaces the
    dump (now the master's snapshot) with the old keys afterwards."""
    master = start_server("redis", "--repl-diskless-sync", "no")
    m = clients(master)
    m.set("from", "master")
    replica = start_server(kind)
    r = clients(replica)
    pipe = r.pipeline(transaction=False)
    for i in range(2000):
        pipe.set(f"old{i}", i)
    pipe.execute()
    r.config_set("rdb-key-save-delay", 1000)  # the BGSAVE lasts ~2 s
    r.bgsave()
    assert run_command(r, "REPLICAOF", HOST, master.port) == b"OK"
    wait_in_sync(m, r)
    assert r.dbsize() == 1
    wait_until(lambda: info_fields(r, "persistence")["rdb_bgsave_in_progress"] == "0",
               what="save ended")
    time.sleep(2.5)  # past the time the old save would have taken
    log = replica.output()
    assert "Replica is about to load the RDB file received from the master, but there is a " \
           "pending RDB child running. Killing " in log
    assert "Background saving terminated by signal 10" in log
    assert info_fields(r, "persistence")["rdb_last_bgsave_status"] == "ok"
    run_command(r, "REPLICAOF", "NO", "ONE")
    replica.restart()  # SHUTDOWN NOSAVE: loads the dump as it is
    r = clients(replica)
    assert r.keys() == [b"from"]


def test_expired_keys_are_hidden_but_kept_until_the_master_deletes_them(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    replica = replica_of(start_server, master)
    r = clients(replica)
    wait_in_sync(m, r)
    m.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", 0)  # only lazy expiry on the master
    m.set("short", "v", px=100)
    wait_in_sync(m, r)
    time.sleep(0.3)
    assert r.get("short") is None  # logically expired: hidden
    assert r.dbsize() == 1  # but still stored: the replica waits for the master's DEL
    m.get("short")  # the master expires it and propagates DEL
    wait_in_sync(m, r)
    assert r.dbsize() == 0


# --- read-only replies, REPLICAOF replies, INFO and ROLE ---------------------------------------


@pytest.fixture
def replica_pair(start_server, clients):
    """A Redis master, a tandem replica and a Redis replica of it, in sync."""
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    m.set("k", "v")
    m.rpush("list", "a", "b")
    ours = replica_of(start_server, master)
    theirs = start_server("redis", "--replicaof", HOST, master.port)
    pair = (clients(ours), clients(theirs))
    for replica in pair:
        wait_in_sync(m, replica)
    return master, m, pair


def test_writes_are_refused_as_redis_refuses_them(replica_pair):
    _, _, pair = replica_pair
    for command in (
        ("SET", "k", "x"),
        ("DEL", "k"),
        ("LPUSH", "list", "c"),
        ("EXPIRE", "k", 10),
        ("FLUSHALL",),
        ("FLUSHDB",),
        ("BLPOP", "list", 0),
        ("GET", "k"),
        ("LRANGE", "list", 0, -1),
        ("PUBLISH", "ch", "m"),
        ("MULTI",),
        ("SET", "k", "y"),
        ("GET", "k"),
        ("EXEC",),
        ("CONFIG", "SET", "replica-read-only", "no"),
        ("SET", "k", "writable"),
        ("GET", "k"),
        ("CONFIG", "SET", "replica-read-only", "yes"),
    ):
        assert_same(pair, *command)


def test_replicaof_replies_match_redis(replica_pair, start_pair):
    master, _, _ = replica_pair
    standalone = tuple(make_client(s.port) for s in start_pair())
    try:
        for command in (
            ("REPLICAOF",),
            ("REPLICAOF", "host"),
            ("REPLICAOF", "a", "b", "c"),
            ("REPLICAOF", HOST, "notaport"),
            ("REPLICAOF", HOST, "70000"),
            ("REPLICAOF", HOST, "-1"),
            ("REPLICAOF", "no", "one"),
            ("SLAVEOF", "NO", "ONE"),
            ("ROLE",),
            ("REPLICAOF", HOST, master.port),
            ("REPLICAOF", HOST, master.port),
            ("SLAVEOF", HOST, master.port),
            ("REPLICAOF", "NO", "ONE"),
            ("COMMAND", "INFO", "replicaof", "slaveof", "role"),
        ):
            assert_same(standalone, *command)
    finally:
        for c in standalone:
            close_client(c)


def test_client_pause_holds_the_master_stream_as_redis_does(replica_pair):
    """Redis 7.0 pauses every client but replicas, its master's link included: the stream is
    read (slave_read_repl_offset) but applied only once the pause ends, and the link stays up."""
    _, m, pair = replica_pair
    before = info_fields(m)["master_repl_offset"]
    for r in pair:
        r.execute_command("CLIENT", "PAUSE", 20000, "WRITE")
    m.set("during-pause", "v")
    m.rpush("list", "c")
    produced = info_fields(m)["master_repl_offset"]
    for r in pair:
        wait_until(lambda r=r: info_fields(r)["slave_read_repl_offset"] == produced, 5,
                   "the stream to arrive")
    ours, theirs = (info_fields(r) for r in pair)
    # Only what precedes the first write was applied (the SELECT that starts the stream).
    assert ours["slave_repl_offset"] == theirs["slave_repl_offset"]
    assert int(before) < int(ours["slave_repl_offset"]) < int(produced)
    assert ours["master_link_status"] == "up"
    for r in pair:
        assert r.get("during-pause") is None  # reads still served, the write not applied
        assert info_fields(r, "clients")["blocked_clients"] == "1"  # the master's link, held
        r.execute_command("CLIENT", "UNPAUSE")
    for r in pair:
        wait_in_sync(m, r)
        assert r.get("during-pause") == b"v"
        assert r.lrange("list", 0, -1) == [b"a", b"b", b"c"]
    assert info_fields(m, "stats")["sync_full"] == "2"  # one each: the link never dropped


# Fields whose values differ between two replicas of one master (identities, clocks, sizes).
VOLATILE = {"master_replid", "master_last_io_seconds_ago", "master_port"}


def test_info_replication_and_role_match_a_redis_replica(replica_pair):
    _, m, (ours, theirs) = replica_pair
    m.set("more", "data")
    wait_in_sync(m, ours)
    wait_in_sync(m, theirs)
    a, b = info_fields(ours), info_fields(theirs)
    assert list(a) == list(b)
    for name in a:
        if name not in VOLATILE:
            assert a[name] == b[name], name
    assert a["master_replid"] == info_fields(m)["master_replid"]
    role_ours, role_theirs = run_command(ours, "ROLE"), run_command(theirs, "ROLE")
    assert role_ours[:2] + role_ours[3:] == role_theirs[:2] + role_theirs[3:]
    assert role_ours[3] == b"connected"


def test_info_and_role_while_the_master_is_unreachable(start_pair, clients):
    ours, theirs = (clients(s) for s in start_pair())
    unused = socket.socket()
    unused.bind((HOST, 0))  # bound, never listening: connections are refused
    port = unused.getsockname()[1]
    try:
        for c in (ours, theirs):
            assert run_command(c, "REPLICAOF", HOST, port) == b"OK"
        time.sleep(1.5)
        a, b = info_fields(ours), info_fields(theirs)
        assert list(a) == list(b)
        for name in a:
            if name != "master_replid":
                assert a[name] == b[name], name
        assert run_command(ours, "ROLE") == run_command(theirs, "ROLE")
        assert_same((ours, theirs), "SET", "k", "v")
        for c in (ours, theirs):
            c.config_set("replica-serve-stale-data", "no")
        for command in (("GET", "k"), ("INFO", "keyspace"), ("PING",), ("DBSIZE",),
                        ("PSYNC", "?", "-1"), ("SYNC",)):
            assert_same((ours, theirs), *command)
    finally:
        unused.close()


def test_replicaof_no_one_promotes_keeping_data_and_history(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    replica = replica_of(start_server, master)
    r = clients(replica)
    m.set("k", "v")
    wait_in_sync(m, r)
    before = info_fields(r)
    assert run_command(r, "REPLICAOF", "NO", "ONE") == b"OK"
    after = info_fields(r)
    assert after["role"] == "master"
    assert after["master_replid2"] == before["master_replid"]
    assert after["master_replid"] != before["master_replid"]
    assert after["master_repl_offset"] == before["master_repl_offset"]
    assert int(after["second_repl_offset"]) == int(before["master_repl_offset"]) + 1
    assert r.get("k") == b"v"
    assert r.set("k", "written") is True
    assert run_command(r, "ROLE")[0] == b"master"


# Every kind of blocked client: Redis 7.0 answers them all (reads like XREAD too, and WAIT), then
# closes the connection, so the pipelined PING after each is never answered.
BLOCKING_COMMANDS = (
    ("BLPOP", "l", 0),
    ("BRPOP", "l", 0),
    ("BLMOVE", "l", "dst", "LEFT", "RIGHT", 0),
    ("BRPOPLPUSH", "l", "dst", 0),
    ("BLMPOP", 0, 1, "l", "LEFT"),
    ("BZPOPMIN", "z", 0),
    ("BZPOPMAX", "z", 0),
    ("BZMPOP", 0, 1, "z", "MIN"),
    ("WAIT", 1, 0),
)
UNBLOCKED = (b"-UNBLOCKED force unblock from blocking operation, instance state changed "
             b"(master -> replica?)\r\n")


def test_becoming_a_replica_unblocks_blocked_clients_as_redis_does(start_pair, start_server):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    for server in start_pair():
        c = make_client(server.port)
        blocked = []
        try:
            for command in BLOCKING_COMMANDS:
                conn = RawConnection(server.port)
                conn.send(encode_command(*command) + encode_command("PING"))
                blocked.append(conn)
            wait_until(lambda: c.info("clients")["blocked_clients"] == len(blocked), 5,
                       "every client to block")
            idle = make_client(server.port)  # not blocked: left alone
            assert run_command(c, "REPLICAOF", HOST, master.port) == b"OK"
            for command, conn in zip(BLOCKING_COMMANDS, blocked):
                assert conn.read(until=b"\r\n", timeout=5) == UNBLOCKED, (server.kind, command)
                assert conn.is_closed(), (server.kind, command)
            assert c.info("clients")["blocked_clients"] == 0
            assert idle.ping() is True
            close_client(idle)
        finally:
            for conn in blocked:
                conn.close()
            close_client(c)


# --- link cut: partial resynchronization --------------------------------------------------------


def test_link_cut_resumes_with_continue(start_server, clients, proxy_to):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    populate(m)
    proxy = proxy_to(master.port)
    replica = start_server("tandem", "--replicaof", HOST, proxy.port)
    r = clients(replica)
    wait_in_sync(m, r)
    m.set("before-cut", 1)
    wait_in_sync(m, r)
    proxy.cut()
    wait_until(lambda: not link_up(r), 10, "the replica to notice the cut")
    m.set("during-cut", 2)
    m.execute_command("SELECT", 1)
    m.incr("db1-counter")
    m.execute_command("SELECT", 0)
    proxy.resume()
    wait_in_sync(m, r)
    stats = info_fields(m, "stats")
    assert stats["sync_full"] == "1"
    assert stats["sync_partial_ok"] == "1"
    assert "Successful partial resynchronization with master." in replica.output()
    m.set("after-cut", 3)
    wait_in_sync(m, r)
    assert_same_data(m, r)


def test_silent_master_times_out_and_the_link_resumes_with_continue(start_server, clients,
                                                                    proxy_to):
    """A master that stops sending (the network freezes, nothing is closed) is dropped after
    repl-timeout, as Redis logs it, and the reconnection continues from the offset."""
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    m.set("before", 1)
    proxy = proxy_to(master.port)
    replica = start_server("tandem", "--replicaof", HOST, proxy.port, "--repl-timeout", "2")
    r = clients(replica)
    wait_in_sync(m, r)
    proxy.stall()
    m.set("during", 2)
    wait_until(lambda: "MASTER timeout: no data nor PING received" in replica.output(), 15,
               "the replica to time its master out")
    wait_in_sync(m, r)
    assert r.get("during") == b"2"
    stats = info_fields(m, "stats")
    assert (stats["sync_full"], stats["sync_partial_ok"]) == ("1", "1"), stats


def test_replica_acks_its_offset(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    replica = replica_of(start_server, master)
    r = clients(replica)
    wait_in_sync(m, r)
    m.set("k", "v")
    # WAIT sends REPLCONF GETACK; the replica's ACK counts it.
    assert m.execute_command("WAIT", 1, 5000) == 1
    wait_until(lambda: f"offset={info_fields(m)['master_repl_offset']}," in
             info_fields(m).get("slave0", ""), 5, "the ACK of the latest offset")


# --- a bad master ----------------------------------------------------------------------------

REPLID = b"f" * 40


def rdb_file(*pairs):
    """An RDB version 10 holding string keys in db 0 (checksum 0: not checked)."""
    body = b"REDIS0010\xfe\x00"
    for key, value in pairs:
        body += b"\x00" + bytes([len(key)]) + key + bytes([len(value)]) + value
    return body + b"\xff" + b"\x00" * 8


class FakeMaster:
    """Answers the handshake like a master, then runs `after_psync(conn)` (which sends what the
    test wants: +FULLRESYNC, a snapshot, a stream...); counts connection attempts."""

    def __init__(self, after_psync):
        self.after_psync = after_psync
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((HOST, 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.attempts = 0
        self.psyncs = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.attempts += 1
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        try:
            conn.settimeout(30)
            if self._handshake(conn):
                self.after_psync(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def _handshake(self, conn):
        data = b""
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                return False
            data += chunk
            # Answer each complete multibulk command as it arrives.
            while data.startswith(b"*"):
                parts = data.split(b"\r\n")
                count = int(parts[0][1:])
                if len(parts) < 2 + 2 * count:
                    break
                args = parts[2 : 2 + 2 * count : 2]
                data = data[sum(len(p) + 2 for p in parts[: 1 + 2 * count]) :]
                if args[0].upper() == b"PSYNC":
                    self.psyncs.append(args[1:])
                    return True
                conn.sendall(b"+PONG\r\n" if args[0].upper() == b"PING" else b"+OK\r\n")

    def close(self):
        self.listener.close()


def full_resync(conn, payload, header=None):
    conn.sendall(b"+FULLRESYNC " + REPLID + b" 100\r\n")
    conn.sendall(header if header is not None else b"$%d\r\n" % len(payload))
    conn.sendall(payload)


@pytest.fixture
def bad_master_replica(start_server, clients):
    """start(after_psync, *args) -> (fake master, tandem replica, client) with a dataset to
    keep."""
    fakes = []

    def start(after_psync, *args):
        fake = FakeMaster(after_psync)
        fakes.append(fake)
        replica = start_server("tandem", *args)
        r = clients(replica)
        r.set("precious", "data")
        r.rpush("list", 1, 2, 3)
        assert run_command(r, "REPLICAOF", HOST, fake.port) == b"OK"
        return fake, replica, r

    yield start
    for fake in fakes:
        fake.close()


def assert_kept_and_retried(fake, replica, r, error):
    wait_until(lambda: fake.attempts >= 2, 10, "a second attempt")
    assert replica.alive()
    assert r.get("precious") == b"data"
    assert r.lrange("list", 0, -1) == [b"1", b"2", b"3"]
    assert error in replica.output()
    assert info_fields(r)["master_link_status"] == "down"


@pytest.mark.parametrize("load", ["disabled", "swapdb"])
def test_corrupt_snapshot_keeps_the_old_dataset_and_retries(bad_master_replica, load):
    corrupt = b"REDIS0010\xfe\x00\x00\x03key" + b"\xff" * 20

    def send_corrupt(conn):
        full_resync(conn, corrupt)
        time.sleep(0.5)

    fake, replica, r = bad_master_replica(send_corrupt, "--repl-diskless-load", load)
    assert_kept_and_retried(fake, replica, r,
                            "Failed trying to load the MASTER synchronization DB")
    # Nothing was adopted: the next attempt asks to continue the same history again.
    wait_until(lambda: len(fake.psyncs) >= 2, 10, "a second PSYNC")
    assert fake.psyncs[1] == fake.psyncs[0]


@pytest.mark.parametrize("load", ["disabled", "swapdb"])
def test_truncated_snapshot_keeps_the_old_dataset_and_retries(bad_master_replica, load):
    def send_half(conn):
        full_resync(conn, rdb_file((b"k", b"v"))[:10], header=b"$1000\r\n")

    fake, replica, r = bad_master_replica(send_half, "--repl-diskless-load", load)
    assert_kept_and_retried(fake, replica, r, "I/O error trying to sync with MASTER")


def test_garbage_after_the_snapshot_drops_the_link_and_psyncs_again(bad_master_replica):
    def send_then_garbage(conn):
        full_resync(conn, rdb_file((b"from-master", b"yes")))
        conn.sendall(b"*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n")
        time.sleep(0.3)
        conn.sendall(b"*1\r\n$x\r\n")
        time.sleep(0.5)

    fake, replica, r = bad_master_replica(send_then_garbage)
    wait_until(lambda: len(fake.psyncs) >= 2, 10, "a second PSYNC")
    assert replica.alive()
    assert r.get("from-master") == b"yes"
    assert r.get("a") == b"b"
    assert "Protocol error" in replica.output()
    # The commands applied before the garbage count: PSYNC continues right after them.
    applied = len(b"*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n")
    assert fake.psyncs[1] == [REPLID, str(100 + applied + 1).encode()]


def test_info_and_psync_while_the_snapshot_is_transferred_match_redis(start_pair, clients):
    def send_part(conn):
        full_resync(conn, b"REDIS0010" + b"\x00" * 91, header=b"$1000\r\n")
        time.sleep(5)

    fake = FakeMaster(send_part)
    try:
        servers = start_pair()
        ours, theirs = (clients(s) for s in servers)
        for c in (ours, theirs):
            assert run_command(c, "REPLICAOF", HOST, fake.port) == b"OK"
        for c in (ours, theirs):
            wait_until(lambda c=c: info_fields(c).get("master_sync_read_bytes") == "100", 10,
                     "the first 100 bytes")
        a, b = info_fields(ours), info_fields(theirs)
        assert list(a) == list(b)
        for name in a:
            if name not in VOLATILE | {"master_sync_last_io_seconds_ago"}:
                assert a[name] == b[name], name
        assert a["master_sync_perc"] == "10.00"
        assert run_command(ours, "ROLE")[3] == run_command(theirs, "ROLE")[3] == b"sync"
        # A sub-replica asking to sync now is told to come back: what we hold is about to be
        # replaced (never a +CONTINUE of the history the new snapshot ends).
        for server in servers:
            with RawConnection(server.port) as sub:
                assert sub.exchange(encode_command("PSYNC", REPLID, 101), until=b"\r\n") == (
                    b"-NOMASTERLINK Can't SYNC while not connected with my master\r\n")
    finally:
        fake.close()


def test_errors_of_the_master_stream_are_logged_and_the_link_stays_up(start_pair, clients):
    stream = (encode_command("FOO", "a") + encode_command("INCR", "s") +
              encode_command("SET", "k", "v"))

    def send_failing_commands(conn):
        full_resync(conn, rdb_file((b"s", b"notanint")))
        time.sleep(0.2)
        conn.sendall(stream)
        time.sleep(10)

    fake = FakeMaster(send_failing_commands)
    try:
        servers = start_pair()
        pair = tuple(clients(server) for server in servers)
        for c in pair:
            assert run_command(c, "REPLICAOF", HOST, fake.port) == b"OK"
        for c in pair:
            wait_until(lambda c=c: c.get("k") == b"v", 10, "the command after the errors")
        critical = "== CRITICAL == This replica is sending an error to its master: "
        for server in servers:
            assert (critical + "'unknown command 'FOO', with args beginning with: 'a' ' after "
                    "processing the command '<unknown>'") in server.output(), server.kind
            assert (critical + "'value is not an integer or out of range' after processing the "
                    "command 'incr'") in server.output(), server.kind
            # What led to it: the stream before the failing command, quoted.
            assert ("Latest backlog is: '\"*2\\r\\n$3\\r\\nFOO\\r\\n$1\\r\\na\\r\\n\"'"
                    in server.output()), server.kind
        ours, theirs = (info_fields(c) for c in pair)
        assert ours["master_link_status"] == "up"
        assert ours["slave_repl_offset"] == theirs["slave_repl_offset"] == str(100 + len(stream))
        for c in pair:
            assert info_fields(c, "stats")["unexpected_error_replies"] == "2"
    finally:
        fake.close()


# --- chains ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sub_kind", ["redis", "tandem"])
def test_chain_relays_the_master_stream_byte_for_byte(start_server, clients, sub_kind):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    populate(m)
    middle = replica_of(start_server, master)
    r = clients(middle)
    wait_in_sync(m, r)
    sub = start_server(sub_kind, "--replicaof", HOST, middle.port,
                       "--repl-diskless-sync-delay", "0")
    s = clients(sub)
    wait_in_sync(m, s)
    live_writes(m)
    wait_in_sync(m, r)
    wait_in_sync(m, s)
    assert_same_data(m, s)
    # One history along the chain: the same ID and offset everywhere.
    ids = {info_fields(c)["master_replid"] for c in (m, r, s)}
    offsets = {info_fields(c)["master_repl_offset"] for c in (m, r, s)}
    assert len(ids) == 1 and len(offsets) == 1, (ids, offsets)


def test_replication_traffic_is_counted_apart_as_redis_counts_it(start_server, clients):
    """Bytes from our master and to our replicas are INFO's *_repl_* fields, not the clients'
    ones; each end of a link counts the same bytes as the real Redis at the other end."""
    master = start_server("redis", "--repl-diskless-sync", "no")
    m = clients(master)
    populate(m)
    middle = replica_of(start_server, master, "--repl-diskless-sync", "no")
    sub = start_server("redis", "--replicaof", HOST, middle.port)
    r, s = clients(middle), clients(sub)
    wait_in_sync(m, r)
    wait_in_sync(m, s)
    for i in range(200):
        m.set(f"big{i}", "x" * 10000)
    wait_in_sync(m, r)
    wait_in_sync(m, s)
    rates = ("instantaneous_input_repl_kbps", "instantaneous_output_repl_kbps")

    def rates_up():
        m.set("flowing", "x" * 100000)  # the rates cover the last 1.6 s: keep the stream going
        stats = info_fields(r, "stats")
        return all(float(stats[rate]) > 0 for rate in rates)

    wait_until(rates_up, 10, "the replication rates to show the stream")
    wait_in_sync(m, r)
    wait_in_sync(m, s)
    stats = info_fields(r, "stats")
    assert int(stats["total_net_input_bytes"]) < 2_000_000  # the stream is not client input

    def counted():
        a, b, c = (info_fields(x, "stats") for x in (m, r, s))
        return (a["total_net_repl_output_bytes"], b["total_net_repl_input_bytes"],
                b["total_net_repl_output_bytes"], c["total_net_repl_input_bytes"])

    def both_ends_agree():
        to_middle, into_middle, from_middle, into_sub = counted()
        return to_middle == into_middle and from_middle == into_sub

    wait_until(both_ends_agree, 5, "each link's two ends to count the same bytes")
    assert all(int(n) > 2_000_000 for n in counted())
    r.config_resetstat()
    stats = info_fields(r, "stats")
    assert stats["total_net_repl_input_bytes"] == stats["total_net_repl_output_bytes"] == "0"


# --- failover ------------------------------------------------------------------------------------


def test_promoted_tandem_replica_serves_continue_to_its_old_peers(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    populate(m)
    ours = replica_of(start_server, master)
    peer = start_server("redis", "--replicaof", HOST, master.port)
    a, b = clients(ours), clients(peer)
    wait_in_sync(m, a)
    wait_in_sync(m, b)
    m.set("last-write", "before failover")
    wait_in_sync(m, a)
    wait_in_sync(m, b)
    assert run_command(a, "REPLICAOF", "NO", "ONE") == b"OK"
    assert run_command(b, "REPLICAOF", HOST, ours.port) == b"OK"
    wait_until(lambda: link_up(b), 10, "the peer to attach to the promoted replica")
    stats = info_fields(a, "stats")
    assert stats["sync_partial_ok"] == "1" and stats["sync_full"] == "0", stats
    a.set("after-failover", "yes")
    wait_in_sync(a, b)
    assert b.get("after-failover") == b"yes"
    assert_same_data(a, b)


def test_tandem_replica_continues_against_a_promoted_redis_peer(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    m.set("k", "v")
    theirs = start_server("redis", "--replicaof", HOST, master.port)
    ours = replica_of(start_server, master)
    sub = start_server("redis", "--replicaof", HOST, ours.port)
    a, b, c = clients(theirs), clients(ours), clients(sub)
    for replica in (a, b, c):
        wait_in_sync(m, replica)
    old_id = info_fields(m)["master_replid"]
    assert run_command(a, "REPLICAOF", "NO", "ONE") == b"OK"
    assert run_command(b, "REPLICAOF", HOST, theirs.port) == b"OK"
    wait_until(lambda: link_up(b), 10, "tandem to attach to the promoted Redis")
    assert info_fields(a, "stats")["sync_partial_ok"] == "1"
    assert "Master replication ID changed to" in ours.output()
    new_id = info_fields(a)["master_replid"]
    fields = info_fields(b)
    assert fields["master_replid"] == new_id
    assert fields["master_replid2"] == old_id
    # Our sub-replica was disconnected to learn the new ID, and continued through our replid2.
    wait_until(lambda: info_fields(c)["master_replid"] == new_id and link_up(c), 10,
               "the sub-replica to learn the new ID")
    assert info_fields(c)["master_replid2"] == old_id
    stats = info_fields(b, "stats")
    assert stats["sync_full"] == "1" and stats["sync_partial_ok"] == "1", stats
    a.set("new", "master")
    for replica in (b, c):
        wait_in_sync(a, replica)
        assert replica.get("new") == b"master"


def test_full_sync_from_a_new_master_resyncs_the_sub_replicas(start_server, clients):
    first = start_server("redis", "--repl-diskless-sync-delay", "0")
    second = start_server("redis", "--repl-diskless-sync-delay", "0")
    m1, m2 = clients(first), clients(second)
    m1.set("from", "first")
    m2.set("from", "second")
    m2.rpush("only-in-second", 1, 2)
    middle = replica_of(start_server, first, "--repl-diskless-sync-delay", "0")
    sub = start_server("redis", "--replicaof", HOST, middle.port)
    r, s = clients(middle), clients(sub)
    wait_in_sync(m1, r)
    wait_in_sync(m1, s)
    assert run_command(r, "REPLICAOF", HOST, second.port) == b"OK"
    wait_in_sync(m2, r)
    new_id = info_fields(m2)["master_replid"]  # set when the first replica attached
    wait_until(lambda: info_fields(s)["master_replid"] == new_id and link_up(s), 15,
               "the sub-replica to follow the new history")
    wait_in_sync(m2, s)
    assert_same_data(m2, s)
    assert info_fields(r, "stats")["sync_full"] == "2"  # the sub-replica could not continue


def test_restarted_replica_continues_from_its_dump(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    populate(m)
    replica = replica_of(start_server, master)
    r = clients(replica)
    wait_in_sync(m, r)
    m.execute_command("SELECT", 1)
    m.set("in-db1", "before restart")
    wait_in_sync(m, r)
    assert run_command(r, "SAVE") == b"OK"
    close_client(r)
    replica.restart()
    r = clients(replica)
    # The master's stream is still in db 1: the dump remembers it (repl-stream-db).
    m.set("in-db1-after", "restart")
    m.execute_command("SELECT", 0)
    wait_in_sync(m, r)
    stats = info_fields(m, "stats")
    assert stats["sync_full"] == "1" and stats["sync_partial_ok"] == "1", stats
    assert_same_data(m, r)
    r.execute_command("SELECT", 1)
    assert r.get("in-db1-after") == b"restart"


# --- repl-diskless-load --------------------------------------------------------------------------


def test_repl_diskless_load_setting_matches_redis(start_pair):
    pair = tuple(make_client(s.port) for s in start_pair("--repl-diskless-load", "on-empty-db"))
    try:
        for command in (
            ("CONFIG", "GET", "repl-diskless-load"),
            ("CONFIG", "SET", "repl-diskless-load", "swapdb"),
            ("CONFIG", "GET", "repl-diskless-load"),
            ("CONFIG", "SET", "repl-diskless-load", "SWAPDB"),
            ("CONFIG", "SET", "repl-diskless-load", "everything"),
            ("CONFIG", "SET", "repl-diskless-load", "disabled"),
            ("CONFIG", "GET", "repl-diskless-load"),
        ):
            assert_same(pair, *command)
    finally:
        for c in pair:
            close_client(c)


@pytest.mark.parametrize("mode, has_data", [("swapdb", True), ("on-empty-db", True),
                                            ("on-empty-db", False)])
def test_diskless_load_decodes_from_the_socket_as_redis_does(start_server, start_pair, clients,
                                                            mode, has_data):
    """swapdb decodes the snapshot as it arrives, never writing it to disk; on-empty-db does so
    only when the replica holds no key, and otherwise receives it to disk first."""
    master = start_server("redis", "--repl-diskless-sync-delay", "0")  # diskless: EOF mark
    m = clients(master)
    populate(m)
    to_parser = mode == "swapdb" or not has_data
    for server in start_pair("--repl-diskless-load", mode):
        r = clients(server)
        if has_data:
            r.set("old", "data")
        assert run_command(r, "REPLICAOF", HOST, master.port) == b"OK"
        wait_in_sync(m, r)
        assert_same_data(m, r)
        target = "to parser" if to_parser else "to disk"
        assert f"receiving streamed RDB from master with EOF {target}" in server.output()
        rdb_files = [name for name in os.listdir(server.dir) if name.endswith(".rdb")]
        assert bool(rdb_files) != to_parser, (server.kind, rdb_files)


# --- INFO while a snapshot loads ---------------------------------------------------------------


def rdb_with_used_mem(used_mem, count):
    """An RDB of `count` string keys whose used-mem AUX field says `used_mem` (checksum 0)."""
    aux = b"\xfa\x08used-mem" + bytes([len(str(used_mem))]) + str(used_mem).encode()
    body = b"REDIS0010" + aux + b"\xfe\x00"
    for i in range(count):
        key, value = b"key:%06d" % i, b"v" * 60
        body += b"\x00" + bytes([len(key)]) + key + bytes([len(value)]) + value
    return body + b"\xff" + b"\x00" * 8


def loading_fields(client):
    return {k: v for k, v in info_fields(client, "persistence").items() if "loading" in k}


def test_info_reports_the_snapshot_loading(start_server, clients):
    # tandem serves its old dataset while a full sync decodes (Redis's async loading, whatever
    # repl-diskless-load says; Redis itself blocks clients with -LOADING unless it loads swapdb
    # from the same replid). A stream cut in half holds the load at a known point, so INFO shows async_loading:1 and the loading_* progress fields
    # as Redis 7.0 names and computes them, and drops them when the load ends.
    payload = rdb_with_used_mem(123456, 2000)
    half = len(payload) // 2
    release = threading.Event()

    def after_psync(conn):
        conn.sendall(b"+FULLRESYNC " + REPLID + b" 100\r\n$%d\r\n" % len(payload))
        conn.sendall(payload[:half])
        release.wait(30)
        conn.sendall(payload[half:])
        time.sleep(30)

    fake = FakeMaster(after_psync)
    replica = start_server("tandem", "--repl-diskless-load", "swapdb")
    r = clients(replica)
    r.set("precious", "data")
    assert loading_fields(r) == {"loading": "0", "async_loading": "0"}
    started = int(time.time())
    assert run_command(r, "REPLICAOF", HOST, fake.port) == b"OK"
    wait_until(lambda: int(loading_fields(r).get("loading_loaded_bytes", 0)) >= half // 2,
               what="the first half decoded")
    fields = loading_fields(r)
    loaded = int(fields["loading_loaded_bytes"])
    assert list(fields) == ["loading", "async_loading", "loading_start_time",
                            "loading_total_bytes", "loading_rdb_used_mem", "loading_loaded_bytes",
                            "loading_loaded_perc", "loading_eta_seconds"]
    assert fields["loading"] == "0" and fields["async_loading"] == "1"
    assert started <= int(fields["loading_start_time"]) <= time.time()
    assert int(fields["loading_total_bytes"]) == len(payload)
    assert int(fields["loading_rdb_used_mem"]) == 123456
    assert loaded <= half
    assert float(fields["loading_loaded_perc"]) == pytest.approx(loaded / len(payload) * 100,
                                                                 abs=0.01)
    assert int(fields["loading_eta_seconds"]) >= 0
    assert r.get("precious") == b"data"  # the old dataset is still served
    release.set()
    wait_until(lambda: r.dbsize() == 2000, what="the snapshot loaded")
    assert loading_fields(r) == {"loading": "0", "async_loading": "0"}
    fake.close()


# --- authentication -------------------------------------------------------------------------------


@pytest.mark.parametrize("master_kind,replica_kind",
                         [("redis", "tandem"), ("tandem", "redis"), ("tandem", "tandem")])
@pytest.mark.parametrize("masteruser", [None, "default"])
def test_replica_authenticates_with_masterauth(start_server, clients, master_kind, replica_kind,
                                               masteruser):
    master = start_server(master_kind, "--requirepass", "s3cret", "--repl-diskless-sync-delay",
                          "0")
    m = master.client(password="s3cret")
    try:
        m.set("guarded", "value")
        user = ("--masteruser", masteruser) if masteruser else ()
        replica = start_server(replica_kind, "--replicaof", HOST, master.port, "--masterauth",
                               "s3cret", *user)
        r = clients(replica)
        wait_in_sync(m, r)
        assert r.get("guarded") == b"value"
        assert info_fields(m)["connected_slaves"] == "1"
    finally:
        close_client(m)


def test_wrong_masterauth_keeps_the_link_down_and_says_why(start_server, clients):
    master = start_server("redis", "--requirepass", "s3cret")
    replica = replica_of(start_server, master, "--masterauth", "wrong")
    r = clients(replica)
    wait_until(lambda: "Unable to AUTH to MASTER" in replica.output(), 10, "the AUTH failure log")
    assert not link_up(r)
    m = master.client(password="s3cret")
    try:
        assert info_fields(m)["connected_slaves"] == "0"
    finally:
        close_client(m)


def test_master_lists_the_announced_address_as_for_a_redis_replica(start_server, clients):
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    announce = ("--replica-announce-ip", "10.1.2.3")
    ours = clients(replica_of(start_server, master, *announce, "--replica-announce-port", "1111"))
    theirs = clients(start_server("redis", "--replicaof", HOST, master.port, *announce,
                                  "--replica-announce-port", "2222"))
    for r in (ours, theirs):
        wait_in_sync(m, r)
    listed = sorted(v.split(",state=")[0] for k, v in info_fields(m).items()
                    if k.startswith("slave") and k[5:].isdigit())
    assert listed == ["ip=10.1.2.3,port=1111", "ip=10.1.2.3,port=2222"]
