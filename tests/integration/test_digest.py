"""DEBUG DIGEST and DEBUG DIGEST-VALUE over every data type, against the real redis-server 7.0.

Replication tests compare a tandem dataset with a Redis one by digest, so the digest must be
Redis's byte for byte for every type and every encoding: strings (int/embstr/raw), lists
(one-node and many-node quicklists), hashes and sorted sets (listpack and hashtable/skiplist),
sets (intset and hashtable), with and without TTLs. Sets, hashes and sorted sets digest
independently of their iteration order and encoding, so the same contents reached through
different histories (another insertion order, a conversion, deletions) must digest alike.
"""

import pytest

from conftest import assert_same, run_command, same_digest

ZERO = b"0" * 40

# Scores whose "%.17g" text Redis hashes: integers, fractions, exponents, the infinities, -0.
SCORES = ["0", "-0", "1", "-1", "1.5", "0.1", "3.14159265358979", "1e300", "-2.5e-300",
          "+inf", "-inf", "4611686018427387904", "123456789012345678", "1e17", "7e-5"]


def dataset_commands(large):
    """Commands building one of each type; `large` pushes every collection past its compact
    encoding (quicklist with many nodes, hashtable, skiplist)."""
    n = 700 if large else 5
    ints = [str(i * 37 - 100) for i in range(n)]
    words = [f"member:{i}" for i in range(n)]
    commands = [
        ("SET", "s:int", "-12345"),
        ("SET", "s:embstr", "hello world"),
        ("SET", "s:raw", "r" * 100),
        ("SET", "s:binary\x00", "\x00\x7f\r\n"),
        ("SET", "s:empty", ""),
        ("APPEND", "s:appended", "12"),
        ("RPUSH", "list:words", *words),
        ("RPUSH", "list:ints", *ints),
        ("LPUSH", "list:mixed", "a", "1", "-7", "x" * 70, "9223372036854775807", ""),
        ("SADD", "set:ints", *ints),
        ("SADD", "set:words", *words),
        ("SADD", "set:mixed", "1", "two", "-3"),
        ("HSET", "hash", *[x for i, w in enumerate(words) for x in (w, ints[i])]),
        ("HSET", "hash:long", "f", "v" * (100 if large else 10), "12", "-4"),
        ("ZADD", "zset", *[x for i, w in enumerate(words) for x in (ints[i], w)]),
        ("ZADD", "zset:scores", *[x for i, s in enumerate(SCORES) for x in (s, f"m{i}")]),
        ("ZADD", "zset:ints", *[x for i in ints for x in ("2.5", i)]),
    ]
    if large:
        commands.append(("ZADD", "zset:scores", "0", "x" * 100))  # a long member: skiplist
    return commands


def build(both, commands):
    for command in commands:
        assert_same(both, *command)


def encodings(client, keys):
    return {k: run_command(client, "OBJECT", "ENCODING", k) for k in keys}


@pytest.mark.parametrize("large", [False, True], ids=["compact", "large"])
def test_digest_of_every_type_and_encoding_matches_redis(both, large):
    commands = dataset_commands(large)
    build(both, commands)
    keys = sorted({c[1] for c in commands})
    # Both servers really hold the encodings this test means to cover.
    assert encodings(both[0], keys) == encodings(both[1], keys)
    if large:
        assert run_command(both[0], "OBJECT", "ENCODING", "zset") == b"skiplist"
        assert run_command(both[0], "OBJECT", "ENCODING", "set:ints") == b"hashtable"
    else:
        assert run_command(both[0], "OBJECT", "ENCODING", "zset") == b"listpack"
        assert run_command(both[0], "OBJECT", "ENCODING", "set:ints") == b"intset"
    digest = same_digest(both)
    assert digest != ZERO
    assert_same(both, "DEBUG", "DIGEST-VALUE", *keys, "missing")
    # A TTL changes the value's digest (and so the dataset's) on every type alike.
    for key in keys:
        assert_same(both, "PEXPIRE", key, "1000000")
    assert same_digest(both) != digest
    assert_same(both, "DEBUG", "DIGEST-VALUE", *keys)
    for key in keys[::2]:
        assert_same(both, "PERSIST", key)
    same_digest(both)
    assert_same(both, "DEBUG", "DIGEST-VALUE", *keys)


def test_digest_covers_every_db(both):
    for db in ("0", "5", "15"):
        assert_same(both, "SELECT", db)
        build(both, dataset_commands(False))
        same_digest(both)
    assert_same(both, "SELECT", "5")
    assert_same(both, "DEL", "zset")
    same_digest(both)
    assert_same(both, "FLUSHALL")
    assert same_digest(both) == ZERO


def test_list_digest_depends_on_order(both):
    build(both, [("RPUSH", "a", "1", "2", "3"), ("RPUSH", "b", "3", "2", "1")])
    a, b = assert_same(both, "DEBUG", "DIGEST-VALUE", "a", "b")
    assert a != b
    same_digest(both)


def test_sorted_set_digest_depends_on_scores(both):
    build(both, [("ZADD", "a", "1", "x", "2", "y"), ("ZADD", "b", "2", "x", "1", "y")])
    a, b = assert_same(both, "DEBUG", "DIGEST-VALUE", "a", "b")
    assert a != b


def digest_pairs(both, pairs):
    """Each (a, b) key pair must digest equally on each server, and as Redis digests them."""
    for a, b in pairs:
        da, db = assert_same(both, "DEBUG", "DIGEST-VALUE", a, b)
        assert da == db != ZERO, (a, b)


def test_same_contents_with_different_histories_digest_alike(both):
    members = [str(i) for i in range(600)]
    build(both, [
        # A set that became a hashtable and shrank back to a few integers, and an intset.
        ("SADD", "set:a", *members), ("SADD", "set:a", "word"), ("SREM", "set:a", "word"),
        ("SREM", "set:a", *members[3:]),
        ("SADD", "set:b", "2", "0", "1"),
        # A hash converted by a long value that was then deleted, and a listpack hash written
        # in another order with an overwrite.
        ("HSET", "hash:a", "f1", "v1", "f2", "v2", "long", "x" * 100), ("HDEL", "hash:a", "long"),
        ("HSET", "hash:b", "f2", "old", "f1", "v1"), ("HSET", "hash:b", "f2", "v2"),
        # A skiplist trimmed down to two members, and a listpack built in reverse.
        ("ZADD", "zset:a", *[x for m in members for x in (m, m)]),
        ("ZREMRANGEBYRANK", "zset:a", "2", "-1"),
        ("ZADD", "zset:b", "1", "1", "0", "0"),
        # Lists built from either end, and one trimmed from a many-node quicklist.
        ("RPUSH", "list:a", "a", "b", "c"), ("LPUSH", "list:b", "c", "b", "a"),
        ("RPUSH", "list:c", *members, "a", "b", "c"), ("LTRIM", "list:c", "-3", "-1"),
        # A string set whole, and the same bytes reached by APPEND (raw) or INCR (int).
        ("SET", "str:a", "10"), ("SET", "str:b", "9"), ("INCR", "str:b"),
        ("SET", "str:c", "ab"), ("SET", "str:d", "a"), ("APPEND", "str:d", "b"),
    ])  # fmt: skip
    digest_pairs(both, [("set:a", "set:b"), ("hash:a", "hash:b"), ("zset:a", "zset:b"),
                        ("list:a", "list:b"), ("list:a", "list:c"), ("str:a", "str:b"),
                        ("str:c", "str:d")])
    same_digest(both)


def test_dataset_digest_is_independent_of_history(both):
    """Two servers of each kind reaching the same data differently: all four digests equal."""
    tandem, redis_ref = both
    build(both, [("SADD", "s", "a", "b", "c"), ("HSET", "h", "x", "1", "y", "2"),
                 ("ZADD", "z", "1", "a", "2", "b"), ("RPUSH", "l", "1", "2")])
    first = same_digest(both)
    assert_same(both, "FLUSHALL")
    build(both, [("ZADD", "z", "2", "b", "5", "a"), ("RPUSH", "l", "2"), ("LPUSH", "l", "1"),
                 ("HSET", "h", "y", "2", "x", "0"), ("SADD", "s", "c", "z", "b", "a"),
                 ("SREM", "s", "z"), ("ZADD", "z", "1", "a"), ("HINCRBY", "h", "x", "1")])
    assert same_digest(both) == first


def test_digest_value_of_expired_and_missing_keys(both):
    build(both, [("RPUSH", "l", "a"), ("SADD", "s", "a")])
    assert assert_same(both, "DEBUG", "DIGEST-VALUE", "nosuch") == [ZERO]
    assert_same(both, "DEBUG", "DIGEST-VALUE", "l", "s", "l")
