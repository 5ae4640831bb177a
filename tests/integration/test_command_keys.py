"""COMMAND GETKEYS / GETKEYSANDFLAGS and the key specs behind them, against redis-server 7.0.

Clients that route by key (redis-cli in cluster mode, proxies) ask COMMAND GETKEYS or read the
key specs of COMMAND INFO, so both must be Redis's exactly: the keys found through the key specs,
the fallback to a command's own getkeys function when a spec does not fit (numkeys that is not a
number or too large, SORT's STORE, SET's GET), and every error text.
"""

import pytest

from conftest import assert_same, run_command

# Sample invocations, each asked as GETKEYS and as GETKEYSANDFLAGS.
INVOCATIONS = [
    # Fixed positions, ranges and steps.
    ("get", "k"), ("set", "k", "v"), ("set", "k", "v", "GET"), ("set", "k", "v", "get", "EX", "1"),
    ("set", "k", "v", "EX", "10"), ("set", "k", "v", "getx"), ("getdel", "k"), ("getex", "k"),
    ("mset", "a", "1", "b", "2"), ("msetnx", "a", "1", "b", "2"), ("mget", "a", "b", "c"),
    ("del", "a", "b"), ("unlink", "a"), ("exists", "a", "b", "a"), ("touch", "a"),
    ("rename", "a", "b"), ("renamenx", "a", "b"), ("copy", "a", "b"), ("copy", "a", "b", "DB", "1"),
    ("move", "a", "1"), ("type", "a"), ("expire", "a", "1"), ("ttl", "a"), ("persist", "a"),
    ("object", "encoding", "a"), ("memory", "usage", "a"), ("memory", "usage", "a", "SAMPLES", "1"),
    ("append", "a", "x"), ("incr", "a"), ("lcs", "a", "b"), ("setrange", "a", "1", "x"),
    # Lists.
    ("lpush", "l", "a", "b"), ("lrange", "l", "0", "-1"), ("lmove", "a", "b", "LEFT", "RIGHT"),
    ("rpoplpush", "a", "b"), ("blpop", "a", "b", "0"), ("brpop", "a", "0"),
    ("blmove", "a", "b", "LEFT", "LEFT", "0"), ("brpoplpush", "a", "b", "0"),
    ("lmpop", "2", "a", "b", "LEFT"), ("lmpop", "1", "a", "LEFT", "COUNT", "2"),
    ("lmpop", "0", "a", "LEFT"), ("lmpop", "3", "a", "LEFT"), ("lmpop", "x", "a", "LEFT"),
    ("lmpop", "1x", "a", "LEFT"), ("lmpop", "-1", "a", "LEFT"), ("lmpop", "+1", "a", "LEFT"),
    ("blmpop", "0", "2", "a", "b", "LEFT"), ("blmpop", "0", "0", "a", "LEFT"),
    ("blmpop", "0", "5", "a", "LEFT"), ("blmpop", "0", "1abc", "a", "LEFT"),
    # Sets.
    ("sadd", "s", "m"), ("sinter", "a", "b"), ("sinterstore", "d", "a", "b"),
    ("sunionstore", "d", "a"), ("sdiffstore", "d", "a", "b"), ("smove", "a", "b", "m"),
    ("sintercard", "2", "a", "b"), ("sintercard", "1", "a", "LIMIT", "5"),
    ("sintercard", "0", "a"), ("sintercard", "3", "a", "b"), ("sintercard", "2x", "a", "b"),
    # Hashes.
    ("hset", "h", "f", "v"), ("hgetall", "h"), ("hscan", "h", "0"),
    # Sorted sets.
    ("zadd", "z", "1", "m"), ("zrange", "z", "0", "-1"), ("zrangestore", "d", "z", "0", "-1"),
    ("zunion", "2", "a", "b"), ("zunion", "1", "a", "WEIGHTS", "2"), ("zunion", "3", "a", "b"),
    ("zunion", "0", "a"), ("zunion", "abc", "a"), ("zunion", "1abc", "a"), ("zunion", "-1", "a"),
    ("zinter", "2", "a", "b"), ("zdiff", "1", "a"), ("zintercard", "2", "a", "b"),
    ("zintercard", "0", "a"), ("zintercard", "9", "a"),
    ("zunionstore", "d", "2", "a", "b"), ("zunionstore", "d", "3", "a", "b"),
    ("zinterstore", "d", "1", "a"), ("zdiffstore", "d", "2", "a", "b"),
    ("zdiffstore", "d", "0", "a"), ("zinterstore", "d", "1x", "a"),
    ("zmpop", "2", "a", "b", "MIN"), ("zmpop", "0", "a", "MIN"), ("zmpop", "4", "a", "MIN"),
    ("bzmpop", "0", "2", "a", "b", "MAX"), ("bzmpop", "0", "3", "a", "MAX"),
    ("bzpopmin", "a", "b", "0"), ("bzpopmax", "a", "0"),
    # SORT: BY and GET patterns are not keys; the last STORE counts; LIMIT skips two.
    ("sort", "k"), ("sort", "k", "STORE", "d"), ("sort", "k", "BY", "w_*", "GET", "o_*", "STORE", "d"),
    ("sort", "k", "store", "d1", "STORE", "d2"), ("sort", "k", "BY", "store", "STORE", "d"),
    ("sort", "k", "GET", "store"), ("sort", "k", "LIMIT", "store", "x", "STORE", "d"),
    ("sort", "k", "STORE"), ("sort", "k", "ALPHA", "DESC", "STORE", "d", "LIMIT", "0", "1"),
    ("sort_ro", "k"), ("sort_ro", "k", "BY", "w_*", "GET", "#"),
    # Arity and lookup errors; commands without keys.
    ("get",), ("get", "a", "b"), ("mset", "a"), ("nosuch", "a"), ("ping",), ("dbsize",),
    ("client", "list"), ("config", "get", "x"), ("memory", "stats"), ("memory", "usage"),
    ("object", "encoding"), ("command", "getkeys", "get", "a"),
]  # fmt: skip


@pytest.mark.parametrize("invocation", INVOCATIONS, ids=lambda inv: " ".join(inv))
def test_getkeys_match_redis(both, invocation):
    assert_same(both, "COMMAND", "GETKEYS", *invocation)
    assert_same(both, "COMMAND", "GETKEYSANDFLAGS", *invocation)


@pytest.mark.parametrize("args", [("GETKEYSANDFLAGS",), ("getkeys", "GET"), ("GETKEYS", "sort")])
def test_getkeys_arity_errors_match_redis(both, args):
    assert_same(both, "COMMAND", *args)


def all_command_names(client):
    return sorted(n.decode() for n in run_command(client, "COMMAND", "LIST"))


def test_key_specs_of_every_command_match_redis(both):
    """Every command and subcommand tandem has: COMMAND INFO's key positions, movablekeys flag
    and key specs are Redis's."""
    tandem, reference = both
    mismatches = []
    for name in all_command_names(tandem):
        (ours,) = run_command(tandem, "COMMAND", "INFO", name)
        (theirs,) = run_command(reference, "COMMAND", "INFO", name)
        if theirs is None:
            continue  # not a Redis 7.0 command
        movable = [b"movablekeys" in entry[2] for entry in (ours, theirs)]
        if ours[3:6] != theirs[3:6] or ours[8] != theirs[8] or movable[0] != movable[1]:
            mismatches.append((name, ours[3:6], theirs[3:6], ours[8], theirs[8]))
    assert not mismatches, "\n".join(map(repr, mismatches))
