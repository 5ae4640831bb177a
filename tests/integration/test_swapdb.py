"""SWAPDB against the real redis-server 7.0: argument errors, contents and TTLs trading places
while clients keep their database, WATCH invalidated on both sides as Redis's
touchAllWatchedKeysInDb decides (expired keys included), and clients blocked on a key served when
the swap brings it in.
"""

import time

import pytest

from conftest import assert_same, run_command, settle

ABORTED = b"*-1\r\n"
RAN = b"*1\r\n+PONG\r\n"


@pytest.mark.parametrize("args", [
    (), ("0",), ("0", "1", "2"), ("x", "1"), ("0", "x"), ("x", "y"), ("1.5", "0"),
    ("0", "16"), ("-1", "0"), ("16", "16"), ("4294967296", "0"), ("0", "-4294967297"),
    ("0", "99999999999999999999"),
])
def test_swapdb_argument_errors(both, args):
    assert_same(both, "SWAPDB", *args)


def test_swapdb_exchanges_contents_and_ttls(both):
    for client in both:
        run_command(client, "SET", "a", "in0")
        run_command(client, "SET", "t", "ttl", "EX", "1000")
        run_command(client, "SELECT", "1")
        run_command(client, "SET", "b", "in1")
        run_command(client, "RPUSH", "l", "x", "y")
    assert_same(both, "SWAPDB", "0", "1")
    # This connection stays in db 1, which now holds db 0's old contents.
    assert_same(both, "KEYS", "*", unordered=True)
    assert_same(both, "GET", "a")
    assert_same(both, "TTL", "t")
    assert_same(both, "DBSIZE")
    assert_same(both, "SELECT", "0")
    assert_same(both, "KEYS", "*", unordered=True)
    assert_same(both, "LRANGE", "l", "0", "-1")
    assert_same(both, "SWAPDB", "0", "0")
    assert_same(both, "GET", "b")
    assert_same(both, "SWAPDB", "1", "0")
    assert_same(both, "KEYS", "*", unordered=True)
    assert_same(both, "SWAPDB", "0", "15")
    assert_same(both, "DBSIZE")
    assert_same(both, "SELECT", "15")
    assert_same(both, "KEYS", "*", unordered=True)


def test_swapdb_counts_one_change(both):
    for client in both:
        run_command(client, "CONFIG", "RESETSTAT")
        run_command(client, "SET", "k", "v")
    before = [run_command(c, "INFO", "persistence") for c in both]
    assert_same(both, "SWAPDB", "0", "1")
    after = [run_command(c, "INFO", "persistence") for c in both]

    def changes(info):
        line = next(x for x in info.split(b"\r\n") if x.startswith(b"rdb_changes_since_last_save"))
        return int(line.split(b":")[1])

    assert [changes(a) - changes(b) for a, b in zip(after, before)] == [1, 1]


def watch_swap_exec(connect, setup, watched, swap):
    """`setup` runs on one client (in db 0 until it SELECTs), another WATCHes `watched` in db 0,
    the first runs `swap`, then the watcher runs MULTI / PING / EXEC; returns every reply."""
    c = connect()
    other = connect()
    got = [other.call(*command) for command in setup]
    got.append(c.call("WATCH", *watched))
    got.append(other.call(*swap))
    got += [c.call("MULTI"), c.call("PING"), c.call("EXEC")]
    return got


# (setup, swap, whether EXEC must fail) for a client watching "k" in db 0.
SWAP_SCENARIOS = {
    "key-only-in-watched-db": ([("SET", "k", "v")], ("SWAPDB", "0", "1"), True),
    "key-only-in-other-db": ([("SELECT", "1"), ("SET", "k", "v")], ("SWAPDB", "0", "1"), True),
    "key-in-neither": ([("SET", "other", "v")], ("SWAPDB", "0", "1"), False),
    "key-in-both": ([("SET", "k", "v"), ("SELECT", "1"), ("SET", "k", "v")],
                    ("SWAPDB", "0", "1"), True),
    "swap-of-unrelated-dbs": ([("SET", "k", "v")], ("SWAPDB", "2", "3"), False),
    "swap-with-itself": ([("SET", "k", "v")], ("SWAPDB", "0", "0"), False),
    "reversed-order": ([("SET", "k", "v")], ("SWAPDB", "1", "0"), True),
}


@pytest.mark.parametrize("name", SWAP_SCENARIOS)
def test_swapdb_invalidates_watchers_of_either_side(on_both, name):
    setup, swap, aborts = SWAP_SCENARIOS[name]
    transcript = on_both(lambda connect: watch_swap_exec(connect, setup, ["k"], swap))
    assert transcript[-1] == (ABORTED if aborts else RAN)


# Expired keys: Redis counts a swap that leaves a watched key logically missing as no change.
EXPIRED_SCENARIOS = {
    # watched while expired, swapped away for nothing: no change
    "expired-swapped-for-nothing": (
        [("DEBUG", "SET-ACTIVE-EXPIRE", "0"), ("SET", "k", "v", "PX", "1")], 0.05),
    # watched while expired, replaced by another expired key: no change
    "expired-swapped-for-expired": (
        [("DEBUG", "SET-ACTIVE-EXPIRE", "0"), ("SET", "k", "v", "PX", "1"), ("SELECT", "1"),
         ("SET", "k", "w", "PX", "1")], 0.05),
    # watched while expired, replaced by a live key: a change
    "expired-swapped-for-live": (
        [("DEBUG", "SET-ACTIVE-EXPIRE", "0"), ("SET", "k", "v", "PX", "1"), ("SELECT", "1"),
         ("SET", "k", "w")], 0.05),
    # watched while missing, replaced by an expired key: no change
    "missing-swapped-for-expired": (
        [("DEBUG", "SET-ACTIVE-EXPIRE", "0"), ("SELECT", "1"), ("SET", "k", "w", "PX", "1")],
        0.05),
}


@pytest.mark.parametrize("name", EXPIRED_SCENARIOS)
def test_swapdb_and_expired_watched_keys(on_both, name):
    setup, pause = EXPIRED_SCENARIOS[name]

    # The setup keys expire before WATCH sees them.
    def scenario_with_expiry(connect):
        c = connect()
        other = connect()
        got = [other.call(*command) for command in setup]
        time.sleep(pause)
        got.append(c.call("WATCH", "k"))
        got.append(other.call("SWAPDB", "0", "1"))
        got += [c.call("MULTI"), c.call("PING"), c.call("EXEC")]
        other.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")
        return got

    on_both(scenario_with_expiry)


def test_swapdb_serves_clients_blocked_on_a_key_it_brings_in(on_both):
    def scenario(connect):
        waiter = connect()
        other = connect()
        other.call("SELECT", "1")
        other.call("RPUSH", "q", "a", "b")
        waiter.send("BLPOP", "q", "nope", "0")
        settle()
        got = [other.call("SWAPDB", "0", "1")]
        got.append(waiter.reply())
        got.append(other.call("LRANGE", "q", "0", "-1"))  # db 1 holds db 0's old contents
        other.call("SELECT", "0")
        got.append(other.call("LRANGE", "q", "0", "-1"))
        return got

    assert on_both(scenario)[1] == b"*2\r\n$1\r\nq\r\n$1\r\na\r\n"


def test_swapdb_leaves_clients_blocked_when_the_key_has_another_type(on_both):
    def scenario(connect):
        waiter = connect()
        other = connect()
        other.call("SELECT", "1")
        other.call("SET", "q", "string")
        waiter.send("BLPOP", "q", "0")
        settle()
        got = [other.call("SWAPDB", "0", "1")]
        waiter.nothing_within(0.2)
        other.call("SELECT", "0")
        other.call("DEL", "q")
        got.append(other.call("RPUSH", "q", "x"))
        got.append(waiter.reply())
        return got

    on_both(scenario)


def test_swapdb_inside_multi(on_both):
    def scenario(connect):
        c = connect()
        got = [c.call("SET", "k", "v"), c.call("MULTI"), c.call("SWAPDB", "0", "1"),
               c.call("SWAPDB", "0", "99"), c.call("GET", "k"), c.call("EXEC")]
        return got

    on_both(scenario)
