"""Hash commands against the real redis-server 7.0: HSET, HSETNX, HGET, HMGET, HMSET, HDEL,
HLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT, HSTRLEN, HRANDFIELD and HSCAN.

Deterministic replies (listpack-encoded hashes keep insertion order in both servers) are compared
byte for byte with assert_same; hashtable-encoded ones as multisets of pairs. Random replies
(HRANDFIELD, HSCAN over a hashtable) are checked for their properties: counts, membership,
uniqueness, and that a full HSCAN returns every field. OBJECT ENCODING is compared at the
listpack limits, also after CONFIG SET of the limits.
"""

import pytest

from conftest import (
    RespError,
    assert_same,
    assert_same_error,
    encode_command,
    run_command,
    same_all,
)


def pairs(flat):
    """A flat field/value list as a sorted list of pairs."""
    return sorted(zip(flat[::2], flat[1::2]))


def encoding(both, key):
    return assert_same(both, "OBJECT", "ENCODING", key)


@pytest.fixture
def hash_limits(both):
    """set_limits(entries, value): CONFIG SET the listpack limits on both servers, restored
    after the test (the servers are shared by the whole session)."""

    def set_limits(entries, value):
        for c in both:
            assert run_command(c, "CONFIG", "SET", "hash-max-listpack-entries", str(entries),
                               "hash-max-listpack-value", str(value)) == b"OK"

    yield set_limits
    set_limits(128, 64)


# --- HSET / HMSET / HSETNX / HGET / HMGET ----------------------------------------------------


def test_hset_creates_updates_and_counts_new_fields(both, k):
    h = k()
    assert same_all(
        both,
        ("HSET", h, "f1", "v1"),
        ("HSET", h, "f1", "v2", "f2", "v2", "f3", "3"),
        ("HSET", h, "f1", "v2"),
        ("HGET", h, "f1"),
        ("HGET", h, "f3"),
        ("HGET", h, "nosuch"),
        ("HGET", k("missing"), "f"),
        ("HLEN", h),
        ("HGETALL", h),
        ("TYPE", h),
        ("OBJECT", "ENCODING", h),
    ) == [1, 2, 0, b"v2", b"3", None, None, 3, [b"f1", b"v2", b"f2", b"v2", b"f3", b"3"],
          b"hash", b"listpack"]


def test_hmset_replies_ok(both, k):
    assert same_all(both, ("HMSET", k(), "a", "1", "b", "2"), ("HMSET", k(), "a", "x"),
                    ("HGETALL", k())) == [b"OK", b"OK", [b"a", b"x", b"b", b"2"]]


def test_values_that_look_like_numbers_read_back_unchanged(both, k):
    values = ["0", "-0", "01", "+1", " 1", "1 ", "127", "128", "-4096", "4096", "32768",
              "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5",
              "", "\x00\xff"]
    args = []
    for i, v in enumerate(values):
        args += [f"f{i}", v]
        args += [v, f"as-field-{i}"]
    assert_same(both, "HSET", k(), *args)
    assert_same(both, "HGETALL", k())
    for i, v in enumerate(values):
        assert assert_same(both, "HGET", k(), f"f{i}") == v.encode()
        assert assert_same(both, "HSTRLEN", k(), f"f{i}") == len(v.encode())
        assert assert_same(both, "HGET", k(), v) == f"as-field-{i}".encode()
    same_all(both, ("HGET", k(), "+0"), ("HEXISTS", k(), "00"), ("HEXISTS", k(), "-0"))


def test_hsetnx(both, k):
    assert same_all(
        both,
        ("HSETNX", k(), "f", "v"),
        ("HSETNX", k(), "f", "w"),
        ("HGET", k(), "f"),
        ("HSETNX", k(), "g", "1"),
        ("HGETALL", k()),
    ) == [1, 0, b"v", 1, [b"f", b"v", b"g", b"1"]]


def test_hmget(both, k):
    same_all(both, ("HSET", k(), "a", "1", "b", "bee"))
    assert assert_same(both, "HMGET", k(), "a", "nosuch", "b", "a") == [b"1", None, b"bee", b"1"]
    assert assert_same(both, "HMGET", k("missing"), "a", "b") == [None, None]


def test_arity_errors(both, k):
    for cmd in [("HSET", k(), "f"), ("HSET", k(), "f", "v", "g"), ("HMSET", k(), "f"),
                ("HMSET", k(), "f", "v", "g"), ("HSET", k()), ("HGET", k()),
                ("HGET", k(), "a", "b"), ("HSETNX", k(), "f"), ("HMGET", k()), ("HDEL", k()),
                ("HLEN",), ("HEXISTS", k()), ("HKEYS",), ("HVALS", k(), "x"), ("HGETALL",),
                ("HINCRBY", k(), "f"), ("HINCRBYFLOAT", k(), "f"), ("HSTRLEN", k()),
                ("HRANDFIELD",), ("HSCAN", k())]:
        assert_same_error(both, *cmd)
    assert assert_same(both, "EXISTS", k()) == 0


def test_wrongtype_everywhere(both, k):
    s = k("str")
    assert_same(both, "SET", s, "x")
    for cmd in [("HSET", s, "f", "v"), ("HMSET", s, "f", "v"), ("HSETNX", s, "f", "v"),
                ("HGET", s, "f"), ("HMGET", s, "f"), ("HDEL", s, "f"), ("HLEN", s),
                ("HEXISTS", s, "f"), ("HKEYS", s), ("HVALS", s), ("HGETALL", s),
                ("HINCRBY", s, "f", "1"), ("HINCRBYFLOAT", s, "f", "1"), ("HSTRLEN", s, "f"),
                ("HRANDFIELD", s), ("HRANDFIELD", s, "2"), ("HRANDFIELD", s, "-2", "WITHVALUES"),
                ("HSCAN", s, "0")]:
        assert assert_same_error(both, *cmd) == RespError(
            b"WRONGTYPE Operation against a key holding the wrong kind of value")
    # Argument errors that Redis reports before looking at the key.
    for cmd in [("HINCRBY", s, "f", "x"), ("HINCRBYFLOAT", s, "f", "x"),
                ("HINCRBYFLOAT", s, "f", "inf"), ("HRANDFIELD", s, "x"),
                ("HRANDFIELD", s, "1", "WITHVALUE"), ("HSCAN", s, "x")]:
        assert not assert_same_error(both, *cmd).text.startswith(b"WRONGTYPE")
    assert assert_same(both, "GET", s) == b"x"


# --- HDEL / HLEN / HEXISTS / HSTRLEN ------------------------------------------------------------


def test_hdel_counts_and_deletes_the_emptied_key(both, k):
    same_all(both, ("HSET", k(), "a", "1", "b", "2", "c", "3"))
    assert same_all(
        both,
        ("HDEL", k(), "a", "a", "nosuch"),
        ("HLEN", k()),
        ("HEXISTS", k(), "a"),
        ("HEXISTS", k(), "b"),
        ("HDEL", k(), "b", "c", "d"),
        ("EXISTS", k()),
        ("HDEL", k(), "b"),
        ("HLEN", k()),
    ) == [1, 2, 0, 1, 2, 0, 0, 0]


def test_hdel_on_hashtable_deletes_the_emptied_key(both, k, hash_limits):
    hash_limits(1, 64)
    same_all(both, ("HSET", k(), "a", "1", "b", "2"))
    assert encoding(both, k()) == b"hashtable"
    assert same_all(both, ("HDEL", k(), "a", "b"), ("EXISTS", k())) == [2, 0]


def test_hstrlen(both, k):
    same_all(both, ("HSET", k(), "s", "hello", "n", "-123", "big", "x" * 100, "z", "0"))
    assert same_all(both, ("HSTRLEN", k(), "s"), ("HSTRLEN", k(), "n"), ("HSTRLEN", k(), "big"),
                    ("HSTRLEN", k(), "z"), ("HSTRLEN", k(), "nosuch"),
                    ("HSTRLEN", k("missing"), "s")) == [5, 4, 100, 1, 0, 0]


# --- HKEYS / HVALS / HGETALL --------------------------------------------------------------------


def test_getall_family_on_listpack_keeps_insertion_order(both, k):
    same_all(both, ("HSET", k(), "z", "1", "a", "2", "m", "3"), ("HSET", k(), "a", "20"))
    assert same_all(both, ("HKEYS", k()), ("HVALS", k()), ("HGETALL", k())) == [
        [b"z", b"a", b"m"], [b"1", b"20", b"3"], [b"z", b"1", b"a", b"20", b"m", b"3"]]
    assert same_all(both, ("HKEYS", k("missing")), ("HVALS", k("missing")),
                    ("HGETALL", k("missing"))) == [[], [], []]


def test_getall_family_on_hashtable(both, k):
    args = []
    for i in range(300):
        args += [f"field:{i}", f"value:{i}"]
    assert assert_same(both, "HSET", k(), *args) == 300
    assert encoding(both, k()) == b"hashtable"
    tandem, redis_ref = both
    ours = run_command(tandem, "HGETALL", k())
    assert pairs(ours) == pairs(run_command(redis_ref, "HGETALL", k()))
    assert len(ours) == 600
    # Keys and values come in the same order as HGETALL's pairs.
    assert run_command(tandem, "HKEYS", k()) == ours[::2]
    assert run_command(tandem, "HVALS", k()) == ours[1::2]
    assert_same(both, "HKEYS", k(), unordered=True)
    assert_same(both, "HVALS", k(), unordered=True)


# --- HINCRBY / HINCRBYFLOAT ---------------------------------------------------------------------


def test_hincrby(both, k):
    assert same_all(
        both,
        ("HINCRBY", k(), "n", "5"),
        ("HINCRBY", k(), "n", "-10"),
        ("HGET", k(), "n"),
        ("HSET", k(), "max", str(2**63 - 1), "min", str(-(2**63)), "s", "abc", "f", "1.5",
         "sp", " 1", "plus", "+1"),
        ("HINCRBY", k(), "max", "0"),
        ("HINCRBY", k(), "min", "0"),
    ) == [5, -5, b"-5", 6, 2**63 - 1, -(2**63)]
    for cmd in [("HINCRBY", k(), "max", "1"), ("HINCRBY", k(), "min", "-1"),
                ("HINCRBY", k(), "s", "1"), ("HINCRBY", k(), "f", "1"),
                ("HINCRBY", k(), "sp", "1"), ("HINCRBY", k(), "plus", "1"),
                ("HINCRBY", k(), "n", "1.5"), ("HINCRBY", k(), "n", "x"), ("HINCRBY", k(), "n", "-0"),
                ("HINCRBY", k(), "n", str(2**63)), ("HINCRBY", k(), "n", " 1")]:
        assert_same_error(both, *cmd)
    assert same_all(both, ("HINCRBY", k(), "max", str(-(2**63))),
                    ("HINCRBY", k("new"), "f", str(-(2**63))), ("HGETALL", k())) [:2] == [
        -1, -(2**63)]


def test_hincrbyfloat(both, k):
    same_all(
        both,
        ("HINCRBYFLOAT", k(), "f", "10.5"),
        ("HINCRBYFLOAT", k(), "f", "0.1"),
        ("HINCRBYFLOAT", k(), "f", "-10.6"),
        ("HINCRBYFLOAT", k(), "g", "3.0"),
        ("HINCRBYFLOAT", k(), "g", "1e3"),
        ("HINCRBYFLOAT", k(), "h", "-0.0"),
        ("HSET", k(), "i", "7", "s", "abc", "sp", " 1", "big", "1e4932"),
        ("HINCRBYFLOAT", k(), "i", "0.25"),
        ("HINCRBYFLOAT", k(), "j", "5e-20"),
        ("HGETALL", k()),
        ("HINCRBYFLOAT", k("long"), "f", "1.7976931348623157e308"),
        ("HGET", k("long"), "f"),
    )
    for cmd in [("HINCRBYFLOAT", k(), "s", "1"), ("HINCRBYFLOAT", k(), "sp", "1"),
                ("HINCRBYFLOAT", k(), "f", "x"), ("HINCRBYFLOAT", k(), "f", "nan"),
                ("HINCRBYFLOAT", k(), "f", "inf"), ("HINCRBYFLOAT", k(), "f", "-inf"),
                ("HINCRBYFLOAT", k(), "f", "1e5000"), ("HINCRBYFLOAT", k(), "f", " 1"),
                ("HINCRBYFLOAT", k(), "f", ""), ("HINCRBYFLOAT", k(), "big", "1e4932")]:
        assert_same_error(both, *cmd)
    assert_same(both, "HGETALL", k())


def test_counters_on_a_missing_key_create_it_and_errors_do_not(both, k):
    assert same_all(both, ("HINCRBY", k("a"), "f", "x"), ("EXISTS", k("a")),
                    ("HINCRBYFLOAT", k("b"), "f", "nan"), ("EXISTS", k("b")),
                    ("HINCRBYFLOAT", k("c"), "f", "2"), ("HGETALL", k("c")))[1::2] == [
        0, 0, [b"f", b"2"]]


# --- Encodings ------------------------------------------------------------------------------


def test_encoding_converts_at_128_entries(both, k):
    for i in range(128):
        assert_same(both, "HSET", k(), f"f{i}", str(i))
    assert encoding(both, k()) == b"listpack"
    assert_same(both, "HGETALL", k())
    assert_same(both, "HSET", k(), "f0", "update")
    assert encoding(both, k()) == b"listpack"
    assert_same(both, "HSET", k(), "f128", "x")
    assert encoding(both, k()) == b"hashtable"
    # Never back to listpack.
    for i in range(120):
        assert_same(both, "HDEL", k(), f"f{i}")
    assert encoding(both, k()) == b"hashtable"
    tandem, redis_ref = both
    assert pairs(run_command(tandem, "HGETALL", k())) == pairs(
        run_command(redis_ref, "HGETALL", k()))


def test_encoding_converts_on_a_long_field_or_value(both, k):
    same_all(both, ("HSET", k("v64"), "f", "x" * 64), ("HSET", k("f64"), "y" * 64, "v"),
             ("HSET", k("v65"), "f", "x" * 65), ("HSET", k("f65"), "y" * 65, "v"),
             ("HSET", k("upd"), "f", "short"), ("HSET", k("upd"), "f", "x" * 65),
             ("HSETNX", k("nx"), "f", "x" * 65),
             ("HSET", k("nxold"), "f", "v"), ("HSETNX", k("nxold"), "f", "x" * 65),
             ("HINCRBY", k("incr"), "y" * 65, "1"),
             ("HINCRBYFLOAT", k("incrf"), "f", "1e70"))
    for name in ["v64", "f64", "v65", "f65", "upd", "nx", "nxold", "incr", "incrf"]:
        encoding(both, k(name))
    assert [encoding(both, k(n)) for n in ["v64", "v65", "nxold", "incrf"]] == [
        b"listpack", b"hashtable", b"listpack", b"hashtable"]


def test_encoding_follows_config_set(both, k, hash_limits):
    hash_limits(3, 5)
    same_all(both, ("HSET", k("a"), "f1", "v", "f2", "v", "f3", "v"),
             ("HSET", k("b"), "f1", "v", "f2", "v", "f3", "v", "f4", "v"),
             ("HSET", k("c"), "f", "12345"), ("HSET", k("d"), "f", "123456"),
             ("HSET", k("e"), "f", "1"), ("HINCRBY", k("e"), "f", "99999"),
             ("HSET", k("g"), "f", "1"), ("HINCRBYFLOAT", k("g"), "f", "0.25"))
    assert [encoding(both, k(n)) for n in "abcdeg"] == [
        b"listpack", b"hashtable", b"listpack", b"hashtable", b"hashtable", b"listpack"]
    hash_limits(0, 64)
    same_all(both, ("HSET", k("z"), "f", "v"))
    assert encoding(both, k("z")) == b"hashtable"
    # Raising the limits does not convert existing hashtables back.
    hash_limits(1000, 1000)
    same_all(both, ("HSET", k("b"), "f5", "v"))
    assert encoding(both, k("b")) == b"hashtable"


def test_debug_and_copy_keep_hashes_independent(both, k):
    same_all(both, ("HSET", k(), "a", "1", "b", "2"), ("COPY", k(), k("copy")),
             ("HSET", k(), "a", "changed"), ("HDEL", k(), "b"))
    assert same_all(both, ("HGETALL", k()), ("HGETALL", k("copy"))) == [
        [b"a", b"changed"], [b"a", b"1", b"b", b"2"]]


# --- HRANDFIELD -----------------------------------------------------------------------------


def test_hrandfield_deterministic_cases(both, k):
    same_all(both, ("HSET", k(), "a", "1", "b", "2", "c", "3"), ("HSET", k("one"), "x", "y"))
    assert same_all(
        both,
        ("HRANDFIELD", k("missing")),
        ("HRANDFIELD", k("missing"), "3"),
        ("HRANDFIELD", k("missing"), "-3", "WITHVALUES"),
        ("HRANDFIELD", k(), "0"),
        ("HRANDFIELD", k(), "0", "WITHVALUES"),
        ("HRANDFIELD", k(), "3"),  # the whole hash, in order
        ("HRANDFIELD", k(), "10", "withvalues"),
        ("HRANDFIELD", k("one")),
        ("HRANDFIELD", k("one"), "-3", "WITHVALUES"),
        ("HRANDFIELD", k("one"), "1", "WITHVALUES"),
    ) == [None, [], [], [], [], [b"a", b"b", b"c"], [b"a", b"1", b"b", b"2", b"c", b"3"], b"x",
          [b"x", b"y"] * 3, [b"x", b"y"]]
    for cmd in [("HRANDFIELD", k(), "x"), ("HRANDFIELD", k(), "1.5"),
                ("HRANDFIELD", k(), "1", "WITHVALUES", "x"), ("HRANDFIELD", k(), "1", "x"),
                ("HRANDFIELD", k(), str(-(2**63))), ("HRANDFIELD", k(), str(2**62), "WITHVALUES"),
                ("HRANDFIELD", k(), str(-(2**62) - 1), "WITHVALUES"),
                ("HRANDFIELD", k(), str(2**63))]:
        assert_same_error(both, *cmd)


@pytest.mark.parametrize("size", [5, 200])
def test_hrandfield_properties(tandem, size, k):
    args = []
    for i in range(size):
        args += [f"f{i}", f"v{i}"]
    run_command(tandem, "HSET", k(), *args)
    fields = {f"f{i}".encode() for i in range(size)}
    # No count: one field.
    for _ in range(20):
        assert run_command(tandem, "HRANDFIELD", k()) in fields
    # Positive count: distinct fields, min(count, size) of them.
    for count in [1, 2, size - 1, size, size + 5, size // 4 + 1]:
        got = run_command(tandem, "HRANDFIELD", k(), str(count))
        assert len(got) == min(count, size)
        assert len(set(got)) == len(got) and set(got) <= fields
        flat = run_command(tandem, "HRANDFIELD", k(), str(count), "WITHVALUES")
        assert len(flat) == 2 * min(count, size)
        assert all(v == b"v" + f[1:] for f, v in zip(flat[::2], flat[1::2]))
        assert len(set(flat[::2])) == len(flat) // 2
    # Negative count: exactly |count| draws, repeats allowed, every draw a member.
    got = run_command(tandem, "HRANDFIELD", k(), str(-3 * size))
    assert len(got) == 3 * size and set(got) <= fields
    assert len(set(got)) > 1
    flat = run_command(tandem, "HRANDFIELD", k(), "-7", "WITHVALUES")
    assert len(flat) == 14
    assert all(v == b"v" + f[1:] for f, v in zip(flat[::2], flat[1::2]))
    # Over many calls every field turns up.
    seen = set()
    for _ in range(50):
        seen.update(run_command(tandem, "HRANDFIELD", k(), str(-size)))
    assert seen == fields


# --- HSCAN ----------------------------------------------------------------------------------


def test_hscan_listpack_returns_everything_at_once(both, k):
    same_all(both, ("HSET", k(), "a1", "1", "b2", "2", "a3", "x", "c", "4"))
    assert same_all(
        both,
        ("HSCAN", k(), "0"),
        ("HSCAN", k(), "123", "COUNT", "1"),
        ("HSCAN", k(), "0", "MATCH", "a*"),
        ("HSCAN", k(), "0", "match", "*", "count", "2"),
        ("HSCAN", k(), "0", "MATCH", "nothing"),
        ("HSCAN", k("missing"), "0"),
        ("HSCAN", k("missing"), "0", "COUNT", "0"),  # options are read after the key
        ("HSCAN", k(), ""),
        ("HSCAN", k(), "+0"),
        ("HSCAN", k(), "-1"),
    )[:3] == [[b"0", [b"a1", b"1", b"b2", b"2", b"a3", b"x", b"c", b"4"]]] * 2 + [
        [b"0", [b"a1", b"1", b"a3", b"x"]]]
    for cmd in [("HSCAN", k(), "x"), ("HSCAN", k(), " 1"), ("HSCAN", k(), "1 "),
                ("HSCAN", k(), str(2**64)), ("HSCAN", k(), "0", "COUNT", "0"),
                ("HSCAN", k(), "0", "COUNT", "-1"), ("HSCAN", k(), "0", "COUNT", "x"),
                ("HSCAN", k(), "0", "COUNT"), ("HSCAN", k(), "0", "MATCH"),
                ("HSCAN", k(), "0", "TYPE", "hash"), ("HSCAN", k(), "0", "NOVALUES"),
                ("HSCAN", k("missing"), "x")]:
        assert_same_error(both, *cmd)


def test_hscan_hashtable_full_iteration(tandem, k):
    args = []
    for i in range(1000):
        args += [f"key:{i}", f"val:{i}"]
    run_command(tandem, "HSET", k(), *args)
    assert run_command(tandem, "OBJECT", "ENCODING", k()) == b"hashtable"
    for count, pattern in [(10, None), (1, None), (100, None), (10, "key:1*")]:
        cursor, seen, calls = b"0", [], 0
        while True:
            extra = ["COUNT", str(count)] + (["MATCH", pattern] if pattern else [])
            cursor, items = run_command(tandem, "HSCAN", k(), cursor, *extra)
            calls += 1
            assert len(items) % 2 == 0
            for f, v in zip(items[::2], items[1::2]):
                assert v == b"val:" + f[4:]
            seen += items[::2]
            if cursor == b"0":
                break
        expected = {f"key:{i}".encode() for i in range(1000)
                    if pattern is None or f"key:{i}".startswith("key:1")}
        assert len(seen) == len(set(seen)) and set(seen) == expected
        if count == 100:
            assert calls < 30


# --- RESP3 and statistics -----------------------------------------------------------------------


def test_resp3_replies_match_redis_bytes(assert_same_raw, both, k):
    same_all(both, ("HSET", k(), "a", "1", "b", "two"), ("HSET", k("one"), "x", "y"))
    payload = (encode_command("HELLO", "3")
               + encode_command("HGETALL", k())
               + encode_command("HGETALL", k("missing"))
               + encode_command("HKEYS", k("missing"))
               + encode_command("HGET", k(), "a")
               + encode_command("HGET", k(), "nosuch")
               + encode_command("HMGET", k(), "a", "nosuch")
               + encode_command("HRANDFIELD", k("missing"))
               + encode_command("HRANDFIELD", k("missing"), "2", "WITHVALUES")
               + encode_command("HRANDFIELD", k(), "5", "WITHVALUES")
               + encode_command("HRANDFIELD", k("one"), "-2", "WITHVALUES")
               + encode_command("HRANDFIELD", k("one"), "-2")
               + encode_command("HSCAN", k(), "0")
               + encode_command("HSCAN", k("missing"), "0")
               + encode_command("HINCRBYFLOAT", k(), "f", "1.5")
               + encode_command("HSTRLEN", k(), "b"))
    assert_same_raw(payload, skip=1)


def keyspace_stats(client):
    info = run_command(client, "INFO", "stats").decode()
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(fields["keyspace_hits"]), int(fields["keyspace_misses"])


def test_read_commands_count_keyspace_hits_and_misses(both, k):
    same_all(both, ("HSET", k(), "a", "1"))
    before = [keyspace_stats(c) for c in both]
    m = k("missing")
    same_all(
        both,
        ("HGET", k(), "a"), ("HGET", m, "a"), ("HMGET", k(), "a"), ("HMGET", m, "a"),
        ("HLEN", k()), ("HLEN", m), ("HEXISTS", k(), "a"), ("HSTRLEN", m, "a"),
        ("HKEYS", k()), ("HVALS", m), ("HGETALL", k()), ("HRANDFIELD", k()),
        ("HRANDFIELD", m, "2"), ("HSCAN", k(), "0"), ("HSCAN", m, "0"),
        # Write lookups count nothing.
        ("HSET", k(), "b", "2"), ("HSETNX", m, "a", "1"), ("HDEL", k("none"), "a"),
        ("HINCRBY", k(), "n", "1"), ("HINCRBYFLOAT", k(), "n", "1"),
    )
    after = [keyspace_stats(c) for c in both]
    deltas = [(h1 - h0, m1 - m0) for (h0, m0), (h1, m1) in zip(before, after)]
    assert deltas[0] == deltas[1], f"tandem {deltas[0]}, redis {deltas[1]} (hits, misses)"


@pytest.mark.parametrize("name", ["hset", "hsetnx", "hget", "hmget", "hmset", "hdel", "hlen",
                                  "hexists", "hkeys", "hvals", "hgetall", "hincrby",
                                  "hincrbyfloat", "hstrlen", "hrandfield", "hscan"])
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()
