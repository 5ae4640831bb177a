"""Set commands against the real redis-server 7.0: SADD, SREM, SISMEMBER, SMISMEMBER, SCARD,
SMEMBERS, SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF,
SDIFFSTORE and SSCAN.

Deterministic replies and error texts are compared with Redis through assert_same (unordered
for set replies, whose order is the hash table's); RESP3 set replies are compared byte for byte
on intsets, whose order is numeric on both servers. OBJECT ENCODING is checked at the
set-max-intset-entries threshold. SPOP and SRANDMEMBER are random, so their properties are
checked instead: counts, membership, distinctness and removal.
"""

import pytest

from conftest import assert_same, assert_same_error, encode_command, run_command, same_all


def encoding(both, key):
    return assert_same(both, "OBJECT", "ENCODING", key)


def members(client, key):
    return set(run_command(client, "SMEMBERS", key))


# --- SADD / SREM / SISMEMBER / SMISMEMBER / SCARD / SMEMBERS ----------------------------------


def test_sadd_srem_and_membership(both):
    assert assert_same(both, "SADD", "s", "a", "b", "a", "c") == 3
    assert assert_same(both, "SADD", "s", "a", "d") == 1
    assert_same(both, "SCARD", "s")
    assert_same(both, "SMEMBERS", "s", unordered=True)
    same_all(both, ("SISMEMBER", "s", "a"), ("SISMEMBER", "s", "zz"), ("SISMEMBER", "nokey", "a"),
             ("SMISMEMBER", "s", "a", "zz", "d", "a"), ("SMISMEMBER", "nokey", "a", "b"),
             ("SCARD", "nokey"), ("SMEMBERS", "nokey"))
    assert assert_same(both, "SREM", "s", "a", "zz", "a") == 1
    assert assert_same(both, "SREM", "nokey", "a") == 0
    assert_same(both, "SMEMBERS", "s", unordered=True)
    # Removing the last members deletes the key.
    assert_same(both, "SREM", "s", "b", "c", "d")
    assert assert_same(both, "EXISTS", "s") == 0


def test_binary_and_integer_like_members(both):
    values = [b"", b"a\x00b", b"\r\n", b"-0", b"007", b"+1", b" 1", b"1.0", b"9223372036854775807",
              b"-9223372036854775808", b"9223372036854775808", b"x" * 1000]
    assert_same(both, "SADD", "s", *values)
    assert_same(both, "SMEMBERS", "s", unordered=True)
    for v in values + [b"1", b"0", b"7"]:
        assert_same(both, "SISMEMBER", "s", v)
    assert_same(both, "SADD", "ints", "1", "-0", "01")
    assert_same(both, "OBJECT", "ENCODING", "ints")
    assert_same(both, "SMEMBERS", "ints", unordered=True)


def test_errors_arity_and_wrongtype(both):
    assert_same(both, "SET", "str", "x")
    assert_same(both, "SADD", "set", "1")
    for cmd in [("SADD", "str", "a"), ("SREM", "str", "a"), ("SISMEMBER", "str", "a"),
                ("SMISMEMBER", "str", "a"), ("SCARD", "str"), ("SMEMBERS", "str"),
                ("SPOP", "str"), ("SPOP", "str", "2"), ("SRANDMEMBER", "str"),
                ("SRANDMEMBER", "str", "2"), ("SMOVE", "str", "set", "a"),
                ("SMOVE", "set", "str", "1"), ("SINTER", "set", "str"), ("SINTER", "nokey", "str"),
                ("SINTERCARD", "2", "set", "str"), ("SUNION", "set", "str"),
                ("SDIFF", "set", "str"), ("SINTERSTORE", "d", "set", "str"),
                ("SUNIONSTORE", "d", "str"), ("SDIFFSTORE", "d", "set", "str"),
                ("SSCAN", "str", "0"),
                ("SADD", "s"), ("SADD",), ("SREM", "s"), ("SISMEMBER", "s"),
                ("SISMEMBER", "s", "a", "b"), ("SMISMEMBER", "s"), ("SCARD",), ("SCARD", "s", "x"),
                ("SMEMBERS",), ("SPOP",), ("SRANDMEMBER",), ("SMOVE", "a", "b"), ("SINTER",),
                ("SINTERCARD", "1"), ("SUNION",), ("SDIFF",), ("SINTERSTORE", "d"),
                ("SUNIONSTORE", "d"), ("SDIFFSTORE", "d"), ("SSCAN", "s")]:
        assert_same_error(both, *cmd)
    # The failed SMOVE changed nothing.
    assert_same(both, "SMEMBERS", "set")
    assert_same(both, "GET", "str")


# --- encodings --------------------------------------------------------------------------------


def test_intset_to_hashtable_at_the_entry_limit(both):
    assert_same(both, "CONFIG", "SET", "set-max-intset-entries", "512")
    try:
        assert_same(both, "SADD", "s", *[str(i) for i in range(512)])
        assert encoding(both, "s") == b"intset"
        assert_same(both, "SADD", "s", "511")
        assert encoding(both, "s") == b"intset"
        assert_same(both, "SADD", "s", "512")
        assert encoding(both, "s") == b"hashtable"
        # Never converted back.
        assert_same(both, "SREM", "s", *[str(i) for i in range(500)])
        assert encoding(both, "s") == b"hashtable"

        assert_same(both, "CONFIG", "SET", "set-max-intset-entries", "3")
        assert_same(both, "SADD", "t", "1", "2", "3")
        assert encoding(both, "t") == b"intset"
        assert_same(both, "SADD", "t", "4")
        assert encoding(both, "t") == b"hashtable"
        assert_same(both, "CONFIG", "SET", "set-max-intset-entries", "0")
        assert_same(both, "SADD", "u", "1")
        assert encoding(both, "u") == b"hashtable"
    finally:
        assert_same(both, "CONFIG", "SET", "set-max-intset-entries", "512")


def test_non_integer_members_make_a_hashtable(both):
    assert_same(both, "SADD", "a", "1", "2")
    assert encoding(both, "a") == b"intset"
    assert_same(both, "SADD", "a", "x")
    assert encoding(both, "a") == b"hashtable"
    assert_same(both, "SREM", "a", "x")
    assert encoding(both, "a") == b"hashtable"
    for first in ["x", "01", "1.5", "9223372036854775808", "-0", ""]:
        assert_same(both, "DEL", "b")
        assert_same(both, "SADD", "b", first)
        assert encoding(both, "b") == b"hashtable", first
    assert_same(both, "SADD", "c", "-9223372036854775808", "9223372036854775807")
    assert encoding(both, "c") == b"intset"
    assert_same(both, "SMEMBERS", "c")


def test_store_results_take_redis_encodings(both):
    assert_same(both, "CONFIG", "SET", "set-max-intset-entries", "10")
    try:
        assert_same(both, "SADD", "ints", *[str(i) for i in range(8)])
        assert_same(both, "SADD", "more", *[str(i) for i in range(5, 15)])
        assert_same(both, "SADD", "words", "a", "b", "3")
        for cmd in [("SUNIONSTORE", "d", "ints", "more"), ("SUNIONSTORE", "d", "ints"),
                    ("SINTERSTORE", "d", "ints", "more"), ("SINTERSTORE", "d", "words", "ints"),
                    ("SDIFFSTORE", "d", "more", "ints"), ("SDIFFSTORE", "d", "words", "ints"),
                    ("SUNIONSTORE", "d", "words", "ints")]:
            assert_same(both, *cmd)
            assert_same(both, "SMEMBERS", "d", unordered=True)
            assert_same(both, "OBJECT", "ENCODING", "d")
        # SDIFF's second algorithm adds the whole first set before removing: its result can be a
        # hashtable although it ends up small.
        assert_same(both, "SADD", "big", *[str(i) for i in range(12)])
        assert_same(both, "SADD", "small1", "0", "1", "2", "3")
        assert_same(both, "SADD", "small2", "0", "1", "2", "3")
        assert_same(both, "SDIFFSTORE", "d", "big", "small1", "small2")
        assert encoding(both, "d") == run_command(both[1], "OBJECT", "ENCODING", "d")
        assert_same(both, "SMEMBERS", "d", unordered=True)
    finally:
        assert_same(both, "CONFIG", "SET", "set-max-intset-entries", "512")


# --- RESP3 ------------------------------------------------------------------------------------


def test_resp3_set_replies(both, assert_same_raw):
    assert_same(both, "SADD", "a", "3", "1", "2")
    assert_same(both, "SADD", "b", "2", "3", "4")
    payload = b"HELLO 3\r\n" + b"".join(encode_command(*c) for c in [
        ("SMEMBERS", "a"), ("SMEMBERS", "nokey"), ("SINTER", "a", "b"), ("SINTER", "a", "nokey"),
        ("SUNION", "a", "b"), ("SDIFF", "a", "b"), ("SINTERCARD", "2", "a", "b"),
        ("SMISMEMBER", "a", "1", "9"), ("SISMEMBER", "a", "1"), ("SPOP", "nokey"),
        ("SPOP", "nokey", "3"), ("SPOP", "a", "0"), ("SRANDMEMBER", "nokey"),
        ("SRANDMEMBER", "nokey", "3"), ("SRANDMEMBER", "a", "0"), ("SRANDMEMBER", "a", "10"),
        ("SSCAN", "a", "0"), ("SPOP", "b", "10"), ("EXISTS", "b")])
    reply = assert_same_raw(payload, skip=1)
    assert b"~3\r\n" in reply


# --- SMOVE ------------------------------------------------------------------------------------


def test_smove(both):
    assert_same(both, "SADD", "src", "1", "2", "a")
    assert_same(both, "SADD", "dst", "x")
    same_all(both, ("SMOVE", "src", "dst", "1"), ("SMOVE", "src", "dst", "nope"),
             ("SMOVE", "nokey", "dst", "1"), ("SMOVE", "src", "src", "2"),
             ("SMOVE", "src", "src", "nope"))
    assert_same(both, "SMEMBERS", "dst", unordered=True)
    # Moving into a missing key creates it with the member's encoding.
    assert_same(both, "SMOVE", "src", "new", "2")
    assert encoding(both, "new") == b"intset"
    assert_same(both, "SMOVE", "src", "new2", "a")
    assert encoding(both, "new2") == b"hashtable"
    # The source was emptied and is gone.
    assert assert_same(both, "EXISTS", "src") == 0
    # Moving an int into an intset keeps it one; a word converts it.
    assert_same(both, "SADD", "i", "5")
    assert_same(both, "SMOVE", "new2", "i", "a")
    assert encoding(both, "i") == b"hashtable"
    # Wrong type destination, even when the member is absent.
    assert_same(both, "SET", "str", "v")
    assert_same(both, "SADD", "src", "1")
    assert_same_error(both, "SMOVE", "src", "str", "zz")
    assert_same(both, "SMOVE", "nokey", "str", "zz")


# --- set algebra ------------------------------------------------------------------------------


def test_sinter_sunion_sdiff(both):
    assert_same(both, "SADD", "a", "1", "2", "3", "x", "y")
    assert_same(both, "SADD", "b", "2", "3", "4", "y", "z")
    assert_same(both, "SADD", "c", "3", "y", "q")
    assert_same(both, "SADD", "i", "1", "2", "3")
    for keys in [("a",), ("a", "b"), ("a", "b", "c"), ("b", "a"), ("a", "nokey"), ("nokey", "a"),
                 ("a", "a"), ("i", "a"), ("a", "i"), ("nokey",), ("a", "b", "nokey", "c")]:
        for cmd in ["SINTER", "SUNION", "SDIFF"]:
            assert_same(both, cmd, *keys, unordered=True)
        assert_same(both, "SINTERCARD", len(keys), *keys)
    # Intset results come back in numeric order on both servers.
    assert_same(both, "SADD", "j", "10", "-5", "7")
    assert_same(both, "SUNION", "i", "j")
    assert_same(both, "SDIFF", "j", "i")


def test_store_variants_overwrite_and_delete_the_destination(both):
    assert_same(both, "SADD", "a", "1", "2", "x")
    assert_same(both, "SADD", "b", "2", "x", "y")
    for cmd in ["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]:
        # The destination is overwritten whatever its type, and its TTL goes with it.
        assert_same(both, "SET", "d", "string")
        assert_same(both, "EXPIRE", "d", "100")
        assert_same(both, cmd, "d", "a", "b")
        same_all(both, ("TYPE", "d"), ("TTL", "d"))
        assert_same(both, "SMEMBERS", "d", unordered=True)
        # The destination may be one of the sources.
        assert_same(both, cmd, "a2", "a")
        assert_same(both, cmd, "a2", "a2", "b")
        assert_same(both, "SMEMBERS", "a2", unordered=True)
        # An empty result deletes the destination.
        assert_same(both, "SET", "d", "string")
        assert assert_same(both, cmd, "d", "nokey", "a" if cmd == "SUNIONSTORE" else "b") >= 0
        assert_same(both, "SET", "e", "string")
        assert assert_same(both, cmd, "e", "nokey", "nokey2") == 0
        assert assert_same(both, "EXISTS", "e") == 0
    assert_same(both, "SINTERSTORE", "d", "a", "nokey")
    assert assert_same(both, "EXISTS", "d") == 0
    assert_same(both, "SDIFFSTORE", "d", "a", "a")
    assert assert_same(both, "EXISTS", "d") == 0


def test_sintercard_options_and_errors(both):
    assert_same(both, "SADD", "a", *[str(i) for i in range(20)])
    assert_same(both, "SADD", "b", *[str(i) for i in range(10, 40)])
    same_all(both, ("SINTERCARD", "2", "a", "b"), ("SINTERCARD", "2", "a", "b", "LIMIT", "0"),
             ("SINTERCARD", "2", "a", "b", "LIMIT", "3"), ("SINTERCARD", "2", "a", "b", "limit",
                                                          "100"),
             ("SINTERCARD", "1", "a", "LIMIT", "5"), ("SINTERCARD", "1", "a", "b"),
             ("SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "2"))
    for bad in [("SINTERCARD", "0", "a"), ("SINTERCARD", "-1", "a"), ("SINTERCARD", "x", "a"),
                ("SINTERCARD", "3", "a", "b"), ("SINTERCARD", "2", "a", "b", "LIMIT"),
                ("SINTERCARD", "2", "a", "b", "LIMIT", "-1"),
                ("SINTERCARD", "2", "a", "b", "LIMIT", "x"), ("SINTERCARD", "2", "a", "b", "FOO"),
                ("SINTERCARD", "1", "a", "b", "c"),
                ("SINTERCARD", "99999999999999999999", "a")]:
        assert_same_error(both, *bad)


# --- SPOP / SRANDMEMBER -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["intset", "hashtable"])
def test_spop_properties(both, kind):
    tandem, _ = both
    universe = [str(i) for i in range(100)] if kind == "intset" else [f"m{i}" for i in range(100)]
    for count in [1, 5, 30, 99, 100, 150]:
        run_command(tandem, "DEL", "s")
        run_command(tandem, "SADD", "s", *universe)
        popped = run_command(tandem, "SPOP", "s", count)
        assert len(popped) == min(count, 100)
        assert len(set(popped)) == len(popped)
        assert {p.decode() for p in popped} <= set(universe)
        left = {m.decode() for m in members(tandem, "s")}
        assert left.isdisjoint({p.decode() for p in popped})
        assert len(left) + len(popped) == 100
        if left:
            assert run_command(tandem, "OBJECT", "ENCODING", "s") == kind.encode()
        else:
            assert run_command(tandem, "EXISTS", "s") == 0
    run_command(tandem, "SADD", "t", *universe[:3])
    seen = set()
    for _ in range(3):
        seen.add(run_command(tandem, "SPOP", "t"))
    assert {s.decode() for s in seen} == set(universe[:3])
    assert run_command(tandem, "EXISTS", "t") == 0
    assert run_command(tandem, "SPOP", "t") is None


def test_spop_errors(both):
    assert_same(both, "SADD", "s", "1", "2")
    for bad in [("SPOP", "s", "-1"), ("SPOP", "s", "x"), ("SPOP", "s", "1", "2"),
                ("SPOP", "nokey", "-1"), ("SPOP", "s", "1.5")]:
        assert_same_error(both, *bad)
    same_all(both, ("SPOP", "nokey"), ("SPOP", "nokey", "0"), ("SPOP", "nokey", "5"),
             ("SPOP", "s", "0"), ("SCARD", "s"))
    assert assert_same(both, "SPOP", "s", "2") == [b"1", b"2"]
    assert assert_same(both, "EXISTS", "s") == 0


@pytest.mark.parametrize("kind", ["intset", "hashtable"])
def test_srandmember_properties(both, kind):
    tandem, _ = both
    universe = [str(i) for i in range(50)] if kind == "intset" else [f"m{i}" for i in range(50)]
    run_command(tandem, "SADD", "s", *universe)
    for count in [1, 5, 20, 49, 50, 51, 1000, 2**62]:
        got = run_command(tandem, "SRANDMEMBER", "s", count)
        assert len(got) == min(count, 50)
        assert len(set(got)) == len(got), "a positive count gives distinct members"
        assert {g.decode() for g in got} <= set(universe)
    for count in [1, 5, 200]:
        got = run_command(tandem, "SRANDMEMBER", "s", -count)
        assert len(got) == count
        assert {g.decode() for g in got} <= set(universe)
    # Repeats do happen with a negative count much larger than the set.
    assert len(set(run_command(tandem, "SRANDMEMBER", "s", -200))) < 200
    # Nothing was removed, and every member shows up eventually.
    assert run_command(tandem, "SCARD", "s") == 50
    seen = set()
    for _ in range(50):
        seen.update(run_command(tandem, "SRANDMEMBER", "s", -20))
    assert {s.decode() for s in seen} == set(universe)
    assert run_command(tandem, "SRANDMEMBER", "s").decode() in universe


def test_srandmember_edges_and_errors(both):
    assert_same(both, "SADD", "s", "1", "2", "3")
    same_all(both, ("SRANDMEMBER", "nokey"), ("SRANDMEMBER", "nokey", "5"),
             ("SRANDMEMBER", "nokey", "-5"), ("SRANDMEMBER", "s", "0"),
             ("SRANDMEMBER", "s", "3"), ("SRANDMEMBER", "s", "100"),
             ("SRANDMEMBER", "s", "9223372036854775807"))
    for bad in [("SRANDMEMBER", "s", "x"), ("SRANDMEMBER", "s", "-9223372036854775808"),
                ("SRANDMEMBER", "s", "1", "2"), ("SRANDMEMBER", "nokey", "x"),
                ("SRANDMEMBER", "s", "9223372036854775808")]:
        assert_same_error(both, *bad)


# --- SSCAN ------------------------------------------------------------------------------------


def test_sscan_intset_returns_everything_at_once(both):
    assert_same(both, "SADD", "s", *[str(i) for i in range(100)])
    assert_same(both, "SSCAN", "s", "0")
    assert_same(both, "SSCAN", "s", "0", "COUNT", "5")
    assert_same(both, "SSCAN", "s", "0", "MATCH", "1*")
    assert_same(both, "SSCAN", "s", "123", "MATCH", "*", "COUNT", "1")
    assert_same(both, "SSCAN", "nokey", "0")
    assert_same(both, "SSCAN", "nokey", "0", "BADOPT")


def test_sscan_hashtable_iterates_everything(both):
    tandem, _ = both
    items = {f"m{i}".encode() for i in range(500)}
    assert_same(both, "SADD", "s", *items)
    for extra in [(), ("COUNT", "3"), ("COUNT", "1000")]:
        seen, cursor = [], b"0"
        while True:
            cursor, batch = run_command(tandem, "SSCAN", "s", cursor, *extra)
            seen.extend(batch)
            if cursor == b"0":
                break
        assert sorted(seen) == sorted(items)
    cursor, batch = run_command(tandem, "SSCAN", "s", "0", "MATCH", "m1*", "COUNT", "1000")
    assert cursor == b"0" and sorted(batch) == sorted(i for i in items if i.startswith(b"m1"))
    assert_same(both, "SSCAN", "s", "0", "MATCH", "nothing*", "COUNT", "1000")


def test_sscan_errors(both):
    assert_same(both, "SADD", "s", "a", "b")
    # strtoul's grammar: "-1" is a (huge) valid cursor; where it lands depends on the hash.
    assert run_command(both[0], "SSCAN", "s", "-1")[0] == b"0"
    for bad in [("SSCAN", "s", "x"), ("SSCAN", "s", " 1"),
                ("SSCAN", "s", "18446744073709551616"), ("SSCAN", "s", "0", "COUNT", "0"),
                ("SSCAN", "s", "0", "COUNT", "x"), ("SSCAN", "s", "0", "MATCH"),
                ("SSCAN", "s", "0", "TYPE", "set"), ("SSCAN", "s", "0", "FOO", "bar"),
                ("SSCAN", "nokey", "x")]:
        assert_same_error(both, *bad)


# --- COMMAND INFO -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sadd", "srem", "sismember", "smismember", "scard", "smembers",
                                  "spop", "srandmember", "smove", "sinter", "sunion", "sdiff",
                                  "sinterstore", "sunionstore", "sdiffstore", "sscan"])
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()


def test_sintercard_command_info_head(both):
    ours = run_command(both[0], "COMMAND", "INFO", "sintercard")[0]
    theirs = run_command(both[1], "COMMAND", "INFO", "sintercard")[0]
    assert ours[:7] == theirs[:7]


# --- copies and statistics --------------------------------------------------------------------


def test_writes_to_a_copy_leave_the_original_alone(both):
    for members_ in (["1", "2", "3"], ["a", "b", "c"]):
        assert_same(both, "DEL", "s", "t", "u")
        assert_same(both, "SADD", "s", *members_)
        assert_same(both, "COPY", "s", "t")
        assert_same(both, "SADD", "t", "x")
        assert_same(both, "SREM", "t", members_[0])
        assert_same(both, "SMOVE", "t", "s", members_[1])
        assert_same(both, "COPY", "s", "u")
        assert_same(both, "SPOP", "u", "10", unordered=True)
        assert assert_same(both, "EXISTS", "u") == 0
        for key in ["s", "t"]:
            assert_same(both, "SMEMBERS", key, unordered=True)
            assert_same(both, "OBJECT", "ENCODING", key)


def info_field(client, name):
    info = run_command(client, "INFO", "stats").decode()
    for line in info.splitlines():
        if line.startswith(name + ":"):
            return int(line.split(":")[1])
    raise AssertionError(f"{name} not in INFO")


def test_reads_count_keyspace_hits_and_misses_like_redis(both):
    assert_same(both, "SADD", "a", "1", "2")
    assert_same(both, "SADD", "b", "2", "3")
    assert_same(both, "SET", "w_1", "5")
    assert_same(both, "CONFIG", "RESETSTAT")
    for cmd in [("SMEMBERS", "a"), ("SISMEMBER", "nokey", "1"), ("SINTER", "a", "nokey", "b"),
                ("SUNIONSTORE", "d", "a", "b", "nokey"), ("SINTERCARD", "2", "a", "b"),
                ("SCARD", "a"), ("SRANDMEMBER", "nokey"), ("SADD", "a", "9"), ("SREM", "b", "3"),
                ("SMOVE", "a", "c", "9"), ("SSCAN", "a", "0"), ("SORT", "a", "BY", "w_*"),
                ("SORT", "a", "GET", "w_*", "GET", "#")]:
        assert_same(both, *cmd, unordered=True)
    for field in ["keyspace_hits", "keyspace_misses"]:
        assert info_field(both[0], field) == info_field(both[1], field), field

