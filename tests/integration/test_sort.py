"""SORT and SORT_RO against the real redis-server 7.0, on sets, lists and sorted sets: numeric and
ALPHA order, ASC/DESC, LIMIT windows, BY patterns (string keys, hash fields "->", nosort), GET
patterns ("#", strings, hash fields, missing keys), STORE (a list; an empty result deletes the
destination) and the error texts.

Every reply is compared with Redis through assert_same. Results whose order Redis leaves to its
hash table (a set under BY nosort without STORE) are compared unordered; tests avoid ties that
only the hash table's order would break.
"""

import pytest

from conftest import assert_same, assert_same_error, run_command, same_all


def sort_variants(both, key, extra=()):
    """Runs a battery of SORT / SORT_RO option combinations on `key` on both servers."""
    for opts in [(), ("DESC",), ("ALPHA",), ("ALPHA", "DESC"), ("LIMIT", "0", "3"),
                 ("LIMIT", "2", "3"), ("LIMIT", "-5", "2"), ("LIMIT", "1", "-1"),
                 ("LIMIT", "100", "5"), ("LIMIT", "0", "0"), ("DESC", "LIMIT", "1", "2"),
                 ("ALPHA", "LIMIT", "3", "100"), ("asc", "alpha", "desc")]:
        for cmd in ["SORT", "SORT_RO"]:
            assert_same(both, cmd, key, *opts, *extra)


# --- sets -------------------------------------------------------------------------------------


def test_sort_sets_numeric_and_alpha(both):
    assert_same(both, "SADD", "ints", "5", "-3", "10", "0", "7", "100", "-20")
    sort_variants(both, "ints")
    assert_same(both, "SADD", "nums", "1.5", "-2e3", "0x10", " 7", "inf", "-inf", "3", "03")
    sort_variants(both, "nums")
    assert_same(both, "SADD", "words", "banana", "apple", "Cherry", "date", "Apple", "b", "")
    for cmd in ["SORT", "SORT_RO"]:
        assert_same(both, cmd, "words", "ALPHA")
        assert_same(both, cmd, "words", "ALPHA", "DESC", "LIMIT", "1", "3")
        assert_same_error(both, cmd, "words")


def test_sort_missing_key_and_wrong_type(both):
    same_all(both, ("SORT", "nokey"), ("SORT_RO", "nokey"), ("SORT", "nokey", "LIMIT", "0", "1"),
             ("SORT", "nokey", "GET", "#"))
    assert_same(both, "SET", "str", "1")
    assert_same(both, "HSET", "h", "f", "1")
    for key in ["str", "h"]:
        assert_same_error(both, "SORT", key)
        assert_same_error(both, "SORT_RO", key)
    # Options are checked before the key.
    assert_same_error(both, "SORT", "str", "BADOPT")


def test_sort_syntax_errors(both):
    assert_same(both, "SADD", "s", "1", "2")
    for bad in [("SORT", "s", "LIMIT"), ("SORT", "s", "LIMIT", "1"), ("SORT", "s", "LIMIT", "a", "1"),
                ("SORT", "s", "LIMIT", "1", "b"), ("SORT", "s", "BY"), ("SORT", "s", "GET"),
                ("SORT", "s", "STORE"), ("SORT", "s", "FOO"), ("SORT_RO", "s", "STORE", "d"),
                ("SORT", "s", "LIMIT", "99999999999999999999", "1"), ("SORT",), ("SORT_RO",)]:
        assert_same_error(both, *bad)


def test_sort_by_and_get_string_keys(both):
    assert_same(both, "SADD", "s", "1", "2", "3", "4", "5")
    for k, w in [("1", "50"), ("2", "10"), ("3", "40"), ("4", "20")]:  # 5 has no weight: 0
        assert_same(both, "SET", f"w_{k}", w)
        assert_same(both, "SET", f"name_{k}", f"n{k}")
    for opts in [("BY", "w_*"), ("BY", "w_*", "DESC"), ("BY", "w_*", "LIMIT", "1", "2"),
                 ("BY", "w_*", "GET", "name_*"), ("BY", "w_*", "GET", "#", "GET", "name_*"),
                 ("BY", "w_*", "GET", "nofield_*"), ("GET", "name_*", "GET", "#"),
                 ("BY", "w_*", "ALPHA"), ("BY", "*_w", "DESC"), ("GET", "constant"),
                 ("BY", "w_*", "GET", "w_*", "DESC", "LIMIT", "0", "10")]:
        assert_same(both, "SORT", "s", *opts)
        assert_same(both, "SORT_RO", "s", *opts)
    # A weight that is not a number.
    assert_same(both, "SET", "w_5", "abc")
    assert_same_error(both, "SORT", "s", "BY", "w_*")
    assert_same(both, "SORT", "s", "BY", "w_*", "ALPHA")
    # BY keys of the wrong type count as missing.
    assert_same(both, "DEL", "w_5")
    assert_same(both, "SADD", "w_5", "x")
    assert_same(both, "SORT", "s", "BY", "w_*")


def test_sort_by_nosort_on_a_set(both):
    assert_same(both, "SADD", "s", "c", "a", "b")
    assert_same(both, "SORT", "s", "BY", "nosort", unordered=True)
    assert_same(both, "SORT_RO", "s", "BY", "nosort", "GET", "#", unordered=True)
    # With STORE, a set is sorted ALPHA so the stored list is deterministic.
    assert_same(both, "SORT", "s", "BY", "nosort", "STORE", "dst")
    assert_same(both, "LRANGE", "dst", "0", "-1")
    assert_same(both, "SADD", "i", "3", "1", "2")
    assert_same(both, "SORT", "i", "BY", "nosort")
    assert_same(both, "SORT", "i", "BY", "nosort", "LIMIT", "1", "1")


# --- lists ------------------------------------------------------------------------------------


def test_sort_lists(both):
    assert_same(both, "RPUSH", "l", "3", "1", "2", "10", "-5", "2", "1.5")
    sort_variants(both, "l")
    assert_same(both, "RPUSH", "w", "b", "a", "c", "a", "B")
    assert_same(both, "SORT", "w", "ALPHA")
    assert_same(both, "SORT", "w", "ALPHA", "DESC", "LIMIT", "1", "3")
    assert_same_error(both, "SORT", "w")


def test_sort_list_by_nosort_keeps_list_order(both):
    assert_same(both, "RPUSH", "l", "c", "a", "d", "b", "e")
    for opts in [(), ("DESC",), ("LIMIT", "1", "2"), ("DESC", "LIMIT", "1", "2"),
                 ("LIMIT", "3", "100"), ("LIMIT", "10", "1"), ("LIMIT", "0", "0"),
                 ("LIMIT", "-1", "2"), ("GET", "#"), ("DESC", "LIMIT", "4", "10"),
                 ("ALPHA",)]:
        for cmd in ["SORT", "SORT_RO"]:
            assert_same(both, cmd, "l", "BY", "nosort", *opts)
    assert_same(both, "SORT", "l", "BY", "nosort", "DESC", "STORE", "dst")
    assert_same(both, "LRANGE", "dst", "0", "-1")


def test_sort_store_makes_a_list(both):
    assert_same(both, "RPUSH", "l", "3", "1", "2")
    assert_same(both, "SET", "v_1", "one")
    assert_same(both, "SET", "dst", "string")
    assert_same(both, "EXPIRE", "dst", "100")
    assert assert_same(both, "SORT", "l", "STORE", "dst") == 3
    same_all(both, ("TYPE", "dst"), ("TTL", "dst"), ("LRANGE", "dst", "0", "-1"),
             ("OBJECT", "ENCODING", "dst"))
    # GET values (missing ones stored as empty strings).
    assert assert_same(both, "SORT", "l", "GET", "v_*", "GET", "#", "STORE", "dst") == 6
    assert_same(both, "LRANGE", "dst", "0", "-1")
    # The source may be the destination.
    assert_same(both, "SORT", "l", "DESC", "STORE", "l")
    assert_same(both, "LRANGE", "l", "0", "-1")
    # An empty result deletes the destination.
    assert assert_same(both, "SORT", "nokey", "STORE", "dst") == 0
    assert assert_same(both, "EXISTS", "dst") == 0
    assert_same(both, "SET", "dst", "x")
    assert assert_same(both, "SORT", "l", "LIMIT", "0", "0", "STORE", "dst") == 0
    assert assert_same(both, "EXISTS", "dst") == 0
    # A set sorted into a list.
    assert_same(both, "SADD", "s", "b", "c", "a")
    assert_same(both, "SORT", "s", "ALPHA", "STORE", "dst")
    assert_same(both, "LRANGE", "dst", "0", "-1")
    # A conversion error stores nothing.
    assert_same(both, "SORT", "s", "STORE", "dst2")
    assert assert_same(both, "EXISTS", "dst2") == 0


# --- sorted sets ------------------------------------------------------------------------------


def test_sort_sorted_sets(both):
    assert_same(both, "ZADD", "z", "3", "a", "1", "b", "2", "c", "5", "10", "4", "2")
    sort_variants(both, "z", extra=("ALPHA",))
    assert_same(both, "ZADD", "zn", "1", "30", "2", "10", "3", "20")
    sort_variants(both, "zn")
    # BY nosort keeps the score order, DESC reverses it, LIMIT windows it.
    for opts in [(), ("DESC",), ("LIMIT", "1", "2"), ("DESC", "LIMIT", "1", "2"),
                 ("LIMIT", "4", "10"), ("DESC", "LIMIT", "0", "1"), ("LIMIT", "9", "1")]:
        assert_same(both, "SORT", "z", "BY", "nosort", *opts)
    assert_same(both, "SORT", "z", "BY", "nosort", "DESC", "STORE", "dst")
    assert_same(both, "LRANGE", "dst", "0", "-1")


def test_sort_converts_a_listpack_sorted_set_to_skiplist(both):
    # Redis 7.0 converts the sorted set it sorts (sort.c's zsetConvert), even for SORT_RO.
    assert_same(both, "ZADD", "z", "1", "a", "2", "b")
    assert_same(both, "OBJECT", "ENCODING", "z")
    assert_same(both, "SORT_RO", "z", "ALPHA")
    assert_same(both, "OBJECT", "ENCODING", "z")
    assert_same(both, "ZRANGE", "z", "0", "-1", "WITHSCORES")


# --- hash fields ------------------------------------------------------------------------------


def test_sort_by_and_get_hash_fields(both):
    assert_same(both, "RPUSH", "l", "1", "2", "3", "4")
    for k, w, name in [("1", "30", "one"), ("2", "10", "two"), ("3", "20", "three")]:
        assert_same(both, "HSET", f"h_{k}", "w", w, "name", name)
    for opts in [("BY", "h_*->w"), ("BY", "h_*->w", "GET", "h_*->name"),
                 ("BY", "h_*->w", "DESC", "GET", "#", "GET", "h_*->name", "GET", "h_*->nofield"),
                 ("BY", "h_*->name", "ALPHA"), ("BY", "h_*->nofield"), ("GET", "h_*->"),
                 ("GET", "h_*"), ("BY", "h_*->w", "LIMIT", "1", "2", "GET", "h_*->w")]:
        assert_same(both, "SORT", "l", *opts)
        assert_same(both, "SORT_RO", "l", *opts)
    # A "->field" lookup on a string key, and a plain lookup on a hash, find nothing.
    assert_same(both, "SET", "s_1", "5")
    assert_same(both, "SORT", "l", "BY", "s_*->w", "GET", "s_*->w")
    assert_same(both, "SORT", "l", "BY", "h_*", "GET", "h_*")
    assert_same(both, "SORT", "l", "BY", "h_*->w", "GET", "h_*->name", "STORE", "dst")
    assert_same(both, "LRANGE", "dst", "0", "-1")
    assert_same(both, "HSET", "h_4", "w", "notanumber")
    assert_same_error(both, "SORT", "l", "BY", "h_*->w")


def test_sort_command_info(both):
    for name in ["sort", "sort_ro"]:
        ours = run_command(both[0], "COMMAND", "INFO", name)[0]
        theirs = run_command(both[1], "COMMAND", "INFO", name)[0]
        assert ours[:8] == theirs[:8]


def test_sort_numeric_edge_cases(both):
    # Equal scores fall back to comparing the elements as binary strings.
    assert_same(both, "RPUSH", "l", "9007199254740993", "9007199254740992", "1.0", "1", "01",
                "1e0", "-0", "0", "+0", "  3", "0x10", "1e308", "-1e308", "", "inf")
    sort_variants(both, "l")
    for bad in ["1e400", "nan", "1x", "abc", "3 "]:
        assert_same(both, "DEL", "b")
        assert_same(both, "RPUSH", "b", "1", bad)
        assert_same(both, "SORT", "b")
        assert_same(both, "SORT", "b", "ALPHA")
        assert_same(both, "SORT", "b", "BY", "nosort")


def test_sort_alpha_compares_like_strcoll_and_store_like_memcmp(both):
    # Replies collate C strings (up to a NUL); STORE compares binary, NUL bytes included.
    assert_same(both, "RPUSH", "l", b"a\x00b", b"a\x00a", b"a", b"\xff", b"B", b"b", b"a\x00c")
    assert_same(both, "SORT", "l", "ALPHA")
    assert_same(both, "SORT", "l", "ALPHA", "DESC")
    assert_same(both, "SORT", "l", "ALPHA", "STORE", "dst")
    assert_same(both, "LRANGE", "dst", "0", "-1")
