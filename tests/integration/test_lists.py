"""List commands against the real redis-server 7.0: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP
(with COUNT), LLEN, LRANGE, LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS, LMOVE, RPOPLPUSH, LMPOP,
and the blocking forms when they need not block.

Every reply and error text is compared with Redis through assert_same; RESP3 shapes byte for
byte on raw connections. Blocking behaviour proper is in test_blocking.py.
"""

import random

import pytest

from conftest import (
    RespError,
    assert_same,
    assert_same_error,
    encode_command,
    run_command,
    same_all,
)

WRONGTYPE = RespError(b"WRONGTYPE Operation against a key holding the wrong kind of value")


def test_push_and_range(both):
    assert assert_same(both, "RPUSH", "l", "a", "b", "c") == 3
    assert assert_same(both, "LPUSH", "l", "x", "y") == 5
    assert assert_same(both, "LRANGE", "l", "0", "-1") == [b"y", b"x", b"a", b"b", b"c"]
    for start, stop in [(0, 0), (-2, -1), (1, 100), (-100, 1), (3, 1), (5, 10), (-1, -2),
                        (2, 2), (-5, -5), (0, -6)]:
        assert_same(both, "LRANGE", "l", str(start), str(stop))
    same_all(both, ("LRANGE", "missing", "0", "-1"), ("LRANGE", "l", "x", "1"),
             ("LRANGE", "l", "0", "1.5"), ("LRANGE", "l", "0"), ("LLEN", "l"),
             ("LLEN", "missing"), ("LPUSH", "l"), ("RPUSH", "l"), ("LLEN",))


def test_push_x_only_on_existing_lists(both):
    assert assert_same(both, "LPUSHX", "l", "a") == 0
    assert assert_same(both, "RPUSHX", "l", "a", "b") == 0
    assert assert_same(both, "EXISTS", "l") == 0
    assert_same(both, "RPUSH", "l", "m")
    assert assert_same(both, "LPUSHX", "l", "a", "b") == 3
    assert assert_same(both, "RPUSHX", "l", "y", "z") == 5
    assert_same(both, "LRANGE", "l", "0", "-1")
    assert_same_error(both, "LPUSHX", "l")


def test_integers_and_binary_elements_round_trip(both):
    values = ["0", "-1", "12345678901234", "9223372036854775807", "-9223372036854775808",
              "9223372036854775808", "007", "-0", "1.5", "", "a\x00b\r\n", "x" * 70000, " 1"]
    assert_same(both, "RPUSH", "l", *values)
    assert assert_same(both, "LRANGE", "l", "0", "-1") == [v.encode() for v in values]
    for i in range(len(values)):
        assert_same(both, "LINDEX", "l", str(i))
    assert_same(both, "LPOS", "l", "-1")
    assert_same(both, "LPOS", "l", "9223372036854775807")
    assert_same(both, "LPOS", "l", "-0")


def test_pop_single_and_count(both):
    assert_same(both, "RPUSH", "l", "a", "b", "c", "d", "e")
    same_all(both, ("LPOP", "l"), ("RPOP", "l"), ("LPOP", "l", "2"), ("RPOP", "l", "0"),
             ("LRANGE", "l", "0", "-1"), ("RPOP", "l", "5"), ("EXISTS", "l"), ("LPOP", "l"),
             ("LPOP", "l", "1"), ("RPOP", "l", "0"), ("LPOP", "l", "-1"), ("LPOP", "l", "x"),
             ("RPOP", "l", "1", "2"), ("LPOP",))
    # The range check comes before the key's type; count 0 still checks the type.
    assert_same(both, "SET", "s", "v")
    same_all(both, ("LPOP", "s"), ("LPOP", "s", "0"), ("RPOP", "s", "-1"), ("RPOP", "s", "2"))


def test_pop_deletes_emptied_list(both):
    assert_same(both, "RPUSH", "l", "a")
    assert_same(both, "RPOP", "l")
    assert assert_same(both, "EXISTS", "l") == 0
    assert assert_same(both, "TYPE", "l") == b"none"


def test_lindex_and_lset(both):
    assert_same(both, "RPUSH", "l", "a", "b", "c")
    for index in ["0", "2", "3", "-1", "-3", "-4", "x", "9223372036854775807"]:
        assert_same(both, "LINDEX", "l", index)
    same_all(both, ("LINDEX", "missing", "x"), ("LINDEX", "missing", "0"),
             ("LSET", "l", "1", "B"), ("LSET", "l", "-1", "C"), ("LSET", "l", "3", "z"),
             ("LSET", "l", "-4", "z"), ("LSET", "l", "x", "z"), ("LSET", "missing", "0", "z"),
             ("LSET", "missing", "x", "z"), ("LRANGE", "l", "0", "-1"), ("LSET", "l", "0"))
    # A big element into a full node.
    assert_same(both, "RPUSH", "big", *[str(i) * 50 for i in range(300)])
    assert_same(both, "LSET", "big", "150", "y" * 20000)
    assert_same(both, "LRANGE", "big", "0", "-1")


def test_linsert(both):
    assert_same(both, "RPUSH", "l", "a", "b", "c")
    same_all(both, ("LINSERT", "l", "BEFORE", "b", "x"), ("LINSERT", "l", "after", "c", "y"),
             ("LINSERT", "l", "AFTER", "nope", "z"), ("LINSERT", "l", "MIDDLE", "b", "z"),
             ("LINSERT", "missing", "BEFORE", "a", "z"),
             ("LINSERT", "missing", "MIDDLE", "a", "z"), ("LRANGE", "l", "0", "-1"),
             ("LINSERT", "l", "BEFORE", "a"), ("EXISTS", "missing"))
    assert_same(both, "RPUSH", "n", *[str(i) for i in range(1000)])
    for pivot in ["0", "500", "999", "128", "127"]:
        assert_same(both, "LINSERT", "n", "BEFORE", pivot, "v" * 100)
        assert_same(both, "LINSERT", "n", "AFTER", pivot, "w")
    assert_same(both, "LRANGE", "n", "0", "-1")


def test_lrem(both):
    assert_same(both, "RPUSH", "l", *"axbxcxdx")
    same_all(both, ("LREM", "l", "2", "x"), ("LRANGE", "l", "0", "-1"), ("LREM", "l", "-1", "x"),
             ("LRANGE", "l", "0", "-1"), ("LREM", "l", "0", "x"), ("LREM", "l", "0", "nope"),
             ("LREM", "l", "x", "a"), ("LREM", "missing", "0", "a"), ("LREM", "l", "0", "a"),
             ("LREM", "l", "0", "b"), ("LREM", "l", "0", "c"), ("LREM", "l", "0", "d"),
             ("EXISTS", "l"), ("LREM", "l", "0"))
    assert_same(both, "RPUSH", "n", *(["1", "2", "3"] * 400))
    assert_same(both, "LREM", "n", "-250", "2")
    assert_same(both, "LREM", "n", "100", "1")
    assert_same(both, "LRANGE", "n", "0", "-1")


def test_ltrim(both):
    for start, stop in [(0, -1), (1, -2), (2, 1), (-3, -1), (0, 100), (-100, 0), (10, 20),
                        (-1, -1), (3, 3)]:
        assert_same(both, "DEL", "l")
        assert_same(both, "RPUSH", "l", *"abcdefg")
        assert_same(both, "LTRIM", "l", str(start), str(stop))
        assert_same(both, "LRANGE", "l", "0", "-1")
        assert_same(both, "EXISTS", "l")
    same_all(both, ("LTRIM", "missing", "0", "1"), ("LTRIM", "l", "x", "1"),
             ("LTRIM", "missing", "a", "b"), ("LTRIM", "l", "0"))


def test_lpos(both):
    assert_same(both, "RPUSH", "l", *"abcabcabc")
    commands = [
        ("LPOS", "l", "c"), ("LPOS", "l", "z"), ("LPOS", "l", "c", "RANK", "2"),
        ("LPOS", "l", "c", "RANK", "-1"), ("LPOS", "l", "c", "RANK", "-3"),
        ("LPOS", "l", "c", "RANK", "4"), ("LPOS", "l", "c", "COUNT", "0"),
        ("LPOS", "l", "c", "COUNT", "2"), ("LPOS", "l", "c", "COUNT", "2", "RANK", "-1"),
        ("LPOS", "l", "c", "MAXLEN", "3"), ("LPOS", "l", "c", "MAXLEN", "2"),
        ("LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1"),
        ("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "6"), ("LPOS", "l", "z", "COUNT", "0"),
        ("LPOS", "missing", "a"), ("LPOS", "missing", "a", "COUNT", "1"),
        ("LPOS", "l", "c", "RANK", "0"), ("LPOS", "l", "c", "RANK", "x"),
        ("LPOS", "l", "c", "COUNT", "-1"), ("LPOS", "l", "c", "COUNT", "x"),
        ("LPOS", "l", "c", "MAXLEN", "-1"), ("LPOS", "l", "c", "MAXLEN", "x"),
        ("LPOS", "l", "c", "FOO"), ("LPOS", "l", "c", "RANK"), ("LPOS", "l"),
        ("LPOS", "l", "c", "RANK", "9223372036854775807"),
        ("LPOS", "missing", "a", "RANK", "0"),
    ]
    same_all(both, *commands)


def test_lmove_and_rpoplpush(both):
    assert_same(both, "RPUSH", "src", "a", "b", "c")
    for wherefrom in ("LEFT", "RIGHT"):
        for whereto in ("left", "right"):
            assert_same(both, "LMOVE", "src", "dst", wherefrom, whereto)
            assert_same(both, "LRANGE", "dst", "0", "-1")
    same_all(both, ("LRANGE", "src", "0", "-1"), ("LMOVE", "missing", "dst", "LEFT", "LEFT"),
             ("LMOVE", "src", "dst", "UP", "LEFT"), ("LMOVE", "src", "dst", "LEFT", "DOWN"),
             ("RPOPLPUSH", "dst", "dst"), ("LRANGE", "dst", "0", "-1"),
             ("LMOVE", "dst", "dst", "LEFT", "RIGHT"), ("LRANGE", "dst", "0", "-1"),
             ("RPOPLPUSH", "missing", "x"), ("EXISTS", "x"), ("RPOPLPUSH", "src"))
    # A single element moved onto its own list stays; moved away, the source goes.
    same_all(both, ("RPUSH", "one", "v"), ("LMOVE", "one", "one", "LEFT", "LEFT"),
             ("LRANGE", "one", "0", "-1"), ("RPOPLPUSH", "one", "other"), ("EXISTS", "one"),
             ("LRANGE", "other", "0", "-1"))


def test_lmpop(both):
    assert_same(both, "RPUSH", "b", "1", "2", "3", "4")
    commands = [
        ("LMPOP", "2", "a", "b", "LEFT"), ("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"),
        ("LMPOP", "1", "b", "left", "count", "10"), ("EXISTS", "b"),
        ("LMPOP", "2", "a", "b", "LEFT"), ("LMPOP", "0", "a", "LEFT"),
        ("LMPOP", "-1", "a", "LEFT"), ("LMPOP", "x", "a", "LEFT"),
        ("LMPOP", "2", "a", "LEFT"), ("LMPOP", "5", "a", "LEFT"),
        ("LMPOP", "99999999999999", "a", "LEFT"), ("LMPOP", "1", "a", "MIDDLE"),
        ("LMPOP", "1", "a", "LEFT", "COUNT", "0"), ("LMPOP", "1", "a", "LEFT", "COUNT", "-1"),
        ("LMPOP", "1", "a", "LEFT", "COUNT", "x"),
        ("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "2"),
        ("LMPOP", "1", "a", "LEFT", "COUNT"), ("LMPOP", "1", "a", "LEFT", "FOO"),
        ("LMPOP", "1", "a"),
    ]
    same_all(both, *commands)
    # A wrong type before the first non-empty list stops the search; after it, it is not seen.
    same_all(both, ("SET", "s", "x"), ("RPUSH", "l", "v", "w"), ("LMPOP", "2", "s", "l", "LEFT"),
             ("LMPOP", "2", "l", "s", "LEFT"), ("LMPOP", "2", "missing", "s", "LEFT"))


def test_blocking_forms_serve_at_once_when_data_is_there(both):
    same_all(both, ("RPUSH", "a", "1", "2", "3"), ("BLPOP", "missing", "a", "0"),
             ("BRPOP", "a", "0"), ("BLMOVE", "a", "b", "LEFT", "RIGHT", "0"),
             ("BRPOPLPUSH", "b", "c", "0"), ("BLMPOP", "0", "2", "missing", "c", "RIGHT",
                                             "COUNT", "9"),
             ("EXISTS", "a", "b", "c"))


def test_blocking_argument_errors(both):
    assert_same(both, "SET", "s", "x")
    commands = [
        ("BLPOP", "k", "-1"), ("BLPOP", "k", "abc"), ("BLPOP", "k", "1e300"),
        ("BLPOP", "k", "inf"), ("BLPOP", "k", "nan"), ("BLPOP", "k", " 1"),
        ("BLPOP", "k", "-0.5"), ("BRPOP", "k", "-1"), ("BLPOP", "k"), ("BLPOP", "s", "0"),
        ("BRPOP", "missing", "s", "0"), ("BLMOVE", "s", "d", "LEFT", "LEFT", "0"),
        ("BLMOVE", "k", "d", "LEFT", "UP", "0"), ("BLMOVE", "k", "d", "UP", "LEFT", "x"),
        ("BLMOVE", "k", "d", "LEFT", "LEFT", "x"), ("BLMOVE", "k", "d", "LEFT", "LEFT", "-2"),
        ("BRPOPLPUSH", "k", "d", "x"), ("BRPOPLPUSH", "s", "d", "0"),
        ("BLMPOP", "x", "1", "k", "LEFT"), ("BLMPOP", "-1", "1", "k", "LEFT"),
        ("BLMPOP", "0", "0", "k", "LEFT"), ("BLMPOP", "x", "0", "k", "LEFT"),
        ("BLMPOP", "0", "1", "k", "UP"), ("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0"),
        ("BLMPOP", "0", "2", "missing", "s", "LEFT"), ("BLMPOP", "0", "1", "k"),
    ]
    same_all(both, *commands)
    # The source exists but the destination is another type: nothing moves.
    same_all(both, ("RPUSH", "l", "v"), ("BLMOVE", "l", "s", "LEFT", "LEFT", "0"),
             ("LMOVE", "l", "s", "LEFT", "LEFT"), ("RPOPLPUSH", "l", "s"), ("LLEN", "l"))


def test_wrongtype_everywhere(both):
    assert_same(both, "SET", "s", "x")
    commands = [
        ("LPUSH", "s", "a"), ("RPUSH", "s", "a"), ("LPUSHX", "s", "a"), ("RPUSHX", "s", "a"),
        ("LPOP", "s"), ("RPOP", "s", "1"), ("LLEN", "s"), ("LRANGE", "s", "0", "-1"),
        ("LINDEX", "s", "0"), ("LSET", "s", "0", "v"), ("LINSERT", "s", "BEFORE", "a", "b"),
        ("LREM", "s", "0", "a"), ("LTRIM", "s", "0", "1"), ("LPOS", "s", "a"),
        ("LMOVE", "s", "d", "LEFT", "LEFT"), ("RPOPLPUSH", "s", "d"),
        ("LMPOP", "1", "s", "LEFT"),
    ]
    for command in commands:
        assert assert_same(both, *command) == WRONGTYPE, command
    # A list read with the string commands.
    assert_same(both, "RPUSH", "l", "a")
    assert assert_same(both, "GET", "l") == WRONGTYPE
    assert assert_same(both, "TYPE", "l") == b"list"


def test_object_encoding_is_always_quicklist(both):
    assert_same(both, "RPUSH", "small", "a")
    assert assert_same(both, "OBJECT", "ENCODING", "small") == b"quicklist"
    assert_same(both, "RPUSH", "big", *["x" * 100] * 1000)
    assert assert_same(both, "OBJECT", "ENCODING", "big") == b"quicklist"
    assert_same(both, "RPUSH", "huge", "y" * 100000)
    assert assert_same(both, "OBJECT", "ENCODING", "huge") == b"quicklist"


@pytest.mark.parametrize("fill", ["-1", "-2", "-5", "1", "3", "128"])
def test_node_sizes_do_not_change_replies(both, fill):
    for client in both:
        client.config_set("list-max-listpack-size", fill)
    try:
        rng = random.Random(int(fill) + 100)
        for step in range(400):
            op = rng.randrange(8)
            value = rng.choice(["a", "b", "1", "22", "x" * rng.randrange(1, 600)])
            if op == 0:
                assert_same(both, "RPUSH", "l", value, value)
            elif op == 1:
                assert_same(both, "LPUSH", "l", value)
            elif op == 2:
                assert_same(both, "LINSERT", "l", rng.choice(["BEFORE", "AFTER"]), value, "ins")
            elif op == 3:
                assert_same(both, "LSET", "l", str(rng.randrange(-5, 5)), value)
            elif op == 4:
                assert_same(both, "LREM", "l", str(rng.randrange(-2, 3)), value)
            elif op == 5:
                assert_same(both, rng.choice(["LPOP", "RPOP"]), "l", str(rng.randrange(3)))
            elif op == 6:
                assert_same(both, "LTRIM", "l", str(rng.randrange(-3, 3)), str(rng.randrange(-3, 60)))
            else:
                assert_same(both, "LPOS", "l", value, "COUNT", "0", "RANK", rng.choice(["1", "-1"]))
            if step % 25 == 0:
                assert_same(both, "LRANGE", "l", "0", "-1")
        assert_same(both, "LRANGE", "l", "0", "-1")
    finally:
        for client in both:
            client.config_set("list-max-listpack-size", "-2")


def test_resp3_shapes(assert_same_raw):
    payload = encode_command("HELLO", "3")
    for command in [
        ("RPUSH", "l", "a", "b"), ("LPOP", "missing"), ("LPOP", "missing", "1"),
        ("LPOP", "l", "0"), ("LPOP", "l", "1"), ("LINDEX", "l", "5"), ("LPOS", "l", "z"),
        ("LPOS", "missing", "z", "COUNT", "0"), ("LMPOP", "1", "missing", "LEFT"),
        ("LMPOP", "1", "l", "LEFT"), ("LMOVE", "missing", "x", "LEFT", "LEFT"),
        ("RPOPLPUSH", "missing", "x"), ("LRANGE", "missing", "0", "-1"),
        ("RPUSH", "k", "v", "w", "x"), ("BLPOP", "k", "0"),
        ("BLMPOP", "0", "1", "k", "LEFT"), ("BLMOVE", "k", "d", "LEFT", "LEFT", "0"),
    ]:
        payload += encode_command(*command)
    assert_same_raw(payload, skip=1, quiet=0.5)


def test_resp2_null_shapes(assert_same_raw):
    # Blocking timeouts' shapes are in test_blocking.py (Redis answers them up to 100 ms late,
    # past what a raw exchange waits).
    payload = b"".join(
        encode_command(*c)
        for c in [("LPOP", "missing"), ("LPOP", "missing", "1"), ("LINDEX", "missing", "0"),
                  ("LMPOP", "1", "missing", "LEFT"), ("LMOVE", "missing", "x", "LEFT", "LEFT"),
                  ("LPOS", "missing", "x")])
    assert_same_raw(payload, quiet=0.5)


def test_keyspace_hits_and_misses_for_reads(tandem):
    tandem.execute_command("CONFIG", "RESETSTAT")
    tandem.execute_command("RPUSH", "l", "a")
    for command in [("LLEN", "l"), ("LRANGE", "l", "0", "-1"), ("LINDEX", "l", "0"),
                    ("LPOS", "l", "a"), ("LLEN", "missing")]:
        run_command(tandem, *command)
    info = tandem.info("stats")
    assert info["keyspace_hits"] == 4
    assert info["keyspace_misses"] == 1


@pytest.mark.parametrize(
    "name",
    ["lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "llen", "lrange", "lindex", "lset",
     "linsert", "lrem", "ltrim", "lpos", "lmove", "rpoplpush", "blpop", "brpop", "blmove",
     "brpoplpush"],
)  # fmt: skip
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()


@pytest.mark.parametrize("name", ["lmpop", "blmpop"])
def test_command_info_head_of_keynum_commands(both, name):
    # Their key spec is of the "keynum" kind, which the command table cannot express yet.
    tandem, reference = both
    ours = run_command(tandem, "COMMAND", "INFO", name)[0]
    theirs = run_command(reference, "COMMAND", "INFO", name)[0]
    assert ours[:8] == theirs[:8]


@pytest.mark.parametrize("name", ["lpush", "lpop", "lrange", "lpos", "blpop", "blmove", "lmpop"])
def test_command_docs_summary(both, name):
    tandem, reference = both
    ours = run_command(tandem, "COMMAND", "DOCS", name)[1]
    theirs = run_command(reference, "COMMAND", "DOCS", name)[1]
    ours = dict(zip(ours[::2], ours[1::2]))
    theirs = dict(zip(theirs[::2], theirs[1::2]))
    for field in (b"summary", b"since", b"group", b"complexity"):
        assert ours[field] == theirs[field], field
