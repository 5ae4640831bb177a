"""A real Redis 7.0 replica of a tandem master (issue 7, master side).

The replica is redis-server started with --replicaof: it must fully synchronise (the RDB of a
dataset with every type, encoding, TTL and several databases), then follow live writes, and after
a link cut continue with +CONTINUE while the backlog covers the gap (or sync fully when it does
not). Datasets are compared key by key: type, encoding, value and absolute expiry. INFO
replication, ROLE, WAIT and the REPLCONF replies are compared with a real Redis master.
"""

import os
import re
import signal
import socket
import time

import pytest

from conftest import DBS, compare_raw, info_fields, populate, settle, snapshot, wait_synced, wait_until
from fake_replica import raw_replica
from servers import HOST, close_client, make_client


def start_replica(start_server, master_port, *args):
    return start_server("redis", "--replicaof", HOST, master_port, *args)


def live_writes(c):
    """Writes of every family, relative expiry included (propagated as absolute times)."""
    far = int(time.time() * 1000) + 3_600_000
    for db in DBS:
        c.execute_command("SELECT", db)
        p = f"db{db}:"
        c.set(p + "new", "fresh")
        c.append(p + "str", "!")
        c.incrby(p + "int", 7)
        c.rpush(p + "list", "tail")
        c.lpop(p + "list")
        c.rpush(p + "biglist", *range(50))
        c.hset(p + "hash", "f9", "v9")
        c.hdel(p + "hash", "f1")
        c.sadd(p + "intset", 99, "not-an-int")
        c.srem(p + "set", "m1", "m2")
        c.zadd(p + "zset", {"e": 9.5})
        c.zrem(p + "zset", "a")
        c.zincrby(p + "bigzset", 3, "member7")
        c.delete(p + "empty")
        c.rename(p + "float", p + "renamed")
        c.execute_command("PEXPIREAT", p + "new", far)
        c.persist(p + "list")
        c.execute_command("COPY", p + "hash", p + "hashcopy")
        c.set(p + "ex", "soon", ex=1000)
        c.expire(p + "hashcopy", 5000)
        c.incrbyfloat(p + "fl", 1.5)
        c.spop(p + "bigintset")
        m = c.pipeline(transaction=True)
        m.lpush(p + "tx", 1, 2)
        m.pexpire(p + "tx", 90000)
        m.execute()
    c.execute_command("SELECT", 0)
    c.move("db0:new", 1)


def compare_datasets(master, replica):
    assert snapshot(master) == snapshot(replica)


# --- full sync and streaming ---------------------------------------------------------------


# Diskless with no delay unless a test needs one, so tests do not wait Redis's default 5 s.
FAST = ("--repl-diskless-sync-delay", "0")


@pytest.fixture
def synced(start_server, clients):
    """A tandem master (FAST) and a Redis replica in sync: (master, m, replica, r)."""
    master = start_server("tandem", *FAST)
    m = clients(master)
    replica = start_replica(start_server, master.port)
    r = clients(replica)
    wait_synced(m, r)
    return master, m, replica, r


@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_redis_replica_full_sync_then_live_writes(start_server, clients, diskless):
    master = start_server("tandem", "--repl-diskless-sync", diskless, *FAST)
    m = clients(master)
    populate(m)
    replica = start_replica(start_server, master.port)
    r = clients(replica)
    wait_synced(m, r)
    compare_datasets(m, r)
    live_writes(m)
    wait_synced(m, r)
    compare_datasets(m, r)
    stats = info_fields(m, "stats")
    assert stats["sync_full"] == "1"
    # What went to the replica is counted apart from client traffic, as Redis 7.0 does.
    assert int(stats["total_net_repl_output_bytes"]) > int(info_fields(m)["master_repl_offset"])


@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_two_redis_replicas_at_once(start_server, clients, diskless):
    # Diskless waits 2 s for more replicas: both get the same transfer.
    master = start_server("tandem", "--repl-diskless-sync", diskless,
                          "--repl-diskless-sync-delay", "2")
    m = clients(master)
    populate(m)
    replicas = [start_replica(start_server, master.port) for _ in range(2)]
    rs = [clients(r) for r in replicas]
    for r in rs:
        wait_synced(m, r, count=2)
    live_writes(m)
    for r in rs:
        wait_synced(m, r, count=2)
        compare_datasets(m, r)
    assert info_fields(m, "stats")["sync_full"] == "2"
    assert info_fields(m)["connected_slaves"] == "2"
    if diskless == "yes":
        assert master.output().count("Starting BGSAVE for SYNC with target: replicas sockets") == 1


def test_replica_gets_big_values_and_a_long_stream(synced):
    master, m, replica, r = synced
    pipe = m.pipeline(transaction=False)
    for i in range(20000):
        pipe.set(f"k{i}", "v" * (i % 300))
        if i % 7 == 0:
            pipe.rpush("list", i)
    pipe.execute()
    m.set("huge", b"x" * (3 * 1024 * 1024))
    wait_synced(m, r)
    assert r.dbsize() == m.dbsize()
    assert r.get("huge") == m.get("huge")
    assert r.lrange("list", 0, -1) == m.lrange("list", 0, -1)


# --- partial resynchronisation -------------------------------------------------------------


def cut_replica(start_server, clients, proxy_to, m, master_port):
    """A Redis replica attached through a proxy, synced, then cut off: (proxy, replica client)."""
    proxy = proxy_to(master_port)
    replica = start_replica(start_server, proxy.port)
    r = clients(replica)
    wait_synced(m, r)
    proxy.cut()
    wait_until(lambda: info_fields(r).get("master_link_status") == "down", what="link down")
    return proxy, r


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_silent_replica_is_dropped_after_repl_timeout_then_continues(start_server, clients, proxy_to, kind):
    """A replica that stops acknowledging (the network freezes, nothing is closed) is
    disconnected once repl-timeout passes, with Redis's log line, then continues."""
    master = start_server(kind, "--repl-timeout", "2", *FAST)
    m = clients(master)
    m.set("k", "v")
    proxy = proxy_to(master.port)
    replica = start_replica(start_server, proxy.port, "--repl-timeout", "60")
    r = clients(replica)
    wait_synced(m, r)
    proxy.stall()
    wait_until(lambda: "Disconnecting timedout replica (streaming sync)" in master.output(), 15,
               "the master to time its replica out")
    # The frozen network heals: the replica, which saw nothing, reconnects and continues.
    proxy.cut()
    proxy.resume()
    m.set("after", "timeout")
    wait_synced(m, r)
    assert r.get("after") == b"timeout"
    stats = info_fields(m, "stats")
    # Once or twice: the replica may already have reconnected when the master closed its side.
    assert stats["sync_full"] == "1" and int(stats["sync_partial_ok"]) >= 1, stats


def test_link_cut_continues_from_the_backlog(start_server, clients, proxy_to):
    master = start_server("tandem", *FAST)
    m = clients(master)
    populate(m)
    proxy, r = cut_replica(start_server, clients, proxy_to, m, master.port)
    live_writes(m)
    proxy.resume()
    wait_synced(m, r)
    compare_datasets(m, r)
    stats = info_fields(m, "stats")
    assert (stats["sync_full"], stats["sync_partial_ok"]) == ("1", "1")
    assert stats["sync_partial_err"] == "0"


def test_gap_larger_than_the_backlog_syncs_fully(start_server, clients, proxy_to):
    master = start_server("tandem", "--repl-backlog-size", "16kb", *FAST)
    m = clients(master)
    m.set("before", "cut")
    proxy, r = cut_replica(start_server, clients, proxy_to, m, master.port)
    for i in range(100):
        m.set(f"gap{i}", "g" * 1000)
    assert int(info_fields(m)["repl_backlog_first_byte_offset"]) > 1
    proxy.resume()
    wait_synced(m, r)
    compare_datasets(m, r)
    stats = info_fields(m, "stats")
    assert (stats["sync_full"], stats["sync_partial_ok"]) == ("2", "0")
    assert r.get("gap99") == b"g" * 1000


@pytest.mark.parametrize("kind,replica_kind",
                         [("tandem", "redis"), ("tandem", "tandem"), ("redis", "tandem"),
                          ("redis", "redis")])
def test_restarted_master_continues_its_replicas_history(start_server, clients, kind,
                                                         replica_kind):
    """SHUTDOWN saves the dump with the replication ID and offset; the restarted master takes
    them as its secondary ID, so the replica it had continues with +CONTINUE (Redis 7.0)."""
    master = start_server(kind, "--save", "3600 1", *FAST)
    m = clients(master)
    populate(m)
    replica = start_server(replica_kind, "--replicaof", HOST, master.port)
    r = clients(replica)
    wait_synced(m, r)
    before = info_fields(m)
    master.raw(b"SHUTDOWN\r\n")
    master.restart()
    m = clients(master)
    wait_synced(m, r)
    after = info_fields(m)
    assert after["master_replid2"] == before["master_replid"]
    assert after["master_replid"] != before["master_replid"]
    assert int(after["second_repl_offset"]) == int(after["master_repl_offset"]) + 1
    assert int(after["master_repl_offset"]) >= int(before["master_repl_offset"])
    stats = info_fields(m, "stats")
    assert (stats["sync_full"], stats["sync_partial_ok"]) == ("0", "1"), stats
    live_writes(m)
    wait_synced(m, r)
    compare_datasets(m, r)


# --- WAIT, min-replicas ---------------------------------------------------------------------


def test_wait_counts_acknowledging_replicas(synced):
    master, m, replica, r = synced
    m.set("a", 1)
    assert m.execute_command("WAIT", 1, 5000) == 1
    started = time.monotonic()
    assert m.execute_command("WAIT", 2, 300) == 1
    assert 0.25 < time.monotonic() - started < 3
    assert m.execute_command("WAIT", 0, 0) == 1


def test_min_replicas_to_write(start_server, clients):
    master = start_server("tandem", "--min-replicas-to-write", "1", *FAST)
    m = clients(master)
    with pytest.raises(Exception, match="NOREPLICAS Not enough good replicas to write."):
        m.set("a", 1)
    assert m.get("a") is None
    replica = start_replica(start_server, master.port)
    r = clients(replica)
    wait_until(lambda: info_fields(m).get("min_slaves_good_slaves") == "1", what="a good replica")
    assert m.set("a", 1)
    wait_synced(m, r)
    assert r.get("a") == b"1"


def test_noreplicas_error_matches_redis(start_pair):
    tandem, redis = start_pair("--min-replicas-to-write", "1")
    compare_raw(tandem.port, redis.port, b"SET a 1\r\nGET a\r\nMULTI\r\nSET a 1\r\nEXEC\r\n")


# --- INFO replication, ROLE, REPLCONF ---------------------------------------------------------


def shape(fields):
    """INFO replication with the values that differ between servers masked."""
    out = []
    for key, value in fields.items():
        if key.startswith("slave"):
            value = re.sub(r"=\d+", "=N", re.sub(r"port=\d+", "port=P", value))
        elif key in ("master_replid", "master_repl_offset", "repl_backlog_histlen"):
            value = "X"
        out.append((key, value))
    return out


def test_info_and_role_shapes_match_redis(start_server, clients):
    shapes, roles = [], []
    for kind in ("tandem", "redis"):
        master = start_server(kind, "--repl-diskless-sync", "no")
        m = clients(master)
        before = shape(info_fields(m))
        replica = start_replica(start_server, master.port)
        r = clients(replica)
        wait_synced(m, r)
        m.set("k", "v")
        wait_synced(m, r)
        role = m.execute_command("ROLE")
        assert role[1] == int(info_fields(m)["master_repl_offset"])
        roles.append([role[0], type(role[1]), [[type(x) for x in s] for s in role[2]]])
        assert role[2][0][1] == str(replica.port).encode()
        shapes.append((before, shape(info_fields(m))))
    assert shapes[0] == shapes[1]
    assert roles[0] == roles[1]


def test_role_and_wait_without_replicas_match_redis(assert_same_raw, both):
    # The argument errors and the immediate answers, byte for byte.
    replies = assert_same_raw(b"ROLE\r\nWAIT 0 0\r\nWAIT x 0\r\nWAIT 0 x\r\nWAIT 0 -1\r\n"
                              b"WAIT 0 1.5\r\nWAIT -1 0\r\n")
    assert replies.endswith(b"-ERR timeout is not an integer or out of range\r\n:0\r\n")
    # A WAIT that must time out answers 0 once its timeout passed. Redis ends it from its event
    # loop at a time that varies a lot on a loaded machine, so this is compared through a client
    # with a generous socket timeout rather than in the raw exchange above.
    for client in both:
        start = time.monotonic()
        assert client.execute_command("WAIT", 1, 10) == 0
        assert time.monotonic() - start >= 0.01


@pytest.mark.parametrize("command", [
    b"REPLCONF\r\n",
    b"REPLCONF listening-port\r\n",
    b"REPLCONF listening-port abc\r\n",
    b"REPLCONF listening-port 6380 capa eof capa psync2 capa other\r\n",
    b"REPLCONF foo bar\r\n",
    b"REPLCONF ip-address " + b"a" * 255 + b"\r\n",
    b"REPLCONF ip-address " + b"a" * 256 + b"\r\n",
    b"REPLCONF ip-address 1.2.3.4 listening-port x\r\n",
    b"REPLCONF rdb-only 2\r\nREPLCONF rdb-only x\r\nREPLCONF rdb-only 0\r\n",
    b"REPLCONF ACK 10\r\nREPLCONF ACK x\r\nREPLCONF GETACK *\r\nPING\r\n",
    b"REPLCONF GETACK\r\n",
    b"SYNC x\r\nPSYNC a\r\n",
])
def test_replconf_replies_match_redis(assert_same_raw, command):
    assert_same_raw(command)


def test_psync_handshake_by_hand(start_server):
    """A PSYNC with an unknown ID gets +FULLRESYNC, "\\n" keepalives or the RDB, then the stream;
    asking again with that ID and offset gets +CONTINUE."""
    master = start_server("tandem", "--repl-diskless-sync", "no")
    s = socket.create_connection((HOST, master.port), timeout=10)
    s.sendall(b"REPLCONF capa psync2\r\n")
    assert s.recv(100) == b"+OK\r\n"
    s.sendall(b"PSYNC ? -1\r\n")
    data = b""
    header = rb"\+FULLRESYNC ([0-9a-f]{40}) (\d+)\r\n\n*\$(\d+)\r\n"
    while not re.match(header, data):
        chunk = s.recv(65536)
        assert chunk, data
        data += chunk
    match = re.match(header, data)
    replid, offset, length = match.group(1), int(match.group(2)), int(match.group(3))
    rdb = data[match.end():]
    while len(rdb) < length:
        rdb += s.recv(65536)
    assert rdb.startswith(b"REDIS0010")
    assert b"repl-id" in rdb and replid in rdb
    s.close()
    c = make_client(master.port)
    c.set("after", "sync")
    s = socket.create_connection((HOST, master.port), timeout=10)
    s.sendall(b"REPLCONF capa psync2\r\n")
    assert s.recv(100) == b"+OK\r\n"
    s.sendall(b"PSYNC %s %d\r\n" % (replid, offset + 1))
    expected = b"+CONTINUE " + replid + b"\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n" \
               b"*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$4\r\nsync\r\n"
    got = b""
    while len(got.replace(b"*1\r\n$4\r\nPING\r\n", b"")) < len(expected):
        got += s.recv(65536)
    assert got.replace(b"*1\r\n$4\r\nPING\r\n", b"") == expected
    s.close()
    close_client(c)


def test_replica_past_its_output_buffer_limit_is_dropped_and_resyncs(start_server, clients):
    master = start_server("tandem", "--client-output-buffer-limit", "replica 256kb 0 0", *FAST)
    m = clients(master)
    replica = start_replica(start_server, master.port)
    r = clients(replica)
    wait_synced(m, r)
    os.kill(replica.pid, signal.SIGSTOP)  # it stops reading: its cursor falls behind
    try:
        # More than the kernel's socket buffers can absorb on loopback.
        value = b"v" * 20000
        pipe = m.pipeline(transaction=False)
        for i in range(1500):
            pipe.set(f"k{i % 300}", value)
        pipe.execute()
        wait_until(lambda: "for overcoming of output buffer limits" in master.output(),
                   what="the replica dropped")
        assert info_fields(m)["connected_slaves"] == "0"
    finally:
        os.kill(replica.pid, signal.SIGCONT)
    wait_synced(m, r)
    assert r.dbsize() == 300
    assert info_fields(m, "stats")["sync_full"] == "2"


def test_client_unblock_answers_a_wait_as_redis(on_both):
    def scenario(connect):
        waiting, admin = connect(), connect()
        my_id = int(waiting.call("CLIENT", "ID")[1:-2])
        out = []
        for reason in ("TIMEOUT", "ERROR"):
            waiting.send("WAIT", 1, 0)
            settle()
            out.append(re.search(rb" flags=\w+ ", admin.call("CLIENT", "LIST", "ID", my_id))[0])
            out.append(admin.call("CLIENT", "UNBLOCK", my_id, reason))
            out.append(waiting.reply())
        out.append(admin.call("CLIENT", "UNBLOCK", my_id))
        return out

    on_both(scenario)


def test_replica_connection_in_client_list_and_kill(synced):
    master, m, replica, r = synced
    listed = m.execute_command("CLIENT", "LIST", "TYPE", "replica").decode()
    assert listed.count("\n") == 1 and " flags=S " in listed
    assert m.execute_command("CLIENT", "KILL", "TYPE", "replica") == 1
    # It comes back, with +CONTINUE (possibly before a poll could see it gone).
    wait_until(lambda: info_fields(m, "stats")["sync_partial_ok"] == "1", what="replica back")
    assert "Connection with replica" in master.output()
    wait_synced(m, r)


def test_backlog_resize_and_ttl(start_server, clients):
    master = start_server("tandem", *FAST)
    m = clients(master)
    assert info_fields(m)["repl_backlog_active"] == "0"
    replica = start_replica(start_server, master.port)
    r = clients(replica)
    wait_synced(m, r)
    fields = info_fields(m)
    assert (fields["repl_backlog_active"], fields["repl_backlog_first_byte_offset"]) == ("1", "1")
    for i in range(40):
        m.set(f"k{i}", "x" * 1000)
    m.config_set("repl-backlog-size", "16384")
    fields = info_fields(m)
    # As Redis: trimmed at once, in whole 20440-byte blocks, to just over the new size.
    histlen = int(fields["repl_backlog_histlen"])
    assert fields["repl_backlog_size"] == "16384" and 16384 < histlen <= 16384 + 20440
    assert int(fields["repl_backlog_first_byte_offset"]) == \
        int(fields["master_repl_offset"]) - histlen + 1
    replid = fields["master_replid"]
    m.config_set("repl-backlog-ttl", "1")
    replica.stop()
    wait_until(lambda: info_fields(m)["repl_backlog_active"] == "0", what="backlog freed")
    assert info_fields(m)["master_replid"] != replid
    assert "Replication backlog freed after 1 seconds without connected replicas." in \
        master.output()


def test_old_sync_gets_the_rdb_without_fullresync_line(start_server):
    master = start_server("tandem", *FAST)
    c = make_client(master.port)
    c.set("k", "v")
    close_client(c)
    s = socket.create_connection((HOST, master.port), timeout=10)
    s.sendall(b"SYNC\r\n")
    data = b""
    while not re.match(rb"\n*\$\d+\r\n", data):
        chunk = s.recv(65536)
        assert chunk, data
        data += chunk
    match = re.match(rb"\n*\$(\d+)\r\n", data)
    rdb = data[match.end():]
    while len(rdb) < int(match.group(1)):
        rdb += s.recv(65536)
    assert rdb.startswith(b"REDIS0010") and b"\x00\x01k\x01v" in rdb
    s.close()


@pytest.mark.parametrize("capa, framing", [(b"eof", rb"\$EOF:([0-9a-f]{40})\r\n"),
                                            (b"psync2", rb"\$(\d+)\r\n")])
def test_diskless_payload_framing_follows_the_replica_capabilities(start_server, capa, framing):
    """With capa eof the snapshot comes as $EOF:<mark>\\r\\n<RDB><mark>; a replica that cannot
    read that gets the disk-based $<len> payload even when repl-diskless-sync is on."""
    master = start_server("tandem", "--repl-diskless-sync", "yes", *FAST)
    s = socket.create_connection((HOST, master.port), timeout=10)
    s.sendall(b"REPLCONF capa " + capa + b"\r\n")
    assert s.recv(100) == b"+OK\r\n"
    s.sendall(b"PSYNC ? -1\r\n")
    header = rb"\+FULLRESYNC [0-9a-f]{40} \d+\r\n\n*" + framing
    data = b""
    while not re.match(header, data):
        chunk = s.recv(65536)
        assert chunk, data
        data += chunk
    match = re.match(header, data)
    payload = data[match.end():]
    if capa == b"eof":
        mark = match.group(1)
        while not payload.endswith(mark):
            payload += s.recv(65536)
        assert payload.startswith(b"REDIS0010") and payload.count(mark) == 1
    else:
        while len(payload) < int(match.group(1)):
            payload += s.recv(65536)
        assert payload.startswith(b"REDIS0010")
    s.close()


# --- full-sync progress (beyond Redis) ------------------------------------------------------


def replica_line(m):
    return info_fields(m).get("slave0", "")


def progress(line):
    return dict(pair.split("=", 1) for pair in line.split(",") if "=" in pair)


# Bytes of one key below in the RDB: type, key length and "k1234", value length, the value.
KEY_BYTES = 1 + 1 + 5 + 2 + 8192


def keys_in(sent_bytes):
    """About how many whole keys of test_info_reports_full_sync_progress_per_replica's dataset
    the first sent_bytes bytes of its payload hold (the header and AUX fields are under 200)."""
    return sent_bytes // KEY_BYTES


@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_info_reports_full_sync_progress_per_replica(start_server, clients, diskless):
    """While a replica is fully synced, its slaveN line ends with sync_sent_bytes and
    sync_sent_keys of sync_total_keys (the snapshot's keys), plus the file's size as
    sync_total_bytes when disk-based; online, they go. The keys sent match the bytes sent."""
    master = start_server("tandem", "--repl-diskless-sync", diskless, *FAST)
    m = clients(master)
    keys, size = 4000, 8192  # 32 MB of random bytes: more than the socket buffers hold
    pipe = m.pipeline(transaction=False)
    for i in range(keys):
        pipe.set(f"k{i}", os.urandom(size))
    pipe.execute()
    s = raw_replica(master.port, b"eof capa psync2" if diskless == "yes" else b"psync2")
    if diskless == "no":
        line = wait_until(lambda: "state=send_bulk" in (l := replica_line(m)) and l,
                          what="disk payload being sent")
    else:
        line = wait_until(lambda: "sync_sent_keys=" in (l := replica_line(m)) and
                          int(progress(l)["sync_sent_bytes"]) > 0 and l,
                          what="diskless payload being sent")
    assert line.startswith("ip=127.0.0.1,port=4242,state=")  # Redis's pairs first, unchanged
    # Redis's own parser takes the extra pairs into the replica's dict.
    assert "sync_sent_bytes" in clients(master).info("replication")["slave0"]
    time.sleep(0.5)  # the socket buffers are full: the count stops below the payload
    first = progress(replica_line(m))
    sent = int(first["sync_sent_bytes"])
    assert 0 < sent < keys * size
    assert int(first["sync_total_keys"]) == keys
    if diskless == "no":
        total = int(first["sync_total_bytes"])
        assert keys * size < total < keys * (size + 100)
        assert list(first)[-4:] == ["sync_sent_bytes", "sync_total_bytes", "sync_sent_keys",
                                    "sync_total_keys"]
    else:
        assert "sync_total_bytes" not in first  # unknown until the end mark
        # The transfer is the RDB child of INFO persistence's progress fields, as in Redis.
        persistence = clients(master).info("persistence")
        assert persistence["current_save_keys_total"] == keys
        assert int(first["sync_sent_keys"]) <= persistence["current_save_keys_processed"] < keys
    # The bytes sent hold these keys, to within the one key a write may cut (and the key
    # names of 2 to 5 bytes, which KEY_BYTES counts as 5).
    sent_keys = int(first["sync_sent_keys"])
    assert 0 < sent_keys < keys
    assert keys_in(sent) - 2 <= sent_keys <= keys_in(sent) + 1
    received = 0
    while received < 8 * 1024 * 1024:  # read some: the count moves on
        received += len(s.recv(1 << 20))
    later = wait_until(lambda: int((p := progress(replica_line(m)))["sync_sent_bytes"]) > sent
                       and p, what="progress after reading")
    assert int(later["sync_sent_keys"]) > sent_keys
    s.settimeout(0.5)
    try:  # read the rest; online, the line is Redis's again
        while s.recv(1 << 20):
            pass
    except socket.timeout:
        pass
    line = wait_until(lambda: "state=online" in (l := replica_line(m)) and l, what="online")
    assert "sync_" not in line
    s.close()


# --- when full syncs start, and BGSAVE beside them -------------------------------------------


SOCKETS = "Starting BGSAVE for SYNC with target: replicas sockets"


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_diskless_sync_max_replicas_starts_before_the_delay(start_server, clients, kind):
    """repl-diskless-sync-max-replicas 2: the second arrival starts the one transfer for both,
    long before repl-diskless-sync-delay (60 s) would have."""
    master = start_server(kind, "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "60",
                          "--repl-diskless-sync-max-replicas", "2")
    m = clients(master)
    populate(m)
    first = clients(start_replica(start_server, master.port))
    wait_until(lambda: "state=wait_bgsave" in info_fields(m).get("slave0", ""),
               what="first replica waiting")
    time.sleep(1.5)  # more than a cron tick: alone, it keeps waiting for the delay
    assert "state=wait_bgsave" in info_fields(m)["slave0"] and SOCKETS not in master.output()
    second = clients(start_replica(start_server, master.port))
    for r in (first, second):
        wait_synced(m, r, count=2)  # within 20 s
        compare_datasets(m, r)
    assert master.output().count(SOCKETS) == 1


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_diskless_transfer_counts_as_the_last_background_save(start_server, clients, kind):
    master = start_server(kind, *FAST)
    m = clients(master)
    populate(m)
    assert info_fields(m, "persistence")["rdb_last_bgsave_time_sec"] == "-1"
    wait_synced(m, clients(start_replica(start_server, master.port)))
    wait_until(lambda: "Background RDB transfer terminated with success" in master.output(),
               what="transfer end logged")
    persistence = info_fields(m, "persistence")
    assert persistence["rdb_last_bgsave_time_sec"] in ("0", "1")  # seconds, rounded down
    assert (persistence["rdb_last_bgsave_status"], persistence["rdb_saves"]) == ("ok", "0")


def hold_saves(c, keys=3000):
    """keys keys and rdb-key-save-delay 1 ms: a background save or transfer lasts ~3 s."""
    pipe = c.pipeline(transaction=False)
    for i in range(keys):
        pipe.set(f"hold:{i}", i)
    pipe.execute()
    c.config_set("rdb-key-save-delay", 1000)


def call_error(c, *args):
    try:
        return c.execute_command(*args)
    except Exception as e:
        return f"error: {e}"


@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_bgsave_during_a_full_sync_is_refused_as_redis(start_pair, diskless, clients):
    """While the snapshot of a full sync is written (a disk save, or Redis's socket-target RDB
    child for diskless), BGSAVE, BGSAVE SCHEDULE and SAVE all answer that a save is running."""
    seen = []
    for server in start_pair("--repl-diskless-sync", diskless, *FAST):
        c = clients(server)
        hold_saves(c)
        s = raw_replica(server.port, b"eof capa psync2")
        wait_until(lambda: info_fields(c, "persistence")["rdb_bgsave_in_progress"] == "1",
                   what="sync snapshot started")
        seen.append([call_error(c, "BGSAVE"), call_error(c, "BGSAVE", "SCHEDULE"),
                     call_error(c, "SAVE")])
        s.close()
    assert seen[0] == seen[1] == ["error: ERR Background save already in progress"] * 3


@pytest.mark.parametrize("kind", ["tandem", "redis"])
@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_replica_arriving_during_a_user_bgsave_waits_for_the_next(start_server, clients, kind,
                                                                   diskless):
    """A user BGSAVE has no replica registering the writes since it started: a replica arriving
    meanwhile cannot share it (Redis: "Can't attach ...") and gets a save of its own once it
    ends, disk-based or diskless as configured."""
    master = start_server(kind, "--repl-diskless-sync", diskless, *FAST)
    m = clients(master)
    populate(m)
    hold_saves(m)
    assert m.bgsave()
    replica = start_replica(start_server, master.port)
    wait_until(lambda: "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE "
               "for SYNC" in master.output(), what="replica waiting for the next save")
    m.config_set("rdb-key-save-delay", 0)  # the replica's own save is quick
    assert "Starting BGSAVE for SYNC" not in master.output()  # not while the user's runs
    r = clients(replica)
    wait_synced(m, r)
    compare_datasets(m, r)
    target = SOCKETS if diskless == "yes" else "Starting BGSAVE for SYNC with target: disk"
    log = master.output()
    assert log.count(target) == 1
    assert log.index("Background saving terminated with success") < log.index(target)



# --- FLUSHALL while the snapshot of a full sync is being made --------------------------------


@pytest.mark.parametrize("kind", ["tandem", "redis"])
@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_flushall_during_a_full_sync_restarts_it_from_the_flushed_dataset(start_server, clients,
                                                                           kind, diskless):
    """Redis 7.0's FLUSHALL kills its RDB child, disk or socket target: the replica's full sync
    fails ("SYNC failed. BGSAVE child returned an error"), it asks again and gets the flushed
    dataset (sync_full 2), ending identical to the master; the killed save is no failure in INFO
    and leaves no temp file. tandem stops its snapshot thread the same way."""
    master = start_server(kind, "--repl-diskless-sync", diskless, *FAST)
    m = clients(master)
    populate(m)
    hold_saves(m)  # the snapshot takes ~3 s
    r = clients(start_replica(start_server, master.port))
    wait_until(lambda: "state=wait_bgsave" in info_fields(m).get("slave0", "") and
               info_fields(m, "persistence")["rdb_bgsave_in_progress"] == "1",
               what="the sync's snapshot being made")
    time.sleep(0.3)  # part of it written (diskless: sent)
    m.config_set("rdb-key-save-delay", 0)  # the next sync is quick
    assert m.flushall()
    m.set("after", "flush")
    m.execute_command("SELECT", 2)
    m.rpush("list", 1, 2, 3)
    wait_synced(m, r)
    compare_datasets(m, r)
    assert r.dbsize() == 1
    log = master.output()
    what = "Background transfer" if diskless == "yes" else "Background saving"
    assert f"{what} terminated by signal 10" in log
    assert "SYNC failed. BGSAVE child returned an error" in log
    assert info_fields(m, "stats")["sync_full"] == "2"
    assert info_fields(m, "persistence")["rdb_last_bgsave_status"] == "ok"
    assert not [f for f in os.listdir(master.dir) if f.startswith("temp-")]


@pytest.mark.parametrize("diskless", ["no", "yes"])
def test_flushdb_during_a_full_sync_keeps_it(start_server, clients, diskless):
    """FLUSHDB does not stop the snapshot (Redis kills its child only on FLUSHALL): the replica
    loads the keys of before and then applies the FLUSHDB from the stream, ending equal to the
    master with one full sync."""
    master = start_server("tandem", "--repl-diskless-sync", diskless, *FAST)
    m = clients(master)
    populate(m)
    hold_saves(m, keys=1500)
    r = clients(start_replica(start_server, master.port))
    wait_until(lambda: info_fields(m, "persistence")["rdb_bgsave_in_progress"] == "1",
               what="the sync's snapshot being made")
    time.sleep(0.3)
    m.execute_command("FLUSHDB", "ASYNC")  # db 0: the held keys and populate's db 0
    m.set("after", "flushdb")
    wait_synced(m, r)
    compare_datasets(m, r)
    assert r.get("after") == b"flushdb" and r.dbsize() == 1
    assert info_fields(m, "stats")["sync_full"] == "1"
    assert "terminated by signal" not in master.output()


def backlog_state(c):
    f = info_fields(c)
    return (f["master_repl_offset"], f["repl_backlog_first_byte_offset"], f["repl_backlog_histlen"])


@pytest.mark.parametrize("size", ["40000", "1mb"])
def test_backlog_window_matches_redis(start_server, clients, size):
    """The same writes to a tandem and a Redis master (one caught-up replica each) leave the same
    master_repl_offset, repl_backlog_first_byte_offset and repl_backlog_histlen, through the
    window's trimming in Redis's blocks (16 KB, or a sixteenth of the backlog for long appends):
    small commands, values around a block, values larger than the whole backlog, a resize."""
    masters = [start_server(kind, "--repl-backlog-size", size,
                            "--repl-ping-replica-period", "3600", *FAST)
               for kind in ("tandem", "redis")]
    time.sleep(1.5)  # past both servers' first replication cron tick (a PING at loop 0)
    pairs = []
    for master in masters:
        m, r = clients(master), clients(start_replica(start_server, master.port))
        wait_synced(m, r)
        pairs.append((m, r))
    assert backlog_state(pairs[0][0])[1:] == backlog_state(pairs[1][0])[1:]

    def small(c):
        for i in range(300):
            c.set(f"s{i}", i)

    def around_a_block(c):
        for size in (16000, 16384, 16500, 20440, 20441, 30000):
            c.set("b", "x" * size)
        c.rpush("l", "y" * 17000, "z" * 5, "w" * 40000)

    def larger_than_the_backlog(c):
        c.execute_command("SELECT", 3)
        c.set("big", "v" * 100000)
        c.set("s", 1)
        c.set("big", "v" * 60000)
        c.execute_command("SELECT", 0)

    def many_big_values(c):
        for i in range(12):
            c.set(f"big{i}", os.urandom(50000 + i * 9000))

    def resize(c):
        c.config_set("repl-backlog-size", 20000)
        c.set("after", "resize" * 10)

    for phase in (small, around_a_block, larger_than_the_backlog, many_big_values, resize, small):
        states = []
        for m, r in pairs:
            phase(m)
            wait_synced(m, r)  # Redis trims only what its caught-up replica no longer reads
            states.append(backlog_state(m))
        assert states[0] == states[1], phase.__name__
