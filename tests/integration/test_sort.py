"""SORT and SORT_RO against the real redis-server 7.0, on sets, lists and sorted sets: numeric and
ALPHA order, ASC/DESC, LIMIT windows, BY patterns (string keys, hash fields "->", nosort), GET
patterns ("#", strings, hash fields, missing keys), STORE (a list; an empty result deletes the
destination) and the error texts.

Every reply is compared with Redis through assert_same. Results whose order Redis leaves to its
hash table (a set under BY nosort without STORE) are compared unordered; tests avoid ties that
only the hash table's order would break.
"""

import pytest

from conftest import assert_same, assert_same_error, run_command


def same_all(both, *commands, unordered=False):
    for command in commands:
        assert_same(both, *command, unordered=unordered)


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
