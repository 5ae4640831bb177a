"""Keyspace commands against the real redis-server 7.0: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN,
RANDOMKEY, RENAME, RENAMENX, MOVE, COPY, TOUCH and OBJECT.

Replies and error texts are compared with Redis through assert_same. SCAN's order (and where
its cursor stops) depends on each server's hash function, so full iterations are compared as
sets, and the no-duplicates / no-misses guarantee is checked on tandem alone, also while keys
are being added between calls.
"""

import time

import pytest

from conftest import RespError, assert_same, assert_same_error, run_command, same_all

INT_MAX = 2**31 - 1


def full_scan(client, *options):
    """Runs SCAN to completion; returns the list of keys (with any duplicates) and the number of
    calls it took."""
    keys = []
    cursor = b"0"
    calls = 0
    while True:
        reply = run_command(client, "SCAN", cursor, *options)
        assert isinstance(reply, list) and len(reply) == 2, reply
        cursor, batch = reply
        assert isinstance(cursor, bytes)  # a bulk string, as Redis sends it
        keys.extend(batch)
        calls += 1
        if cursor == b"0":
            return keys, calls


def fill(both, count, prefix="key:"):
    """MSET count keys on both servers, in batches."""
    for start in range(0, count, 1000):
        args = []
        for i in range(start, min(count, start + 1000)):
            args += [f"{prefix}{i}", str(i)]
        for client in both:
            run_command(client, "MSET", *args)


# --- DEL / UNLINK / EXISTS / TYPE / TOUCH -----------------------------------------------------


@pytest.mark.parametrize("command", ["DEL", "UNLINK"])
def test_del_and_unlink_count_the_keys_removed(both, command):
    same_all(both, ("MSET", "a", "1", "b", "2", "c", "3"))
    assert assert_same(both, command, "a", "missing", "a", "b") == 2
    assert assert_same(both, "EXISTS", "a", "b", "c") == 1
    assert assert_same(both, command, "missing") == 0
    assert assert_same(both, command, "c") == 1
    assert_same_error(both, command)


def test_del_does_not_count_an_expired_key(both):
    same_all(both, ("SET", "k", "v", "PX", "1"), ("SET", "live", "v"))
    time.sleep(0.01)
    assert assert_same(both, "DEL", "k", "live") == 1


def test_exists_counts_repeats(both):
    assert_same(both, "SET", "a", "1")
    assert assert_same(both, "EXISTS", "a", "a", "missing", "a") == 3
    assert assert_same(both, "EXISTS", "missing") == 0
    assert_same_error(both, "EXISTS")


def test_type(both):
    assert_same(both, "SET", "s", "v")
    assert_same(both, "SET", "i", "12")
    assert assert_same(both, "TYPE", "s") == b"string"
    assert assert_same(both, "TYPE", "i") == b"string"
    assert assert_same(both, "TYPE", "missing") == b"none"
    assert_same_error(both, "TYPE")
    assert_same_error(both, "TYPE", "s", "x")


def test_touch_counts_existing_keys(both):
    same_all(both, ("SET", "a", "1"), ("SET", "b", "2"))
    assert assert_same(both, "TOUCH", "a", "b", "a", "missing") == 3
    assert assert_same(both, "TOUCH", "missing") == 0
    assert_same_error(both, "TOUCH")


# --- KEYS ---------------------------------------------------------------------------------------

KEY_NAMES = [
    "hello", "hallo", "hxllo", "hllo", "heeeello", "Hello", "a*b", "a[b", "a\\b", "a?b", "foo:1",
    "foo:2", "foo:10", "foo", "", "x", "[", "]", "-", "\x00bin\xff",
]  # fmt: skip

PATTERNS = [
    "*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo", "foo:*", "foo:?",
    "foo*", "a\\*b", "a*b", "a[*]b", "a\\[b", "a\\\\b", "a[\\]b", "[", "[a", "*[", "[]", "]",
    "*]", "-", "[-]", "nomatch", "", "?", "H*", "*llo", "*l*l*o*", "\\", "x\\", "\x00*", "*\xff",
    "[!a]*", "h[a-]llo", "*\\",
]  # fmt: skip


@pytest.mark.parametrize("pattern", PATTERNS)
def test_keys_patterns_match_redis(both, pattern):
    for name in KEY_NAMES:
        for client in both:
            run_command(client, "SET", name, "v")
    assert_same(both, "KEYS", pattern, unordered=True)


def test_keys_hides_expired_keys(both):
    same_all(both, ("SET", "gone", "v", "PX", "1"), ("SET", "live", "v"))
    time.sleep(0.01)
    assert assert_same(both, "KEYS", "*") == [b"live"]
    assert_same_error(both, "KEYS")
    assert_same_error(both, "KEYS", "*", "x")


def test_keys_only_sees_the_selected_db(both):
    same_all(both, ("SET", "zero", "v"), ("SELECT", "3"), ("SET", "three", "v"))
    assert assert_same(both, "KEYS", "*") == [b"three"]
    assert_same(both, "SELECT", "0")
    assert assert_same(both, "KEYS", "*") == [b"zero"]


# --- SCAN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [" 0"],
        ["0 "],
        ["abc"],
        ["0x10"],
        ["1.5"],
        ["18446744073709551616"],
        ["-18446744073709551616"],
        ["+"],
        ["-"],
        ["abc", "COUNT", "0"],  # the cursor is checked first
        ["0", "COUNT", "0"],
        ["0", "COUNT", "-1"],
        ["0", "COUNT", "abc"],
        ["0", "COUNT", "1.0"],
        ["0", "COUNT", "9223372036854775808"],
        ["0", "COUNT"],
        ["0", "MATCH"],
        ["0", "TYPE"],
        ["0", "FOO", "bar"],
        ["0", "MATCH", "*", "COUNT"],
        ["0", "COUNT", "0", "FOO"],
    ],
)
def test_scan_errors_match_redis(both, args):
    assert_same(both, "SET", "k", "v")
    assert_same_error(both, "SCAN", *args)


@pytest.mark.parametrize(
    "cursor", ["", "+0", "-0", "0", "00", "18446744073709551615", "-1", "-18446744073709551615"]
)
def test_scan_accepts_what_strtoul_accepts(both, cursor):
    # An empty database answers ["0", []] whatever the starting cursor.
    assert assert_same(both, "SCAN", cursor) == [b"0", []]
    assert assert_same(both, "SCAN", cursor, "COUNT", "5", "MATCH", "x*", "TYPE", "hash") == [
        b"0",
        [],
    ]


def test_scan_small_database_in_one_call(both):
    same_all(both, ("MSET", "a", "1", "b", "2", "c", "3"))
    tandem, redis_ref = both
    for client in both:
        cursor, keys = run_command(client, "SCAN", "0")
        assert cursor == b"0"
        assert sorted(keys) == [b"a", b"b", b"c"]
    assert_same_error(both, "SCAN")


def test_scan_full_iteration_returns_every_key_exactly_once(both):
    fill(both, 10000)
    tandem, redis_ref = both
    for options in [(), ("COUNT", "1"), ("COUNT", "100"), ("COUNT", "100000")]:
        ours, calls = full_scan(tandem, *options)
        assert len(ours) == 10000, options
        assert len(set(ours)) == 10000, options
        if options == ("COUNT", "100000"):
            assert calls == 1
        theirs, _ = full_scan(redis_ref, *options)
        assert set(ours) == set(theirs)


def test_scan_match_and_type_filters(both):
    fill(both, 2000, prefix="user:")
    fill(both, 500, prefix="item:")
    tandem, redis_ref = both
    for options in [
        ("MATCH", "item:*"),
        ("MATCH", "user:1?"),
        ("MATCH", "*:1[05]*", "COUNT", "50"),
        ("MATCH", "nothing*"),
        ("TYPE", "string"),
        ("TYPE", "STRING"),
        ("TYPE", "list"),
        ("TYPE", "nosuchtype"),
        ("MATCH", "item:1*", "TYPE", "String"),
        ("count", "7", "match", "item:4*", "type", "string"),
        ("MATCH", "x", "MATCH", "item:*"),  # the last one wins
    ]:
        ours, _ = full_scan(tandem, *options)
        theirs, _ = full_scan(redis_ref, *options)
        assert len(ours) == len(set(ours)), options
        assert sorted(ours) == sorted(theirs), options


def test_scan_count_bounds_the_work_per_call(both):
    fill(both, 5000)
    tandem, _ = both
    cursor, keys = run_command(tandem, "SCAN", "0", "COUNT", "10")
    assert cursor != b"0"
    # COUNT is a hint: whole buckets are returned, so a few more keys than asked may come back.
    assert 1 <= len(keys) < 60
    # A pattern that matches nothing still returns a cursor after bounded work.
    cursor, keys = run_command(tandem, "SCAN", "0", "MATCH", "nothing", "COUNT", "10")
    assert cursor != b"0" and keys == []


def test_scan_skips_expired_keys(both):
    fill(both, 100)
    same_all(both, ("PEXPIRE", "key:1", "1"), ("PEXPIRE", "key:2", "1"))
    time.sleep(0.01)
    tandem, redis_ref = both
    ours, _ = full_scan(tandem)
    theirs, _ = full_scan(redis_ref)
    assert sorted(ours) == sorted(theirs)
    assert len(ours) == 98


def test_scan_while_keys_are_added_misses_none_and_repeats_none(tandem):
    args = []
    for i in range(5000):
        args += [f"old:{i}", "v"]
    run_command(tandem, "MSET", *args)
    seen = []
    cursor = b"0"
    added = 0
    while True:
        cursor, batch = run_command(tandem, "SCAN", cursor, "COUNT", "50")
        seen.extend(batch)
        if cursor == b"0":
            break
        # Grow the table between calls so it resizes (and rehashes) mid-iteration.
        if added < 20000:
            new = []
            for i in range(added, added + 400):
                new += [f"new:{i}", "v"]
            run_command(tandem, "MSET", *new)
            added += 400
    assert len(seen) == len(set(seen)), "a key was returned twice"
    old = {f"old:{i}".encode() for i in range(5000)}
    assert old <= set(seen), f"missed {len(old - set(seen))} keys present throughout"


def test_scan_sees_only_the_selected_db(both):
    same_all(both, ("SET", "zero", "v"), ("SELECT", "5"), ("SET", "five", "v"))
    assert assert_same(both, "SCAN", "0") == [b"0", [b"five"]]


# --- RANDOMKEY ----------------------------------------------------------------------------------


def test_randomkey(both):
    assert assert_same(both, "RANDOMKEY") is None
    assert_same(both, "SET", "only", "v")
    assert assert_same(both, "RANDOMKEY") == b"only"
    assert_same_error(both, "RANDOMKEY", "x")
    tandem, _ = both
    run_command(tandem, "MSET", "a", "1", "b", "2", "c", "3")
    seen = {run_command(tandem, "RANDOMKEY") for _ in range(200)}
    assert seen == {b"only", b"a", b"b", b"c"}


def test_randomkey_never_returns_an_expired_key(both):
    same_all(both, ("SET", "gone", "v", "PX", "1"))
    time.sleep(0.01)
    assert assert_same(both, "RANDOMKEY") is None
    same_all(both, ("SET", "gone", "v", "PX", "1"), ("SET", "live", "v"))
    time.sleep(0.01)
    tandem, _ = both
    assert {run_command(tandem, "RANDOMKEY") for _ in range(20)} == {b"live"}


# --- RENAME / RENAMENX --------------------------------------------------------------------------


def test_rename(both):
    assert_same(both, "SET", "a", "1")
    assert assert_same(both, "RENAME", "a", "b") == b"OK"
    assert assert_same(both, "MGET", "a", "b") == [None, b"1"]
    assert assert_same(both, "OBJECT", "ENCODING", "b") == b"int"
    assert_same_error(both, "RENAME", "missing", "x")
    assert_same_error(both, "RENAME", "missing", "missing")
    # Renaming to itself: OK if the key exists.
    assert assert_same(both, "RENAME", "b", "b") == b"OK"
    assert assert_same(both, "GET", "b") == b"1"
    assert_same_error(both, "RENAME", "b")
    assert_same_error(both, "RENAME", "b", "c", "d")


def test_rename_moves_the_ttl_and_overwrites_the_destination(both):
    same_all(
        both,
        ("SET", "src", "v"),
        ("PEXPIREAT", "src", "4000000000000"),
        ("SET", "dst", "old"),
        ("PEXPIREAT", "dst", "5000000000000"),
    )
    assert assert_same(both, "RENAME", "src", "dst") == b"OK"
    assert assert_same(both, "PEXPIRETIME", "dst") == 4000000000000
    assert assert_same(both, "GET", "dst") == b"v"
    # A source without TTL drops the destination's.
    same_all(both, ("SET", "plain", "p"), ("RENAME", "plain", "dst"))
    assert assert_same(both, "PTTL", "dst") == -1


def test_rename_of_an_expired_key_is_no_such_key(both):
    assert_same(both, "SET", "k", "v", "PX", "1")
    time.sleep(0.01)
    assert_same_error(both, "RENAME", "k", "x")
    assert_same_error(both, "RENAMENX", "k", "x")


def test_renamenx(both):
    same_all(both, ("SET", "a", "1"), ("SET", "b", "2"))
    assert assert_same(both, "RENAMENX", "a", "b") == 0
    assert assert_same(both, "MGET", "a", "b") == [b"1", b"2"]
    assert assert_same(both, "RENAMENX", "a", "a") == 0
    assert assert_same(both, "RENAMENX", "a", "c") == 1
    assert assert_same(both, "MGET", "a", "c") == [None, b"1"]
    assert_same_error(both, "RENAMENX", "missing", "x")
    assert_same_error(both, "RENAMENX", "missing", "missing")
    # An expired destination does not count as existing.
    same_all(both, ("SET", "d", "v", "PX", "1"))
    time.sleep(0.01)
    assert assert_same(both, "RENAMENX", "c", "d") == 1
    assert_same(both, "SET", "t", "v", "EX", "100")
    assert assert_same(both, "RENAMENX", "t", "u") == 1
    assert assert_same(both, "TTL", "u") == 100


# --- MOVE ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "db", ["0", "16", "-1", "abc", "1.0", "", str(INT_MAX), str(INT_MAX + 1), str(-(2**31) - 1),
           "9223372036854775808", "01"]
)  # fmt: skip
def test_move_errors(both, db):
    assert_same(both, "SET", "k", "v")
    assert_same_error(both, "MOVE", "k", db)
    assert_same_error(both, "MOVE", "missing", db)
    assert assert_same(both, "EXISTS", "k") == 1


def test_move(both):
    same_all(both, ("SET", "k", "v"), ("PEXPIREAT", "k", "4000000000000"))
    assert assert_same(both, "MOVE", "k", "1") == 1
    assert assert_same(both, "EXISTS", "k") == 0
    assert assert_same(both, "MOVE", "missing", "1") == 0
    assert_same(both, "SELECT", "1")
    assert assert_same(both, "GET", "k") == b"v"
    assert assert_same(both, "PEXPIRETIME", "k") == 4000000000000
    # The destination already holding the key: nothing moves.
    same_all(both, ("SELECT", "0"), ("SET", "k", "other"))
    assert assert_same(both, "MOVE", "k", "1") == 0
    assert assert_same(both, "GET", "k") == b"other"
    # Without TTL: none in the destination either.
    assert assert_same(both, "MOVE", "k", "2") == 1
    same_all(both, ("SELECT", "2"))
    assert assert_same(both, "TTL", "k") == -1
    assert_same_error(both, "MOVE", "k")
    assert_same_error(both, "MOVE", "k", "1", "2")


def test_move_over_an_expired_destination_key(both):
    same_all(both, ("SELECT", "1"), ("SET", "k", "old", "PX", "1"), ("SELECT", "0"))
    assert_same(both, "SET", "k", "new")
    time.sleep(0.01)
    assert assert_same(both, "MOVE", "k", "1") == 1
    same_all(both, ("SELECT", "1"))
    assert assert_same(both, "GET", "k") == b"new"


# --- COPY ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["k", "k"],
        ["k", "k", "DB", "0"],
        ["missing", "missing"],
        ["k", "k2", "DB", "16"],
        ["k", "k2", "DB", "-1"],
        ["k", "k2", "DB", "x"],
        ["k", "k2", "DB", str(INT_MAX + 1)],
        ["k", "k2", "DB"],
        ["k", "k2", "FOO"],
        ["k", "k2", "REPLACE", "FOO"],
        ["k", "k2", "DB", "16", "FOO"],  # options are read in order
        ["k", "k2", "FOO", "DB", "16"],
        ["k"],
    ],
)
def test_copy_errors(both, args):
    assert_same(both, "SET", "k", "v")
    assert_same_error(both, "COPY", *args)
    assert assert_same(both, "EXISTS", "k2") == 0


def test_copy(both):
    same_all(both, ("SET", "int", "100"), ("SET", "emb", "hello"), ("SET", "raw", "x" * 50))
    same_all(both, ("SET", "app", "a"), ("APPEND", "app", "b"))
    for key in ["int", "emb", "raw", "app"]:
        assert assert_same(both, "COPY", key, key + ":copy") == 1
        assert assert_same(both, "GET", key + ":copy") == assert_same(both, "GET", key)
        # The copy keeps the encoding.
        assert_same(both, "OBJECT", "ENCODING", key + ":copy")
    assert assert_same(both, "COPY", "missing", "x") == 0
    assert assert_same(both, "COPY", "int", "emb") == 0
    assert assert_same(both, "GET", "emb") == b"hello"
    assert assert_same(both, "COPY", "int", "emb", "REPLACE") == 1
    assert assert_same(both, "GET", "emb") == b"100"
    assert assert_same(both, "COPY", "int", "emb", "replace", "REPLACE") == 1
    # The copy is independent of the original.
    same_all(both, ("APPEND", "emb", "!"))
    assert assert_same(both, "MGET", "int", "emb") == [b"100", b"100!"]


def test_copy_ttls_and_databases(both):
    same_all(both, ("SET", "t", "v"), ("PEXPIREAT", "t", "4000000000000"), ("SET", "p", "w"))
    assert assert_same(both, "COPY", "t", "t2") == 1
    assert assert_same(both, "PEXPIRETIME", "t2") == 4000000000000
    # REPLACE onto a key with TTL: the source's (absent) TTL wins.
    assert assert_same(both, "COPY", "p", "t2", "REPLACE") == 1
    assert assert_same(both, "PTTL", "t2") == -1
    assert assert_same(both, "COPY", "t", "t", "DB", "4") == 1
    assert assert_same(both, "COPY", "t", "t", "DB", "4") == 0
    assert assert_same(both, "COPY", "p", "t", "DB", "4", "REPLACE") == 1
    assert assert_same(both, "COPY", "t", "other", "db", "9", "db", "4") == 1
    same_all(both, ("SELECT", "4"))
    assert assert_same(both, "MGET", "t", "other") == [b"w", b"v"]
    assert assert_same(both, "PTTL", "t") == -1
    assert assert_same(both, "PEXPIRETIME", "other") == 4000000000000
    same_all(both, ("SELECT", "9"))
    assert assert_same(both, "DBSIZE") == 0


def test_copy_of_an_expired_key_copies_nothing(both):
    same_all(both, ("SET", "k", "v", "PX", "1"), ("SET", "dst", "old", "PX", "1"))
    time.sleep(0.01)
    assert assert_same(both, "COPY", "k", "x") == 0
    same_all(both, ("SET", "k", "v"))
    assert assert_same(both, "COPY", "k", "dst") == 1


# --- OBJECT -------------------------------------------------------------------------------------


def test_object_help_and_errors(both):
    assert_same(both, "OBJECT", "HELP")
    assert_same(both, "object", "help")
    assert_same_error(both, "OBJECT")
    assert_same_error(both, "OBJECT", "HELP", "x")
    assert_same_error(both, "OBJECT", "FOO")
    assert_same_error(both, "OBJECT", "FOO", "k")
    for sub in ["ENCODING", "REFCOUNT", "IDLETIME", "FREQ"]:
        assert_same_error(both, "OBJECT", sub)
        assert_same_error(both, "OBJECT", sub, "k", "extra")
        assert assert_same(both, "OBJECT", sub, "missing") is None


def test_object_encoding(both):
    values = {
        "int": "12345", "negative": "-7", "big": "9223372036854775807", "toobig":
        "9223372036854775808", "leadingzero": "007", "emb": "x" * 44, "raw": "x" * 45, "empty": "",
        "space": " 1", "float": "1.5",
    }  # fmt: skip
    for key, value in values.items():
        assert_same(both, "SET", key, value)
        assert_same(both, "OBJECT", "ENCODING", key)
    same_all(both, ("APPEND", "emb", "y"), ("SETRANGE", "int", "0", "9"))
    assert assert_same(both, "OBJECT", "ENCODING", "emb") == b"raw"
    assert assert_same(both, "OBJECT", "ENCODING", "int") == b"raw"


def test_object_refcount(both):
    for value in ["0", "1", "9999", "10000", "-1", "abc", "x" * 100]:
        assert_same(both, "SET", "k", value)
        assert_same(both, "OBJECT", "REFCOUNT", "k")


def test_object_freq_needs_an_lfu_policy(both):
    assert_same(both, "SET", "k", "v")
    assert_same_error(both, "OBJECT", "FREQ", "k")


def test_object_idletime_follows_access(both):
    tandem, redis_ref = both
    same_all(both, ("SET", "read", "v"), ("SET", "peeked", "v"), ("SET", "touched", "v"))
    assert assert_same(both, "OBJECT", "IDLETIME", "read") == 0
    time.sleep(1.2)
    # Introspection does not count as access; reads and TOUCH do.
    same_all(
        both,
        ("TYPE", "peeked"),
        ("EXISTS", "peeked"),
        ("TTL", "peeked"),
        ("OBJECT", "ENCODING", "peeked"),
        ("GET", "read"),
        ("TOUCH", "touched"),
    )
    for client in both:
        assert run_command(client, "OBJECT", "IDLETIME", "read") == 0
        assert run_command(client, "OBJECT", "IDLETIME", "touched") == 0
        assert run_command(client, "OBJECT", "IDLETIME", "peeked") >= 1
    # A copy is a new object; a renamed or moved one keeps its access time.
    assert_same(both, "COPY", "peeked", "copy")
    assert_same(both, "RENAME", "peeked", "renamed")
    for client in both:
        assert run_command(client, "OBJECT", "IDLETIME", "copy") == 0
        assert run_command(client, "OBJECT", "IDLETIME", "renamed") == 0  # RENAME accessed it


def test_object_under_an_lfu_policy(start_pair):
    servers = start_pair("--maxmemory-policy", "allkeys-lfu")
    clients = [server.client() for server in servers]
    both = tuple(clients)
    assert_same(both, "SET", "k", "v")
    assert_same_error(both, "OBJECT", "IDLETIME", "k")
    assert assert_same(both, "OBJECT", "FREQ", "k") == 5  # LFU_INIT_VAL for a new key
    assert assert_same(both, "OBJECT", "FREQ", "missing") is None


def test_object_refcount_without_shared_integers(start_pair):
    servers = start_pair("--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru")
    both = tuple(server.client() for server in servers)
    assert_same(both, "SET", "k", "5")
    assert assert_same(both, "OBJECT", "REFCOUNT", "k") == 1


# --- writes and statistics ----------------------------------------------------------------------


def info_field(client, section, name):
    text = run_command(client, "INFO", section)
    for line in text.decode().splitlines():
        if line.startswith(name + ":"):
            return int(line.split(":", 1)[1])
    raise AssertionError(f"no {name} in INFO {section}")


def test_writes_count_as_changes_and_reads_as_hits_like_redis(both):
    same_all(both, ("SET", "a", "1"), ("SET", "b", "2"), ("SET", "t", "3", "EX", "100"))
    before = [
        (info_field(c, "persistence", "rdb_changes_since_last_save"),
         info_field(c, "stats", "keyspace_hits"), info_field(c, "stats", "keyspace_misses"))
        for c in both
    ]  # fmt: skip
    same_all(
        both,
        ("DEL", "a", "missing", "b"),  # 2 changes
        ("DEL", "missing"),  # none
        ("EXISTS", "t", "missing", "t"),  # 2 hits, 1 miss
        ("TYPE", "t"),  # 1 hit
        ("TOUCH", "t", "missing"),  # 1 hit, 1 miss
        ("OBJECT", "ENCODING", "t"),  # 1 hit
        ("SET", "r", "v"),
        ("RENAME", "r", "r2"),  # 1 change
        ("RENAME", "r2", "r2"),  # none
        ("RENAMENX", "r2", "t"),  # none
        ("MOVE", "r2", "1"),  # 1 change
        ("COPY", "t", "c"),  # 1 change, 1 hit
        ("COPY", "missing", "c"),  # 1 miss
        ("UNLINK", "c"),  # 1 change
        ("SCAN", "0", "TYPE", "string", "COUNT", "1000"),  # a hit per key type-checked
        ("SCAN", "0", "MATCH", "t*", "TYPE", "list", "COUNT", "1000"),
        ("KEYS", "*"),  # none
        ("RANDOMKEY",),  # none
    )
    after = [
        (info_field(c, "persistence", "rdb_changes_since_last_save"),
         info_field(c, "stats", "keyspace_hits"), info_field(c, "stats", "keyspace_misses"))
        for c in both
    ]  # fmt: skip
    deltas = [tuple(a - b for a, b in zip(after[i], before[i])) for i in range(2)]
    assert deltas[0] == deltas[1], f"tandem {deltas[0]} redis {deltas[1]}"


# --- arity --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["DEL"], ["UNLINK"], ["EXISTS"], ["TYPE"], ["TYPE", "a", "b"], ["KEYS"], ["KEYS", "a", "b"],
        ["SCAN"], ["RANDOMKEY", "x"], ["RENAME", "a"], ["RENAMENX", "a", "b", "c"], ["MOVE", "a"],
        ["COPY", "a"], ["TOUCH"], ["OBJECT"], ["OBJECT", "ENCODING"],
    ],
)  # fmt: skip
def test_arity_errors_match_redis(both, command):
    reply = assert_same_error(both, *command)
    assert isinstance(reply, RespError)


# --- COMMAND INFO -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["del", "unlink", "exists", "type", "keys", "scan", "randomkey", "rename", "renamenx", "move",
     "copy", "touch", "object|encoding", "object|freq", "object|idletime", "object|refcount",
     "object|help"],
)  # fmt: skip
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()


def test_command_info_of_the_object_container(both):
    tandem, redis_ref = both
    ours = run_command(tandem, "COMMAND", "INFO", "object")[0]
    theirs = run_command(redis_ref, "COMMAND", "INFO", "object")[0]
    assert ours[:9] == theirs[:9]
    # Redis lists subcommands in its dict's (per-process random) order.
    assert sorted(ours[9], key=repr) == sorted(theirs[9], key=repr)
