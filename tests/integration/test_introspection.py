"""Introspection commands against Redis 7.0: COMMAND, CLIENT, SLOWLOG, LATENCY and MONITOR.

Deterministic replies (COMMAND INFO of a command both servers have, error texts, HELP texts,
CLIENT LIST's field names, MONITOR's quoting) are compared with the real redis-server; what
depends on time or addresses is masked or checked for shape. Tests that change server-wide
state (pauses, killing clients by type, slow log settings) run on servers of their own.
"""

import re
import shutil
import subprocess
import threading
import time

import pytest

from conftest import (
    RawConnection,
    assert_same,
    encode_command,
    make_client,
    parse_all,
    redis_cli,
    run_command,
)

# --- COMMAND --------------------------------------------------------------------------------


def test_command_count_is_the_number_of_registered_commands(tandem):
    count = run_command(tandem, "COMMAND", "COUNT")
    everything = run_command(tandem, "COMMAND")
    assert count == len(everything) > 10
    names = run_command(tandem, "COMMAND", "LIST")
    assert count == len([n for n in names if b"|" not in n])
    docs = run_command(tandem, "COMMAND", "DOCS")
    assert count == len(docs) // 2
    assert {entry[0] for entry in everything} == {n for n in names if b"|" not in n}


# Commands whose whole COMMAND INFO entry (key specs included) is the same as Redis's.
@pytest.mark.parametrize(
    "name",
    ["get", "incr", "echo", "select", "auth", "hello", "client|list", "client|kill",
     "client|setname", "client|reply", "client|help", "command|info", "command|docs",
     "command|count", "slowlog|get", "slowlog|len", "latency|latest", "latency|reset",
     "monitor"],
)  # fmt: skip
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()


# Name, arity, flags, key positions and ACL categories (tips and key specs may be less precise).
@pytest.mark.parametrize("name", ["set", "mset", "getdel", "del", "exists", "expire", "ttl",
                                  "config|get", "info"])
def test_command_info_head_matches_redis(both, name):
    tandem, reference = both
    ours = run_command(tandem, "COMMAND", "INFO", name)[0]
    theirs = run_command(reference, "COMMAND", "INFO", name)[0]
    if ours is None:
        pytest.skip(f"{name} is not implemented yet")
    assert ours[:7] == theirs[:7]


def test_command_info_containers(both):
    tandem, reference = both
    for name in ("client", "command", "slowlog", "latency"):
        ours = run_command(tandem, "COMMAND", "INFO", name)[0]
        theirs = run_command(reference, "COMMAND", "INFO", name)[0]
        assert ours[:9] == theirs[:9]
        ours_subs = {sub[0]: sub for sub in ours[9]}
        theirs_subs = {sub[0]: sub for sub in theirs[9]}
        assert set(ours_subs) <= set(theirs_subs)
        for sub, entry in ours_subs.items():
            assert entry == theirs_subs[sub]


def test_command_info_unknown_and_mixed(both):
    assert assert_same(both, "COMMAND", "INFO", "nosuch") == [None]
    reply = assert_same(both, "COMMAND", "INFO", "nosuch", "GET", "client|id", "client|nosuch")
    assert [r[0] if r else None for r in reply] == [None, b"get", b"client|id", None]


def test_command_info_resp3_shapes(tandem_server, redis_server):
    payload = encode_command("HELLO", "3") + encode_command("COMMAND", "INFO", "get", "client|id")
    payload += encode_command("COMMAND", "INFO", "slowlog")
    ours = parse_all(RawConnection(tandem_server.port).exchange(payload))
    theirs = parse_all(RawConnection(redis_server.port).exchange(payload))
    assert [raw for _, raw in ours[1:2]] == [raw for _, raw in theirs[1:2]]
    # slowlog's subcommand entries are the same, in any order.
    assert sorted(ours[2][0][0][9], key=repr) == sorted(theirs[2][0][0][9], key=repr)


def docs_map(reply):
    return {reply[i]: reply[i + 1] for i in range(0, len(reply), 2)}


@pytest.mark.parametrize(
    "name",
    ["client|id", "client|getname", "client|info", "client|setname", "slowlog|len",
     "latency|history", "latency|graph", "latency|reset", "command|count", "command|docs",
     "monitor"],
)  # fmt: skip
def test_command_docs_match_redis(both, name):
    reply = assert_same(both, "COMMAND", "DOCS", name)
    assert reply[0] == name.encode()


# Whole entries, key_spec_index of the key arguments included.
@pytest.mark.parametrize("name", ["del", "rename", "hget", "sdiff", "zdiff", "memory|usage",
                                  "object|encoding", "touch", "llen", "zintercard", "move"])
def test_command_docs_with_key_arguments_match_redis(both, name):
    assert_same(both, "COMMAND", "DOCS", name)


def test_command_docs_summary_fields_of_containers(both):
    tandem, reference = both
    for name in ("client", "command", "slowlog", "latency"):
        ours = docs_map(run_command(tandem, "COMMAND", "DOCS", name)[1])
        theirs = docs_map(run_command(reference, "COMMAND", "DOCS", name)[1])
        for field in (b"summary", b"since", b"group", b"complexity"):
            assert ours[field] == theirs[field], (name, field)
        our_subs = docs_map(ours[b"subcommands"])
        their_subs = docs_map(theirs[b"subcommands"])
        assert set(our_subs) <= set(their_subs)
        for sub, doc in our_subs.items():
            ours_doc, theirs_doc = docs_map(doc), docs_map(their_subs[sub])
            for field in (b"summary", b"since", b"group", b"complexity"):
                assert ours_doc.get(field) == theirs_doc.get(field), (sub, field)


def test_command_docs_unknown_names_are_skipped(both):
    assert assert_same(both, "COMMAND", "DOCS", "nosuch") == []
    reply = assert_same(both, "COMMAND", "DOCS", "nosuch", "client|id")
    assert reply[0] == b"client|id"


def test_command_docs_arguments_render_as_redis_cli_hints(tandem):
    """redis-cli 7.0 builds its hints from COMMAND DOCS arguments; rebuild them like it does."""

    def render(arg):
        arg = docs_map(arg)
        flags = arg.get(b"flags", [])
        token = arg.get(b"token", b"").decode()
        kind = arg[b"type"]
        if kind == b"oneof":
            rep = "|".join(render(a) for a in arg[b"arguments"])
        elif kind == b"block":
            rep = " ".join(render(a) for a in arg[b"arguments"])
        elif kind == b"pure-token":
            rep = ""
        else:
            rep = arg[b"name"].decode()
        prefix = token + (" " if token and kind != b"pure-token" else "")
        out = prefix + rep
        if b"multiple" in flags:
            out += " [" + (prefix if b"multiple_token" in flags else "") + rep + " ...]"
        return f"[{out}]" if b"optional" in flags else out

    def hint(name):
        doc = docs_map(run_command(tandem, "COMMAND", "DOCS", name)[1])
        return " ".join(render(a) for a in doc.get(b"arguments", []))

    assert hint("client|pause") == "timeout [WRITE|ALL]"
    assert hint("client|list") == (
        "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]"
    )
    assert hint("command|list") == "[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]"
    assert hint("command|info") == "[command-name [command-name ...]]"
    assert hint("client|reply") == "ON|OFF|SKIP"
    assert hint("slowlog|get") == "[count]"


@pytest.mark.parametrize(
    "args",
    [("GETKEYS", "get", "a"), ("GETKEYS", "mset", "a", "b", "c", "d"),
     ("GETKEYS", "mset", "a", "b", "c"), ("GETKEYS", "nosuch", "a"), ("GETKEYS", "client", "list"),
     ("GETKEYS", "client", "kill", "x"), ("GETKEYS", "get", "a", "b"), ("GETKEYS", "ping"),
     ("GETKEYS",), ("GETKEYSANDFLAGS", "get", "a"), ("GETKEYSANDFLAGS", "nosuch", "a"),
     ("GETKEYS", "client", "nosuch", "x"),
     ("COUNT", "x"), ("HELP",), ("HELP", "x"), ("nosuch",), ("LIST", "foo"),
     ("LIST", "FILTERBY", "foo", "bar"), ("LIST", "FILTERBY", "PATTERN"),
     ("LIST", "FILTERBY", "MODULE", "foo"), ("LIST", "FILTERBY", "ACLCAT", "nosuch"),
     ("LIST", "FILTERBY", "PATTERN", "nosuch*")],
)  # fmt: skip
def test_command_subcommands_match_redis(both, args):
    assert_same(both, "COMMAND", *args)


def test_command_list_filters(both):
    tandem, reference = both
    ours = set(run_command(tandem, "COMMAND", "LIST", "FILTERBY", "PATTERN", "client*"))
    theirs = set(run_command(reference, "COMMAND", "LIST", "FILTERBY", "PATTERN", "CLIENT*"))
    assert b"client" in ours and b"client|kill" in ours and ours <= theirs
    ours = set(run_command(tandem, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection"))
    theirs = set(run_command(reference, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection"))
    assert {b"command", b"client|id", b"ping", b"echo"} <= ours <= theirs
    assert b"client" not in ours  # the container itself is only @slow


# --- CLIENT ---------------------------------------------------------------------------------

CLIENT_LIST_LINE = re.compile(rb"^(?:[a-z-]+=\S*)(?: [a-z-]+=\S*)*$")


def field_names(line):
    return [field.split(b"=", 1)[0] for field in line.split(b" ")]


def test_client_list_fields_are_redis_fields(both):
    tandem, reference = both
    ours = run_command(tandem, "CLIENT", "LIST").splitlines()
    theirs = run_command(reference, "CLIENT", "LIST").splitlines()
    assert ours and theirs
    for line in ours:
        assert CLIENT_LIST_LINE.match(line), line
        assert field_names(line) == field_names(theirs[0])
    info = run_command(tandem, "CLIENT", "INFO")
    assert info.endswith(b"\n") and field_names(info.rstrip(b"\n")) == field_names(theirs[0])
    fields = dict(f.split(b"=", 1) for f in info.rstrip(b"\n").split(b" "))
    assert int(fields[b"id"]) == run_command(tandem, "CLIENT", "ID")
    assert fields[b"cmd"] == b"client|info"
    assert fields[b"flags"] == b"N" and fields[b"db"] == b"0" and fields[b"resp"] == b"2"


def test_client_list_filters(both):
    tandem, reference = both
    my_id = run_command(tandem, "CLIENT", "ID")
    lines = run_command(tandem, "CLIENT", "LIST", "ID", my_id, 999999).splitlines()
    assert len(lines) == 1 and lines[0].startswith(b"id=%d " % my_id)
    assert b"id=%d " % my_id in run_command(tandem, "CLIENT", "LIST", "TYPE", "normal")
    assert run_command(tandem, "CLIENT", "LIST", "TYPE", "pubsub") == b""
    assert run_command(tandem, "CLIENT", "LIST", "TYPE", "replica") == b""


@pytest.mark.parametrize(
    "args",
    [("LIST", "TYPE", "foo"), ("LIST", "ID"), ("LIST", "ID", "abc"), ("LIST", "ID", "1", "abc"),
     ("LIST", "foo"), ("LIST", "TYPE", "normal", "ID", "1"), ("SETNAME",), ("SETNAME", "a b"),
     ("SETNAME", "a\nb"), ("SETNAME", "a", "b"), ("GETNAME", "x"), ("ID", "x"), ("foo",),
     ("KILL",), ("KILL", "1.2.3.4:5"), ("KILL", "id"), ("KILL", "ID", "abc"), ("KILL", "ID", "0"),
     ("KILL", "ID", "-5"), ("KILL", "ID", "999999"), ("KILL", "foo", "bar"),
     ("KILL", "SKIPME", "maybe"), ("KILL", "TYPE", "foo"), ("KILL", "USER", "nobody"),
     ("KILL", "ADDR", "1.2.3.4:5"), ("KILL", "LADDR", "1.2.3.4:5", "ID", "999999"),
     ("KILL", "ID", "1", "TYPE"), ("PAUSE",), ("PAUSE", "abc"), ("PAUSE", "-1"),
     ("PAUSE", "10", "foo"), ("PAUSE", "abc", "foo"), ("PAUSE", "10", "write", "extra"),
     ("REPLY",), ("REPLY", "foo"), ("NO-EVICT", "foo"), ("NO-EVICT", "on"), ("NO-EVICT", "OFF"),
     ("UNBLOCK", "x"), ("UNBLOCK", "1", "foo"), ("UNBLOCK", "999999"), ("GETREDIR",),
     ("TRACKINGINFO",), ("HELP",), ("UNPAUSE", "x")],
)  # fmt: skip
def test_client_replies_match_redis(both, args):
    assert_same(both, "CLIENT", *args)


def test_client_setname_getname(both):
    assert assert_same(both, "CLIENT", "GETNAME") is None
    assert assert_same(both, "CLIENT", "SETNAME", "my-name") == b"OK"
    assert assert_same(both, "CLIENT", "GETNAME") == b"my-name"
    tandem, _ = both
    assert b" name=my-name " in run_command(tandem, "CLIENT", "INFO")
    assert assert_same(both, "CLIENT", "SETNAME", "") == b"OK"
    assert assert_same(both, "CLIENT", "GETNAME") is None


def wait_closed(conn, timeout=2.0):
    return conn.is_closed(timeout=timeout)


def client_id_of(conn):
    conn.send(encode_command("CLIENT", "ID"))
    return int(conn.read(until=b"\r\n")[1:-2])


def addr_of(conn):
    local = conn.sock.getsockname()
    return f"{local[0]}:{local[1]}"


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_client_kill_variants(tandem_server, redis_server, kind):
    server = tandem_server if kind == "tandem" else redis_server
    killer = make_client(server.port)
    try:
        # Old form: by address, +OK.
        victim = RawConnection(server.port)
        client_id_of(victim)
        assert killer.execute_command("CLIENT", "KILL", addr_of(victim)) == b"OK"
        assert wait_closed(victim)
        # New form: by id, the count.
        victim = RawConnection(server.port)
        victim_id = client_id_of(victim)
        assert killer.execute_command("CLIENT", "KILL", "ID", victim_id) == 1
        assert wait_closed(victim)
        assert killer.execute_command("CLIENT", "KILL", "ID", victim_id) == 0
        # ADDR and LADDR together, USER default.
        victim = RawConnection(server.port)
        client_id_of(victim)
        peer = victim.sock.getpeername()
        laddr = f"{peer[0]}:{peer[1]}"
        assert killer.execute_command("CLIENT", "KILL", "ADDR", addr_of(victim), "LADDR", laddr,
                                      "USER", "default") == 1
        assert wait_closed(victim)
        # SKIPME yes (the default) spares the caller; the others of the type go.
        victim = RawConnection(server.port)
        victim_id = client_id_of(victim)
        assert killer.execute_command("CLIENT", "KILL", "ID", victim_id, "TYPE", "normal",
                                      "SKIPME", "yes") == 1
        assert wait_closed(victim)
        assert killer.execute_command("PING") is True
    finally:
        killer.close()


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_client_kill_yourself_replies_then_closes(tandem_server, redis_server, kind):
    server = tandem_server if kind == "tandem" else redis_server
    with RawConnection(server.port) as conn:
        my_id = client_id_of(conn)
        conn.send(encode_command("CLIENT", "KILL", "ID", my_id, "SKIPME", "no") + b"PING\r\n")
        assert conn.read(until=b":1\r\n") == b":1\r\n"
        assert wait_closed(conn)
    with RawConnection(server.port) as conn:
        client_id_of(conn)
        conn.send(encode_command("CLIENT", "KILL", addr_of(conn)))
        assert conn.read(until=b"+OK\r\n") == b"+OK\r\n"
        assert wait_closed(conn)
    with RawConnection(server.port) as conn:
        my_id = client_id_of(conn)
        conn.send(encode_command("CLIENT", "KILL", "ID", my_id))  # SKIPME yes: nothing killed
        assert conn.read(until=b"\r\n") == b":0\r\n"


def test_client_reply_modes_on_the_wire(assert_same_raw):
    payload = b"".join([
        encode_command("CLIENT", "REPLY", "SKIP"),
        encode_command("SET", "k", "1"),  # reply skipped
        encode_command("GET", "k"),
        encode_command("CLIENT", "REPLY", "OFF"),
        encode_command("GET", "k"),
        encode_command("CLIENT", "REPLY", "SKIP"),  # ignored while OFF
        encode_command("NOSUCH"),  # even errors are dropped
        encode_command("CLIENT", "REPLY", "ON"),
        encode_command("PING"),
        encode_command("CLIENT", "REPLY", "SKIP"),
        encode_command("CLIENT", "REPLY", "SKIP"),  # its own reply is skipped; skips the next
        encode_command("PING"),
        encode_command("ECHO", "x"),
    ])  # fmt: skip
    assert assert_same_raw(payload) == b"$1\r\n1\r\n+OK\r\n+PONG\r\n$1\r\nx\r\n"


def test_client_pause_write_holds_writes_only(start_server):
    server = start_server("tandem")
    admin, writer, reader = (make_client(server.port) for _ in range(3))
    try:
        assert admin.execute_command("CLIENT", "PAUSE", 400, "WRITE") == b"OK"
        start = time.monotonic()
        assert reader.get("k") is None  # reads go on
        assert time.monotonic() - start < 0.2
        assert writer.set("k", "v") is True  # held until the pause ends
        assert 0.3 <= time.monotonic() - start < 2.0
        assert reader.get("k") == b"v"
        # UNPAUSE releases the held clients early.
        assert admin.execute_command("CLIENT", "PAUSE", 5000, "WRITE") == b"OK"
        threading.Timer(0.2, lambda: admin.execute_command("CLIENT", "UNPAUSE")).start()
        start = time.monotonic()
        assert writer.set("k", "w") is True
        assert 0.15 <= time.monotonic() - start < 2.0
        # ALL holds every command, reads too; the held client shows flag b.
        assert admin.execute_command("CLIENT", "PAUSE", 300, "ALL") == b"OK"
        start = time.monotonic()
        assert reader.get("k") == b"w"
        assert time.monotonic() - start >= 0.25
    finally:
        for c in (admin, writer, reader):
            c.close()


def test_client_pause_keeps_expired_keys_until_it_ends(start_server):
    """Redis 7.0: during a pause expired keys read as missing but are not deleted (neither
    lazily nor by the active cycle), so a failover meanwhile finds the dataset unchanged."""
    def transcript(kind):
        server = start_server(kind)
        admin, reader = make_client(server.port), make_client(server.port)
        try:
            reader.set("short", "v", px=100)
            reader.set("long", "v")
            admin.execute_command("CLIENT", "PAUSE", 5000, "WRITE")
            time.sleep(0.4)  # several active expiry cycles
            seen = [reader.get("short"), reader.exists("short"), reader.dbsize(),
                    reader.info("stats")["expired_keys"]]
            admin.execute_command("CLIENT", "UNPAUSE")
            deadline = time.monotonic() + 5
            while reader.dbsize() != 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            return seen + [reader.dbsize(), reader.info("stats")["expired_keys"]]
        finally:
            admin.close()
            reader.close()

    assert transcript("tandem") == transcript("redis") == [None, 0, 2, 0, 1, 1]


def test_client_pause_all_shows_held_clients_and_keeps_order(start_server):
    server = start_server("tandem")
    admin = make_client(server.port)
    try:
        with RawConnection(server.port) as held:
            held_id = client_id_of(held)
            admin.execute_command("CLIENT", "PAUSE", 300, "WRITE")
            held.send(encode_command("SET", "a", "1") + encode_command("GET", "a"))
            time.sleep(0.1)
            line = admin.execute_command("CLIENT", "LIST", "ID", held_id)
            assert b" flags=b " in line
            assert held.read(expected_len=len(b"+OK\r\n$1\r\n1\r\n"), timeout=3) == (
                b"+OK\r\n$1\r\n1\r\n"
            )
    finally:
        admin.close()


def test_client_no_evict_flag(tandem):
    assert run_command(tandem, "CLIENT", "NO-EVICT", "on") == b"OK"
    assert b" flags=e " in run_command(tandem, "CLIENT", "INFO")
    assert run_command(tandem, "CLIENT", "NO-EVICT", "off") == b"OK"
    assert b" flags=N " in run_command(tandem, "CLIENT", "INFO")


# --- SLOWLOG --------------------------------------------------------------------------------


def slowlog_entries(client, *count):
    return run_command(client, "SLOWLOG", "GET", *count)


@pytest.fixture
def slow_pair(start_pair):
    tandem_proc, redis_proc = start_pair("--slowlog-log-slower-than", "0")
    clients = (make_client(tandem_proc.port), make_client(redis_proc.port))
    yield clients
    for c in clients:
        c.close()


def test_slowlog_records_commands_like_redis(slow_pair):
    for client in slow_pair:
        run_command(client, "CLIENT", "SETNAME", "nm")
        run_command(client, "SLOWLOG", "RESET")
        run_command(client, "SET", "a" * 200, "b")
        run_command(client, "MSET", *[str(i) for i in range(40)])
        run_command(client, "AUTH", "pw")  # an error, still logged, password redacted
        run_command(client, "NOSUCH")  # never ran: not logged
        run_command(client, "GET")  # wrong arity: not logged
        run_command(client, "SET", "k", "v")
    ours, theirs = (slowlog_entries(c, "-1") for c in slow_pair)
    assert len(ours) == len(theirs) == 5
    for mine, ref in zip(ours, theirs):
        assert len(mine) == 6
        assert mine[3] == ref[3]  # arguments, truncated the same way
        assert mine[5] == ref[5] == b"nm"
        assert isinstance(mine[2], int) and mine[2] >= 0
        assert abs(mine[1] - time.time()) < 60
        assert mine[4].startswith(b"127.0.0.1:")
    assert [e[0] for e in ours] == sorted((e[0] for e in ours), reverse=True)
    assert run_command(slow_pair[0], "SLOWLOG", "LEN") == 6  # now with SLOWLOG GET itself
    assert len(slowlog_entries(slow_pair[0])) == 7
    assert len(slowlog_entries(slow_pair[0], "2")) == 2
    assert slowlog_entries(slow_pair[0], "0") == []
    assert run_command(slow_pair[0], "SLOWLOG", "RESET") == b"OK"
    assert run_command(slow_pair[0], "SLOWLOG", "LEN") == 1  # the RESET itself


@pytest.mark.parametrize(
    "args",
    [("GET", "-2"), ("GET", "abc"), ("GET", "1", "2"), ("LEN", "x"), ("RESET", "x"), ("HELP",),
     ("foo",), ()],
)  # fmt: skip
def test_slowlog_errors_and_help_match_redis(both, args):
    assert_same(both, "SLOWLOG", *args)


def test_slowlog_max_len(start_pair):
    tandem_proc, _ = start_pair("--slowlog-log-slower-than", "0", "--slowlog-max-len", "3")
    client = make_client(tandem_proc.port)
    try:
        for i in range(10):
            client.execute_command("PING", str(i))
        entries = run_command(client, "SLOWLOG", "GET", "-1")
        assert [e[3] for e in entries] == [[b"PING", b"9"], [b"PING", b"8"], [b"PING", b"7"]]
    finally:
        client.close()


# --- LATENCY --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("LATEST",), ("HISTORY", "command"), ("HISTORY",), ("RESET",), ("RESET", "nosuch"),
     ("GRAPH", "command"), ("DOCTOR",), ("HELP",), ("LATEST", "x"), ("foo",)],
)  # fmt: skip
def test_latency_without_samples_matches_redis(both, args):
    assert_same(both, "LATENCY", *args)


def test_latency_records_slow_commands(start_pair):
    servers = start_pair("--latency-monitor-threshold", "1")
    for server in servers:
        client = make_client(server.port)
        try:
            assert run_command(client, "DEBUG", "SLEEP", "0.02") == b"OK"
            latest = run_command(client, "LATENCY", "LATEST")
            assert len(latest) == 1 and latest[0][0] == b"command"
            assert latest[0][2] >= 20 and latest[0][3] >= 20
            assert abs(latest[0][1] - time.time()) < 60
            history = run_command(client, "LATENCY", "HISTORY", "command")
            assert len(history) == 1 and history[0][1] >= 20
            doctor = run_command(client, "LATENCY", "DOCTOR")
            assert doctor.startswith(b"Dave, I have observed latency spikes")
            assert b"1. command: 1 latency spikes" in doctor
            graph = run_command(client, "LATENCY", "GRAPH", "command")
            assert graph.startswith(b"command - high ")
            assert run_command(client, "LATENCY", "RESET", "command", "nosuch") == 1
            assert run_command(client, "LATENCY", "LATEST") == []
        finally:
            client.close()


# --- MONITOR --------------------------------------------------------------------------------

MONITOR_LINE = re.compile(rb"^\+\d{10}\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\] (.*)$")

MONITORED = [
    ("SET", "k", "v"),
    ("SET", b"bin\x00\x01\xff\"\\\n\r\t\x07\x08", "sp ace"),
    ("SELECT", "3"),
    ("GET", "k"),
    ("NOSUCH", "x"),  # never ran: not shown
    ("GET",),  # wrong arity: not shown
    ("AUTH", "pw"),  # shown with the password redacted
    ("HELLO", "2", "AUTH", "user", "pw"),
    ("CLIENT", "LIST"),  # admin commands are not shown
    ("CONFIG", "GET", "port"),
    ("CLIENT", "SETNAME", "abc"),
    ("SELECT", "0"),
    ("ECHO", "\u00e9"),
]


def monitor_transcript(port):
    with RawConnection(port) as monitor, RawConnection(port) as other:
        monitor.send(encode_command("MONITOR"))
        assert monitor.read(until=b"+OK\r\n") == b"+OK\r\n"
        for command in MONITORED:
            other.send(encode_command(*command))
            other.read_reply()
        # A monitor may not touch the keyspace; MONITOR again answers nothing; PING is shown.
        monitor.send(encode_command("GET", "k") + encode_command("MONITOR") + b"PING\r\n")
        data = monitor.read(quiet=0.3)
    lines = data.split(b"\r\n")
    masked = []
    for line in lines:
        match = MONITOR_LINE.match(line)
        masked.append(b"[%s] %s" % (match.group(1), match.group(2)) if match else line)
    return masked


def test_monitor_output_matches_redis(tandem_server, redis_server):
    ours = monitor_transcript(tandem_server.port)
    theirs = monitor_transcript(redis_server.port)
    assert ours == theirs
    assert b'[0] "SET" "bin\\x00\\x01\\xff\\"\\\\\\n\\r\\t\\a\\b" "sp ace"' in ours
    assert b'[3] "AUTH" "(redacted)"' in ours


def test_monitor_client_flag_and_quit(tandem_server):
    with RawConnection(tandem_server.port) as monitor:
        monitor.send(encode_command("MONITOR"))
        monitor.read(until=b"+OK\r\n")
        other = make_client(tandem_server.port)
        try:
            assert b" flags=O " in other.execute_command("CLIENT", "LIST")
        finally:
            other.close()
        monitor.send(b"QUIT\r\n")
        assert monitor.read(until=b"+OK\r\n").endswith(b"+OK\r\n")
        assert wait_closed(monitor)


# --- redis-cli ------------------------------------------------------------------------------


def test_redis_cli_with_commands_on_stdin(tandem_server, redis_server):
    script = "SET greeting hello\nGET greeting\nCLIENT SETNAME cli\nCLIENT GETNAME\nDEL greeting\n"
    outputs = []
    for server in (tandem_server, redis_server):
        result = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(server.port)],
            input=script.encode(), capture_output=True, timeout=20,
        )  # fmt: skip
        assert result.returncode == 0
        assert result.stderr == b""
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == b"OK\nhello\nOK\ncli\n1\n"


def test_redis_cli_help_uses_command_docs(tandem_server):
    out = re.sub(r"\x1b\[[0-9;]*m", "", redis_cli(tandem_server.port, stdin="HELP CLIENT PAUSE\n"))
    assert "CLIENT PAUSE timeout [WRITE|ALL]" in out
    assert "Stop processing commands from clients for some time" in out


def test_redis_cli_interactive_session_shows_hints(tandem_server):
    """A real terminal (tmux): redis-cli reads COMMAND DOCS at start and shows argument hints."""
    tmux = shutil.which("tmux")
    if not tmux:
        pytest.skip("tmux is not installed")
    session = f"tandem-cli-{tandem_server.port}"
    subprocess.run([tmux, "new-session", "-d", "-s", session, "-x", "160", "-y", "30",
                    f"redis-cli -h 127.0.0.1 -p {tandem_server.port}"], check=True)  # fmt: skip

    def screen_shows(text, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pane = subprocess.run([tmux, "capture-pane", "-t", session, "-p"],
                                  capture_output=True, text=True).stdout
            if text in pane:
                return pane
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on the screen:\n{pane}")

    try:
        screen_shows(f"127.0.0.1:{tandem_server.port}>")
        subprocess.run([tmux, "send-keys", "-t", session, "CLIENT PAUSE "], check=True)
        screen_shows("CLIENT PAUSE timeout [WRITE|ALL]")
        subprocess.run([tmux, "send-keys", "-t", session, "C-u", "SET k interactive", "Enter"],
                       check=True)  # fmt: skip
        screen_shows("OK")
        subprocess.run([tmux, "send-keys", "-t", session, "GET k", "Enter"], check=True)
        pane = screen_shows('"interactive"')
        assert "ERR" not in pane
    finally:
        subprocess.run([tmux, "kill-session", "-t", session], capture_output=True)
