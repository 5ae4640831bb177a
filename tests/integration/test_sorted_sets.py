"""Sorted set commands against the real redis-server 7.0: ZADD (every option), ZINCRBY, ZREM,
ZCARD, ZCOUNT, ZLEXCOUNT, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, the ZRANGE family and ZRANGESTORE,
ZREMRANGEBY*, ZPOPMIN/MAX, ZMPOP, ZUNION/ZINTER/ZDIFF (and STORE), ZINTERCARD, ZRANDMEMBER and
ZSCAN.

Replies, error texts, score formatting (RESP2 bulk strings and RESP3 doubles) and OBJECT
ENCODING at the listpack/skiplist thresholds are compared with Redis through assert_same and
assert_same_raw. Random replies (ZRANDMEMBER) are checked for their properties.
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


@pytest.fixture
def zset_config(both):
    """Lets a test change zset-max-listpack-*; restores the defaults on both servers after."""
    yield
    for client in both:
        run_command(client, "CONFIG", "SET", "zset-max-listpack-entries", "128")
        run_command(client, "CONFIG", "SET", "zset-max-listpack-value", "64")


def encoding(both, key):
    return assert_same(both, "OBJECT", "ENCODING", key)


# Scores whose formatting is easy to get wrong.
TRICKY_SCORES = ["0.1", "0.30000000000000004", "1e-300", "-0", "0", "9007199254740993",
                 "4503599627370496", "4503599627370495", "-4503599627370495", "1e20", "1.5e308",
                 "123456789012345678", "3.0", "-2.5", "+inf", "-inf", "1E3", "0x10", "5e-324"]


# --- ZADD -------------------------------------------------------------------------------------


def test_zadd_adds_and_updates_and_counts(both, k):
    z = k()
    assert assert_same(both, "ZADD", z, "1", "a", "2", "b", "3", "c") == 3
    assert assert_same(both, "ZADD", z, "1", "a", "5", "b", "4", "d") == 1
    assert assert_same(both, "ZADD", z, "CH", "1", "a", "6", "b", "7", "e") == 2
    assert_same(both, "ZRANGE", z, "0", "-1", "WITHSCORES")
    assert_same(both, "ZADD", z, "1", "dup", "2", "dup")
    assert_same(both, "ZSCORE", z, "dup")
    assert_same(both, "ZCARD", z)


def test_zadd_nx_xx_gt_lt_ch(both, k):
    z = k()
    assert_same(both, "ZADD", z, "XX", "1", "a")
    assert_same(both, "EXISTS", z)
    same_all(both, ("ZADD", z, "10", "a", "20", "b"))
    for options in [["NX"], ["XX"], ["GT"], ["LT"], ["XX", "GT"], ["XX", "LT"], ["GT", "CH"],
                    ["LT", "CH"], ["XX", "CH"], ["NX", "CH"], ["ch", "xx", "gt"]]:
        assert_same(both, "ZADD", z, *options, "15", "a", "25", "b", "5", "c")
        assert_same(both, "ZRANGE", z, "0", "-1", "WITHSCORES")


def test_zadd_incr(both, k):
    z = k()
    assert assert_same(both, "ZADD", z, "INCR", "1.5", "a") == b"1.5"
    assert assert_same(both, "ZADD", z, "INCR", "2", "a") == b"3.5"
    assert_same(both, "ZADD", z, "INCR", "0", "a")  # unchanged score still replies it
    assert assert_same(both, "ZADD", z, "NX", "INCR", "1", "a") is None
    assert assert_same(both, "ZADD", z, "XX", "INCR", "1", "nosuch") is None
    assert_same(both, "ZADD", z, "GT", "INCR", "-1", "a")
    assert_same(both, "ZADD", z, "LT", "INCR", "-1", "a")
    assert_same(both, "ZADD", z, "GT", "INCR", "1", "a")
    assert_same(both, "ZADD", z, "XX", "INCR", "1", "b")
    assert_same(both, "ZADD", k("new"), "XX", "INCR", "1", "b")
    assert_same(both, "EXISTS", k("new"))
    assert_same(both, "ZRANGE", z, "0", "-1", "WITHSCORES")


def test_zadd_errors(both, k):
    z = k()
    same_all(both, ("ZADD", z, "1", "a"))
    for args in [["XX", "NX", "1", "a"], ["GT", "LT", "1", "a"], ["NX", "GT", "1", "a"],
                 ["NX", "LT", "1", "a"], ["INCR", "1", "a", "2", "b"], ["1"], ["1", "a", "2"],
                 ["nan", "a"], ["abc", "a"], ["", "a"], [" 1", "a"], ["1 ", "a"],
                 ["XX", "NX", "abc", "a"], ["INCR", "1", "a", "2"], ["1", "a", "x", "b"],
                 ["NX"], ["1e400", "a"]]:
        assert_same_error(both, "ZADD", z, *args)
    assert_same_error(both, "ZADD", z)
    assert_same_error(both, "ZADD", z, "1")
    # Nothing from a failed ZADD was applied.
    assert_same(both, "ZRANGE", z, "0", "-1", "WITHSCORES")
    same_all(both, ("ZADD", k("inf"), "+inf", "a"))
    assert_same_error(both, "ZADD", k("inf"), "INCR", "-inf", "a")
    assert_same_error(both, "ZINCRBY", k("inf"), "-inf", "a")
    assert_same(both, "ZSCORE", k("inf"), "a")


def test_wrongtype_for_every_command(both, k):
    s = k("str")
    same_all(both, ("SET", s, "x"), ("ZADD", k("z"), "1", "a"))
    commands = [
        ("ZADD", s, "1", "a"), ("ZINCRBY", s, "1", "a"), ("ZREM", s, "a"), ("ZCARD", s),
        ("ZCOUNT", s, "0", "1"), ("ZLEXCOUNT", s, "-", "+"), ("ZSCORE", s, "a"),
        ("ZMSCORE", s, "a"), ("ZRANK", s, "a"), ("ZREVRANK", s, "a"), ("ZRANGE", s, "0", "1"),
        ("ZRANGESTORE", k("d"), s, "0", "1"), ("ZREVRANGE", s, "0", "1"),
        ("ZRANGEBYSCORE", s, "0", "1"), ("ZREVRANGEBYSCORE", s, "1", "0"),
        ("ZRANGEBYLEX", s, "-", "+"), ("ZREVRANGEBYLEX", s, "+", "-"),
        ("ZREMRANGEBYRANK", s, "0", "1"), ("ZREMRANGEBYSCORE", s, "0", "1"),
        ("ZREMRANGEBYLEX", s, "-", "+"), ("ZPOPMIN", s), ("ZPOPMAX", s, "2"),
        ("ZMPOP", "2", k("nosuch"), s, "MIN"), ("ZUNION", "2", k("z"), s),
        ("ZINTER", "2", k("z"), s), ("ZDIFF", "2", k("z"), s),
        ("ZUNIONSTORE", k("d"), "2", k("z"), s), ("ZINTERSTORE", k("d"), "1", s),
        ("ZDIFFSTORE", k("d"), "2", s, k("z")), ("ZINTERCARD", "2", k("z"), s),
        ("ZRANDMEMBER", s), ("ZRANDMEMBER", s, "2"), ("ZSCAN", s, "0"),
    ]
    for command in commands:
        reply = assert_same_error(both, *command)
        assert b"WRONGTYPE" in reply.message if hasattr(reply, "message") else True
    # A string destination is overwritten by the stores.
    assert_same(both, "ZUNIONSTORE", s, "1", k("z"))
    assert_same(both, "TYPE", s)


def test_arity_errors(both, k):
    z = k()
    for command in [("ZADD", z, "1"), ("ZINCRBY", z, "1"), ("ZREM", z), ("ZCARD",),
                    ("ZCOUNT", z, "0"), ("ZLEXCOUNT", z), ("ZSCORE", z), ("ZMSCORE", z),
                    ("ZRANK", z), ("ZRANK", z, "a", "WITHSCORE"), ("ZREVRANK", z, "a", "b"),
                    ("ZRANGE", z, "0"), ("ZRANGESTORE", z, z, "0"), ("ZREVRANGE", z, "0"),
                    ("ZRANGEBYSCORE", z, "0"), ("ZRANGEBYLEX", z, "-"),
                    ("ZREMRANGEBYRANK", z, "0"), ("ZREMRANGEBYSCORE", z, "0", "1", "2"),
                    ("ZPOPMIN",), ("ZMPOP", "1", z), ("ZUNION", "1"), ("ZUNIONSTORE", z, "1"),
                    ("ZINTERCARD", "1"), ("ZRANDMEMBER",), ("ZSCAN", z)]:
        assert_same_error(both, *command)


# --- scores: formatting and parsing ------------------------------------------------------------


@pytest.mark.parametrize("big", [False, True])
def test_score_formatting_in_both_encodings(both, k, big, zset_config):
    z = k()
    if big:
        same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "0"))
    for i, score in enumerate(TRICKY_SCORES):
        assert_same(both, "ZADD", z, score, f"m{i}")
    assert encoding(both, z) == (b"skiplist" if big else b"listpack")
    assert_same(both, "ZRANGE", z, "0", "-1", "WITHSCORES")
    for i in range(len(TRICKY_SCORES)):
        assert_same(both, "ZSCORE", z, f"m{i}")
    assert_same(both, "ZMSCORE", z, *[f"m{i}" for i in range(len(TRICKY_SCORES))], "nosuch")
    if big:
        # Hash order differs: compare the member -> score pairs.
        tandem, reference = both
        ours = run_command(tandem, "ZSCAN", z, "0", "COUNT", "1000")
        theirs = run_command(reference, "ZSCAN", z, "0", "COUNT", "1000")
        assert ours[0] == theirs[0] == b"0"
        assert dict(zip(ours[1][::2], ours[1][1::2])) == dict(zip(theirs[1][::2], theirs[1][1::2]))
    else:
        assert assert_same(both, "ZSCAN", z, "0", "COUNT", "1000")[0] == b"0"
    assert_same(both, "ZINCRBY", z, "0.1", "m0")
    assert_same(both, "ZINCRBY", z, "0.2", "m0")
    assert_same(both, "ZADD", z, "INCR", "1", "m5")
    assert_same(both, "ZRANGEBYSCORE", z, "-inf", "+inf", "WITHSCORES")


def test_score_formatting_in_resp3(both, k, assert_same_raw):
    z = k()
    for i, score in enumerate(TRICKY_SCORES):
        assert_same(both, "ZADD", z, score, f"m{i}")
    payload = encode_command("HELLO", "3")
    for command in [("ZRANGE", z, "0", "-1", "WITHSCORES"), ("ZSCORE", z, "m0"),
                    ("ZSCORE", z, "nosuch"), ("ZMSCORE", z, "m1", "nosuch", "m3"),
                    ("ZINCRBY", z, "0.2", "m0"), ("ZADD", z, "INCR", "1", "m1"),
                    ("ZADD", z, "NX", "INCR", "1", "m1"),
                    ("ZREVRANGEBYSCORE", z, "+inf", "-inf", "WITHSCORES", "LIMIT", "1", "3"),
                    ("ZUNION", "1", z, "WITHSCORES"), ("ZINTER", "1", z, "WITHSCORES"),
                    ("ZDIFF", "1", z, "WITHSCORES"), ("ZRANGE", z, "0", "2"),
                    ("ZPOPMIN", z), ("ZPOPMIN", z, "2"), ("ZPOPMAX", z, "1"),
                    ("ZPOPMAX", z, "0"), ("ZPOPMIN", k("nosuch")), ("ZPOPMIN", k("nosuch"), "3"),
                    ("ZMPOP", "1", z, "MIN"), ("ZMPOP", "1", z, "MAX", "COUNT", "2"),
                    ("ZMPOP", "1", k("nosuch"), "MAX"), ("ZRANK", z, "nosuch"),
                    ("ZRANDMEMBER", k("nosuch")), ("ZRANDMEMBER", z, "100", "WITHSCORES"),
                    ("ZSCAN", z, "0")]:
        payload += encode_command(*command)
    assert_same_raw(payload, skip=1)


def test_score_range_parsing(both, k):
    z = k()
    same_all(both, ("ZADD", z, "-inf", "ninf", "0", "zero", "1", "one", "2", "two", "+inf", "inf"))
    for lo, hi in [("-inf", "+inf"), ("(0", "2"), ("0", "(2"), ("(0", "(2"), ("(1", "(1"),
                   ("1", "1"), ("2", "1"), ("", "1"), ("(", "2"), (" 1", "2"), ("0x1", "2"),
                   ("-inf", "-inf"), ("(-inf", "+inf"), ("inf", "inf"), ("1e400", "+inf"),
                   ("-1e400", "0"), ("1\x00x", "2")]:
        assert_same(both, "ZRANGEBYSCORE", z, lo, hi, "WITHSCORES")
        assert_same(both, "ZCOUNT", z, lo, hi)
    for lo, hi in [("nan", "1"), ("a", "1"), ("1", "x"), ("((1", "2"), ("[1", "2"), ("1 ", "2")]:
        assert_same_error(both, "ZRANGEBYSCORE", z, lo, hi)
        assert_same_error(both, "ZCOUNT", z, lo, hi)
        assert_same_error(both, "ZREMRANGEBYSCORE", z, lo, hi)
        assert_same_error(both, "ZRANGE", z, lo, hi, "BYSCORE")


# --- reads ------------------------------------------------------------------------------------


def test_zcard_zscore_zmscore_zrank(both, k):
    z = k()
    assert assert_same(both, "ZCARD", z) == 0
    assert assert_same(both, "ZSCORE", z, "a") is None
    assert_same(both, "ZMSCORE", z, "a", "b")
    assert assert_same(both, "ZRANK", z, "a") is None
    same_all(both, ("ZADD", z, "1", "a", "2", "b", "2", "c", "3", "d"))
    for member in ["a", "b", "c", "d", "x"]:
        assert_same(both, "ZRANK", z, member)
        assert_same(both, "ZREVRANK", z, member)
        assert_same(both, "ZSCORE", z, member)
    assert_same(both, "ZCARD", z)


def test_zlexcount_and_lex_ranges(both, k):
    z = k()
    members = ["a", "aa", "ab", "b", "ba", "c", "", "\xff", "A", "1", "10", "2"]
    for m in members:
        assert_same(both, "ZADD", z, "0", m)
    bounds = ["-", "+", "[a", "(a", "[b", "(b", "[", "(", "[aa", "(c", "[\xff", "[zz"]
    for lo in bounds:
        for hi in bounds:
            assert_same(both, "ZRANGEBYLEX", z, lo, hi)
            assert_same(both, "ZLEXCOUNT", z, lo, hi)
            assert_same(both, "ZREVRANGEBYLEX", z, hi, lo)
    assert_same(both, "ZRANGEBYLEX", z, "-", "+", "LIMIT", "2", "3")
    assert_same(both, "ZREVRANGEBYLEX", z, "+", "-", "LIMIT", "2", "3")
    assert_same(both, "ZRANGEBYLEX", z, "-", "+", "LIMIT", "-1", "3")
    assert_same(both, "ZRANGEBYLEX", z, "-", "+", "LIMIT", "1", "-1")
    for lo, hi in [("a", "b"), ("[a", "b"), ("", "+"), ("-", "++"), ("+a", "+")]:
        assert_same_error(both, "ZRANGEBYLEX", z, lo, hi)
        assert_same_error(both, "ZLEXCOUNT", z, lo, hi)
        assert_same_error(both, "ZREMRANGEBYLEX", z, lo, hi)


def test_zrange_by_rank(both, k):
    z = k()
    for i in range(10):
        assert_same(both, "ZADD", z, str(i % 4), f"m{i}")
    ranks = ["0", "1", "-1", "-3", "5", "9", "10", "100", "-100", "-11"]
    for a in ranks:
        for b in ranks:
            assert_same(both, "ZRANGE", z, a, b)
            assert_same(both, "ZREVRANGE", z, a, b, "WITHSCORES")
    assert_same(both, "ZRANGE", z, "0", "-1", "REV", "WITHSCORES")
    assert_same(both, "ZRANGE", z, "0", "-1", "LIMIT", "0", "-1")
    assert_same(both, "ZRANGE", k("nosuch"), "0", "-1")
    for args in [("a", "1"), ("0", "1.5"), ("0", "-1", "LIMIT", "0", "1"), ("0", "-1", "REV",
                 "REV"), ("0", "-1", "BYSCORE", "BYLEX"), ("0", "-1", "LIMIT", "1"),
                 ("0", "-1", "LIMIT", "a", "1"), ("0", "-1", "FOO"),
                 ("-", "+", "BYLEX", "WITHSCORES"), ("0", "9999999999999999999999")]:
        assert_same_error(both, "ZRANGE", z, *args)
    assert_same_error(both, "ZREVRANGE", z, "0", "1", "REV")
    assert_same_error(both, "ZRANGEBYSCORE", z, "0", "1", "BYSCORE")
    assert_same_error(both, "ZRANGEBYLEX", z, "-", "+", "WITHSCORES")


def test_zrange_by_score_with_limits(both, k):
    z = k()
    for i in range(20):
        assert_same(both, "ZADD", z, str(i // 3), f"m{i:02}")
    for offset, count in [("0", "5"), ("3", "5"), ("0", "-1"), ("5", "-5"), ("-1", "5"),
                          ("19", "5"), ("20", "1"), ("100", "1"), ("0", "0"), ("2", "1")]:
        assert_same(both, "ZRANGEBYSCORE", z, "1", "5", "LIMIT", offset, count)
        assert_same(both, "ZREVRANGEBYSCORE", z, "5", "(1", "WITHSCORES", "LIMIT", offset, count)
        assert_same(both, "ZRANGE", z, "(1", "5", "BYSCORE", "LIMIT", offset, count, "WITHSCORES")
        assert_same(both, "ZRANGE", z, "5", "1", "BYSCORE", "REV", "LIMIT", offset, count)
    assert_same(both, "ZRANGEBYSCORE", z, "1", "5", "LIMIT", "1", "2", "LIMIT", "0", "1")
    assert_same(both, "ZRANGEBYSCORE", z, "1", "5", "WITHSCORES", "WITHSCORES")


def test_zrangestore(both, k, zset_config):
    src, dst = k("src"), k("dst")
    for i in range(10):
        assert_same(both, "ZADD", src, str(i), f"m{i}")
    for args in [("0", "-1"), ("2", "4"), ("5", "1", "BYSCORE", "REV", "LIMIT", "1", "2"),
                 ("[m1", "[m5", "BYLEX"), ("(3", "+inf", "BYSCORE"), ("100", "200")]:
        assert_same(both, "ZRANGESTORE", dst, src, *args)
        assert_same(both, "ZRANGE", dst, "0", "-1", "WITHSCORES")
        assert_same(both, "EXISTS", dst)
    assert_same(both, "ZRANGESTORE", dst, k("nosuch"), "0", "-1")
    assert_same(both, "EXISTS", dst)
    assert_same_error(both, "ZRANGESTORE", dst, src, "0", "-1", "WITHSCORES")
    # Storing into the source key itself.
    assert_same(both, "ZRANGESTORE", src, src, "2", "3")
    assert_same(both, "ZRANGE", src, "0", "-1", "WITHSCORES")
    # Encoding of the result follows the size and member lengths.
    same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "4"))
    for i in range(10):
        assert_same(both, "ZADD", k("big"), str(i), f"m{i}")
    assert_same(both, "ZRANGESTORE", dst, k("big"), "0", "3")
    assert encoding(both, dst) == b"listpack"
    assert_same(both, "ZRANGESTORE", dst, k("big"), "0", "4")
    assert encoding(both, dst) == b"skiplist"
    assert_same(both, "ZRANGESTORE", dst, k("big"), "0", "4", "BYSCORE")
    assert encoding(both, dst) == b"skiplist"
    assert_same(both, "ZRANGESTORE", dst, k("big"), "0", "3", "BYSCORE")
    assert encoding(both, dst) == b"listpack"


# --- removals ---------------------------------------------------------------------------------


def test_zrem(both, k):
    z = k()
    same_all(both, ("ZADD", z, "1", "a", "2", "b", "3", "c"))
    assert assert_same(both, "ZREM", z, "a", "x", "a") == 1
    assert assert_same(both, "ZREM", z, "b", "c", "d") == 2
    assert assert_same(both, "EXISTS", z) == 0
    assert assert_same(both, "ZREM", z, "a") == 0


@pytest.mark.parametrize("big", [False, True])
def test_zremrange(both, k, big, zset_config):
    if big:
        same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "1"))

    def fill(z):
        for i in range(12):
            assert_same(both, "ZADD", z, str(i // 2), f"m{i:02}")

    for args in [("0", "2"), ("-3", "-1"), ("5", "3"), ("20", "30"), ("-100", "100"),
                 ("0", "-1")]:
        fill(k("r"))
        assert_same(both, "ZREMRANGEBYRANK", k("r"), *args)
        assert_same(both, "ZRANGE", k("r"), "0", "-1", "WITHSCORES")
    for args in [("1", "3"), ("(1", "(3"), ("-inf", "+inf"), ("7", "8"), ("3", "1")]:
        fill(k("s"))
        assert_same(both, "ZREMRANGEBYSCORE", k("s"), *args)
        assert_same(both, "ZRANGE", k("s"), "0", "-1", "WITHSCORES")
    for args in [("[m01", "(m05"), ("-", "+"), ("(m10", "+"), ("[x", "[y")]:
        for i in range(12):
            assert_same(both, "ZADD", k("l"), "0", f"m{i:02}")
        assert_same(both, "ZREMRANGEBYLEX", k("l"), *args)
        assert_same(both, "ZRANGE", k("l"), "0", "-1")
    assert_same(both, "ZREMRANGEBYRANK", k("nosuch"), "0", "-1")
    assert_same_error(both, "ZREMRANGEBYRANK", k("r"), "a", "1")


# --- pops -------------------------------------------------------------------------------------


def test_zpopmin_zpopmax(both, k):
    z = k()
    same_all(both, ("ZADD", z, "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"))
    assert_same(both, "ZPOPMIN", z)
    assert_same(both, "ZPOPMAX", z)
    assert_same(both, "ZPOPMIN", z, "2")
    assert_same(both, "ZPOPMAX", z, "0")
    assert_same(both, "ZPOPMAX", z, "10")
    assert_same(both, "EXISTS", z)
    assert_same(both, "ZPOPMIN", z)
    assert_same(both, "ZPOPMIN", z, "0")
    for count in ["-1", "abc", "1.5"]:
        assert_same_error(both, "ZPOPMIN", z, count)
    assert_same_error(both, "ZPOPMIN", z, "1", "2")


def test_zmpop(both, k):
    a, b = k("a"), k("b")
    same_all(both, ("ZADD", b, "1", "x", "2", "y", "3", "z"))
    assert_same(both, "ZMPOP", "2", a, b, "MIN")
    assert_same(both, "ZMPOP", "2", a, b, "max", "COUNT", "1")
    assert_same(both, "ZMPOP", "2", a, b, "MIN", "COUNT", "10")
    assert_same(both, "ZMPOP", "2", a, b, "MIN")
    assert_same(both, "EXISTS", b)
    for args in [("0", a, "MIN"), ("abc", a, "MIN"), ("-1", a, "MIN"), ("1", a, "MIDDLE"),
                 ("1", a, "MIN", "COUNT", "0"), ("1", a, "MIN", "COUNT", "abc"),
                 ("1", a, "MIN", "COUNT", "1", "COUNT", "1"), ("1", a, "MIN", "FOO"),
                 ("3", a, "MIN"), ("1", a, "MIN", "COUNT")]:
        assert_same_error(both, "ZMPOP", *args)


# --- set operations ---------------------------------------------------------------------------


def fill_sets(both, k):
    same_all(both, ("ZADD", k("a"), "1", "x", "2", "y", "3", "z"),
             ("ZADD", k("b"), "10", "y", "20", "z", "30", "w"),
             ("ZADD", k("c"), "-inf", "z", "5", "v"),
             ("ZADD", k("d"), "+inf", "z", "0.1", "y"))


def test_zunion_zinter_zdiff(both, k):
    fill_sets(both, k)
    keys = [k("a"), k("b"), k("c"), k("d"), k("nosuch")]
    for n in range(1, 6):
        for combo in [keys[:n], list(reversed(keys[:n])), keys[n - 1:] + keys[:1]]:
            for op in ["ZUNION", "ZINTER"]:
                for agg in [[], ["AGGREGATE", "SUM"], ["AGGREGATE", "min"], ["AGGREGATE", "MAX"]]:
                    assert_same(both, op, str(len(combo)), *combo, *agg, "WITHSCORES")
                weights = [str(w) for w in [2, -1, 0.5, 0, 3][:len(combo)]]
                assert_same(both, op, str(len(combo)), *combo, "WEIGHTS", *weights,
                            "WITHSCORES")
                assert_same(both, op, str(len(combo)), *combo)
            assert_same(both, "ZDIFF", str(len(combo)), *combo, "WITHSCORES")
            assert_same(both, "ZDIFF", str(len(combo)), *combo)
            assert_same(both, "ZINTERCARD", str(len(combo)), *combo)
    assert_same(both, "ZINTER", "2", k("a"), k("a"), "WITHSCORES")
    assert_same(both, "ZDIFF", "2", k("a"), k("a"))
    assert_same(both, "ZUNION", "2", k("c"), k("d"), "WITHSCORES")  # -inf + inf -> 0


def test_plain_sets_are_inputs_with_score_one(both, k):
    fill_sets(both, k)
    same_all(both, ("SADD", k("ints"), "1", "2", "3"), ("SADD", k("strs"), "x", "y", "q"),
             ("ZADD", k("num"), "5", "1", "7", "3"))
    for op in ["ZUNION", "ZINTER"]:
        for keys in [[k("a"), k("strs")], [k("strs"), k("a"), k("b")], [k("ints"), k("num")],
                     [k("strs"), k("strs")]]:
            assert_same(both, op, str(len(keys)), *keys, "WITHSCORES")
            assert_same(both, op, str(len(keys)), *keys, "WEIGHTS", *["2"] * len(keys),
                        "AGGREGATE", "MAX", "WITHSCORES")
    assert_same(both, "ZDIFF", "2", k("strs"), k("a"), "WITHSCORES")
    assert_same(both, "ZDIFF", "2", k("a"), k("strs"), "WITHSCORES")
    assert_same(both, "ZINTERCARD", "2", k("strs"), k("a"))
    assert_same(both, "ZUNIONSTORE", k("dst"), "2", k("ints"), k("strs"))
    assert_same(both, "ZRANGE", k("dst"), "0", "-1", "WITHSCORES")
    assert encoding(both, k("dst")) == b"listpack"
    assert_same(both, "ZINTERSTORE", k("dst"), "1", k("ints"))
    assert_same(both, "ZDIFFSTORE", k("dst"), "2", k("ints"), k("num"))
    assert_same(both, "ZRANGE", k("dst"), "0", "-1", "WITHSCORES")
    # Other commands still refuse plain sets.
    assert_same_error(both, "ZRANGE", k("ints"), "0", "-1")
    assert_same_error(both, "ZADD", k("ints"), "1", "a")


def test_set_operation_errors(both, k):
    fill_sets(both, k)
    a, b = k("a"), k("b")
    for command in [("ZUNION", "0", a), ("ZUNION", "-1", a), ("ZUNION", "x", a),
                    ("ZUNION", "3", a, b), ("ZUNION", "2", a, b, "WEIGHTS", "1"),
                    ("ZUNION", "2", a, b, "WEIGHTS", "1", "x"),
                    ("ZUNION", "2", a, b, "AGGREGATE", "AVG"), ("ZUNION", "2", a, b, "AGGREGATE"),
                    ("ZUNION", "1", a, "FOO"), ("ZDIFF", "1", a, "WEIGHTS", "1"),
                    ("ZDIFF", "1", a, "AGGREGATE", "SUM"), ("ZUNIONSTORE", k("d"), "1", a,
                    "WITHSCORES"), ("ZINTERCARD", "0", a), ("ZINTERCARD", "1", a, "LIMIT", "-1"),
                    ("ZINTERCARD", "1", a, "LIMIT", "x"), ("ZINTERCARD", "1", a, "WITHSCORES"),
                    ("ZINTERCARD", "1", a, "LIMIT"), ("ZINTER", "1", a, "LIMIT", "1"),
                    ("ZDIFFSTORE", k("d"), "0", a)]:
        assert_same_error(both, *command)


def test_store_operations(both, k, zset_config):
    fill_sets(both, k)
    a, b, c, d = k("a"), k("b"), k("c"), k("d")
    dst = k("dst")
    for command in [("ZUNIONSTORE", dst, "2", a, b), ("ZINTERSTORE", dst, "2", a, b),
                    ("ZDIFFSTORE", dst, "2", a, b),
                    ("ZUNIONSTORE", dst, "3", a, b, c, "WEIGHTS", "1", "2", "3",
                     "AGGREGATE", "MAX"),
                    ("ZINTERSTORE", dst, "2", a, d, "AGGREGATE", "MIN"),
                    ("ZINTERSTORE", dst, "2", a, k("nosuch")), ("ZUNIONSTORE", a, "2", a, b),
                    ("ZDIFFSTORE", dst, "1", k("nosuch"))]:
        assert_same(both, *command)
        assert_same(both, "ZRANGE", dst, "0", "-1", "WITHSCORES")
        assert_same(both, "ZRANGE", a, "0", "-1", "WITHSCORES")
    assert_same(both, "EXISTS", dst)
    # Results are converted back to a listpack when small enough.
    same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "2"))
    for i in range(5):
        assert_same(both, "ZADD", k("big"), str(i), f"m{i}")
    assert encoding(both, k("big")) == b"skiplist"
    assert_same(both, "ZUNIONSTORE", dst, "1", k("big"))
    assert encoding(both, dst) == b"skiplist"
    assert_same(both, "ZINTERSTORE", dst, "2", k("big"), a)
    same_all(both, ("ZADD", k("two"), "1", "m1", "2", "m2"))
    assert_same(both, "ZINTERSTORE", dst, "2", k("big"), k("two"))
    assert encoding(both, dst) == b"listpack"
    same_all(both, ("CONFIG", "SET", "zset-max-listpack-value", "3"))
    assert_same(both, "ZADD", k("long"), "1", "long-member", "2", "m2")
    assert_same(both, "ZUNIONSTORE", dst, "1", k("long"))
    assert encoding(both, dst) == b"skiplist"


def test_zintercard_limit(both, k):
    for i in range(20):
        same_all(both, ("ZADD", k("a"), str(i), f"m{i}"))
        if i % 2:
            same_all(both, ("ZADD", k("b"), str(i), f"m{i}"))
    for limit in ["0", "1", "5", "10", "11", "100"]:
        assert_same(both, "ZINTERCARD", "2", k("a"), k("b"), "LIMIT", limit)


# --- encodings --------------------------------------------------------------------------------


def test_encoding_thresholds(both, k, zset_config):
    z = k()
    for i in range(128):
        assert_same(both, "ZADD", z, str(i), f"m{i}")
    assert encoding(both, z) == b"listpack"
    assert_same(both, "ZADD", z, "128", "m128")
    assert encoding(both, z) == b"skiplist"
    # Never back on removal.
    assert_same(both, "ZREMRANGEBYRANK", z, "0", "100")
    assert encoding(both, z) == b"skiplist"
    assert_same(both, "ZRANGE", z, "0", "-1", "WITHSCORES")

    assert_same(both, "ZADD", k("v"), "1", "x" * 64)
    assert encoding(both, k("v")) == b"listpack"
    assert_same(both, "ZADD", k("v"), "1", "y" * 65)
    assert encoding(both, k("v")) == b"skiplist"
    # A new key with a long first member starts as a skiplist; only the first is checked.
    assert_same(both, "ZADD", k("w"), "1", "y" * 65)
    assert encoding(both, k("w")) == b"skiplist"
    assert_same(both, "ZADD", k("u"), "1", "a", "2", "y" * 65)
    assert encoding(both, k("u")) == b"skiplist"

    same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "0"))
    assert_same(both, "ZADD", k("zero"), "1", "a")
    assert encoding(both, k("zero")) == b"skiplist"
    same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "3"),
             ("CONFIG", "SET", "zset-max-listpack-value", "5"))
    assert_same(both, "ZADD", k("t"), "1", "a", "2", "b", "3", "c")
    assert encoding(both, k("t")) == b"listpack"
    assert_same(both, "ZINCRBY", k("t"), "1", "d")
    assert encoding(both, k("t")) == b"skiplist"


@pytest.mark.parametrize("big", [False, True])
def test_randomized_against_redis(both, k, big, zset_config):
    rng = random.Random(7)
    if big:
        same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "4"))
    z = k()
    members = [f"m{i}" for i in range(30)] + ["", "10", "-5", "a" * 70]
    scores = ["0", "1", "-1", "2.5", "1e10", "-inf", "+inf", "3", "0.1"]
    for _ in range(400):
        op = rng.randrange(8)
        if op < 3:
            args = []
            for _ in range(rng.randrange(1, 4)):
                args += [rng.choice(scores), rng.choice(members)]
            assert_same(both, "ZADD", z, *args)
        elif op == 3:
            assert_same(both, "ZREM", z, rng.choice(members))
        elif op == 4:
            assert_same(both, "ZINCRBY", z, rng.choice(scores[:5]), rng.choice(members))
        elif op == 5:
            assert_same(both, "ZRANGE", z, str(rng.randrange(-10, 10)), str(rng.randrange(-10, 10)),
                        "WITHSCORES")
        elif op == 6:
            assert_same(both, "ZRANK", z, rng.choice(members))
            assert_same(both, "ZREVRANK", z, rng.choice(members))
        else:
            assert_same(both, "ZRANGEBYSCORE", z, rng.choice(scores), "+inf", "WITHSCORES")
            assert_same(both, "ZCOUNT", z, "-inf", rng.choice(scores))
    assert_same(both, "ZRANGE", z, "0", "-1", "WITHSCORES")


# --- ZRANDMEMBER ------------------------------------------------------------------------------


@pytest.mark.parametrize("big", [False, True])
def test_zrandmember_properties(both, k, big, zset_config):
    tandem, _ = both
    if big:
        same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "1"))
    z = k()
    scores = {f"m{i}".encode(): str(i).encode() for i in range(10)}
    for m, s in scores.items():
        assert_same(both, "ZADD", z, s, m)
    assert run_command(tandem, "ZRANDMEMBER", z) in scores
    assert assert_same(both, "ZRANDMEMBER", k("nosuch")) is None
    assert assert_same(both, "ZRANDMEMBER", k("nosuch"), "5") == []
    assert assert_same(both, "ZRANDMEMBER", z, "0") == []
    # count >= size: the whole set, highest first.
    assert_same(both, "ZRANDMEMBER", z, "10", "WITHSCORES")
    assert_same(both, "ZRANDMEMBER", z, "100")
    for count in [1, 3, 5, 9]:
        reply = run_command(tandem, "ZRANDMEMBER", z, str(count))
        assert len(reply) == count and len(set(reply)) == count and set(reply) <= set(scores)
        reply = run_command(tandem, "ZRANDMEMBER", z, str(count), "WITHSCORES")
        pairs = list(zip(reply[::2], reply[1::2]))
        assert len(pairs) == count and all(scores[m] == s for m, s in pairs)
    reply = run_command(tandem, "ZRANDMEMBER", z, "-50")
    assert len(reply) == 50 and set(reply) <= set(scores)
    assert len(set(reply)) > 3  # repetitions allowed, but all ten are likely
    seen = set()
    for _ in range(200):
        seen.add(run_command(tandem, "ZRANDMEMBER", z))
    assert seen == set(scores)
    for args in [("abc",), ("1", "WITHSCORE"), ("1", "WITHSCORES", "x"),
                 ("-9223372036854775808",), ("9223372036854775807", "WITHSCORES"),
                 ("-4611686018427387904", "WITHSCORES")]:
        assert_same_error(both, "ZRANDMEMBER", z, *args)


# --- ZSCAN ------------------------------------------------------------------------------------


@pytest.mark.parametrize("big", [False, True])
def test_zscan_returns_everything_once(both, k, big, zset_config):
    tandem, _ = both
    if big:
        same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "1"))
    z = k()
    expected = {}
    for i in range(200 if big else 50):
        assert_same(both, "ZADD", z, str(i / 4), f"m{i}")
        expected[f"m{i}".encode()] = run_command(tandem, "ZSCORE", z, f"m{i}")
    if not big:
        assert_same(both, "ZSCAN", z, "0")
        assert_same(both, "ZSCAN", z, "0", "MATCH", "m1*", "COUNT", "5")
    cursor, seen = b"0", {}
    while True:
        cursor, items = run_command(tandem, "ZSCAN", z, cursor, "COUNT", "7")
        for m, s in zip(items[::2], items[1::2]):
            assert m not in seen
            seen[m] = s
        if cursor == b"0":
            break
    assert seen == expected
    cursor, items = run_command(tandem, "ZSCAN", z, "0", "MATCH", "m19*", "COUNT", "1000")
    assert sorted(items[::2]) == sorted(m for m in expected if m.startswith(b"m19"))
    assert_same(both, "ZSCAN", k("nosuch"), "0", "COUNT", "0")
    for args in [("abc",), ("-1x",), (" 1",), ("0", "COUNT", "0"), ("0", "COUNT", "x"),
                 ("0", "TYPE", "zset"), ("0", "MATCH"), ("0", "FOO", "bar")]:
        assert_same_error(both, "ZSCAN", z, *args)


# --- statistics and copy ----------------------------------------------------------------------


def keyspace_stats(client):
    info = run_command(client, "INFO", "stats").decode()
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(fields["keyspace_hits"]), int(fields["keyspace_misses"])


def test_keyspace_hits_and_misses_like_redis(both, k):
    same_all(both, ("ZADD", k("z"), "1", "a", "2", "b"))
    before = [keyspace_stats(c) for c in both]
    same_all(both, ("ZSCORE", k("z"), "a"), ("ZSCORE", k("x"), "a"), ("ZCARD", k("z")),
             ("ZRANGE", k("z"), "0", "-1"), ("ZRANGESTORE", k("d"), k("z"), "0", "-1"),
             ("ZUNION", "2", k("z"), k("x")), ("ZUNIONSTORE", k("d"), "2", k("z"), k("x")),
             ("ZADD", k("z"), "3", "c"), ("ZPOPMIN", k("x")), ("ZMSCORE", k("x"), "a"),
             ("ZSCAN", k("z"), "0"))
    for client in both:
        run_command(client, "ZRANDMEMBER", k("z"), "-2")
    after = [keyspace_stats(c) for c in both]
    deltas = [(a[0] - b[0], a[1] - b[1]) for a, b in zip(after, before)]
    assert deltas[0] == deltas[1]


def test_copy_is_independent(both, k, zset_config):
    same_all(both, ("CONFIG", "SET", "zset-max-listpack-entries", "2"))
    for key in [k("small"), k("big")]:
        n = 2 if key == k("small") else 5
        for i in range(n):
            assert_same(both, "ZADD", key, str(i), f"m{i}")
        if run_command(both[1], "COPY", key, key + "copy") == 1:
            assert_same(both, "ZADD", key + "x", "1", "a")
            run_command(both[0], "COPY", key, key + "copy")
            assert_same(both, "ZADD", key, "9", "new")
            assert_same(both, "ZREM", key + "copy", "m0")
            assert_same(both, "ZRANGE", key, "0", "-1", "WITHSCORES")
            assert_same(both, "ZRANGE", key + "copy", "0", "-1", "WITHSCORES")
            assert_same(both, "OBJECT", "ENCODING", key + "copy")


def test_type_and_del(both, k):
    same_all(both, ("ZADD", k(), "1", "a"), ("TYPE", k()), ("DEL", k()), ("TYPE", k()))


# --- command table ----------------------------------------------------------------------------

ZSET_COMMANDS = ("zadd zincrby zrem zcard zcount zlexcount zscore zmscore zrank zrevrank zrange "
                 "zrangestore zrevrange zrangebyscore zrevrangebyscore zrangebylex zrevrangebylex "
                 "zremrangebyrank zremrangebyscore zremrangebylex zpopmin zpopmax zmpop zunion "
                 "zinter zdiff zunionstore zinterstore zdiffstore zintercard zrandmember "
                 "zscan bzpopmin bzpopmax bzmpop").split()


@pytest.mark.parametrize("name", ZSET_COMMANDS)
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()
    tandem, reference = both
    ours = run_command(tandem, "COMMAND", "DOCS", name)[1]
    theirs = run_command(reference, "COMMAND", "DOCS", name)[1]
    ours, theirs = dict(zip(ours[::2], ours[1::2])), dict(zip(theirs[::2], theirs[1::2]))
    for field in (b"summary", b"since", b"group", b"complexity"):
        assert ours[field] == theirs[field], field


def test_command_getkeys_for_numkeys_commands(both):
    for command in [("ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"),
                    ("ZMPOP", "2", "a", "b", "MIN"), ("ZINTERCARD", "1", "a"),
                    ("ZDIFF", "3", "a", "b", "c"), ("ZRANGESTORE", "d", "s", "0", "1"),
                    ("ZINTERSTORE", "d", "1", "a"), ("BZMPOP", "0", "2", "a", "b", "MIN"),
                    ("BZPOPMIN", "a", "b", "0")]:
        assert_same(both, "COMMAND", "GETKEYS", *command)
    assert_same_error(both, "COMMAND", "GETKEYS", "ZUNION", "3", "a", "b")
