"""MULTI, EXEC, DISCARD, WATCH and UNWATCH against the real redis-server 7.0.

Queuing and its errors (EXECABORT, refused commands, runtime errors inside the result array),
WATCH invalidated by writes from every command family, by expiry and by flushes, the writes that
change nothing and so invalidate nothing, pipelined transactions, and what CLIENT LIST, INFO and
MONITOR show. Scenarios run on both servers over raw connections and the transcripts of replies
must be identical byte for byte.
"""

import re
import time

import pytest

from conftest import run_command
from conftest import RawClient as Conn, settle


def watch_then_exec(connect, setup, watched, write, same_client=False):
    """Runs `setup` commands, WATCHes `watched` on a client, runs `write` (on another client
    unless same_client), then MULTI / PING / EXEC; returns every reply (only the length of the
    write's, which SPOP picks at random)."""
    c = connect()
    other = c if same_client else connect()
    got = [other.call(*command) for command in setup]
    got.append(c.call("WATCH", *watched))
    got.append(len(other.call(*write)))
    got += [c.call("MULTI"), c.call("PING"), c.call("EXEC")]
    return got


ABORTED = b"*-1\r\n"
RAN = b"*1\r\n+PONG\r\n"

# (setup, write): each write changes the watched key "k", so EXEC must fail.
MODIFYING_WRITES = {
    # strings
    "set": ([], ("SET", "k", "v")),
    "set-same-value": ([("SET", "k", "v")], ("SET", "k", "v")),
    "setnx": ([], ("SETNX", "k", "v")),
    "append": ([("SET", "k", "v")], ("APPEND", "k", "w")),
    "setrange": ([("SET", "k", "v")], ("SETRANGE", "k", "3", "x")),
    "incr": ([("SET", "k", "1")], ("INCR", "k")),
    "incrbyfloat": ([("SET", "k", "1")], ("INCRBYFLOAT", "k", "1.5")),
    "mset": ([], ("MSET", "a", "1", "k", "2")),
    "getset": ([("SET", "k", "v")], ("GETSET", "k", "w")),
    "getdel": ([("SET", "k", "v")], ("GETDEL", "k")),
    "getex-px": ([("SET", "k", "v")], ("GETEX", "k", "PX", "100000")),
    "getex-persist": ([("SET", "k", "v", "EX", "100")], ("GETEX", "k", "PERSIST")),
    # keys and expiry
    "del": ([("SET", "k", "v")], ("DEL", "k")),
    "unlink": ([("SET", "k", "v")], ("UNLINK", "k")),
    "rename-from": ([("SET", "k", "v")], ("RENAME", "k", "other")),
    "rename-to": ([("SET", "src", "v")], ("RENAME", "src", "k")),
    "renamenx-to": ([("SET", "src", "v")], ("RENAMENX", "src", "k")),
    "move": ([("SET", "k", "v")], ("MOVE", "k", "1")),
    "copy-into": ([("SET", "src", "v"), ("SET", "k", "old")], ("COPY", "src", "k", "REPLACE")),
    "expire": ([("SET", "k", "v")], ("EXPIRE", "k", "100")),
    "expire-past": ([("SET", "k", "v")], ("PEXPIREAT", "k", "1")),
    "persist": ([("SET", "k", "v", "EX", "100")], ("PERSIST", "k")),
    # lists
    "lpush-new": ([], ("LPUSH", "k", "a")),
    "rpush-existing": ([("RPUSH", "k", "a")], ("RPUSH", "k", "b")),
    "lpushx": ([("RPUSH", "k", "a")], ("LPUSHX", "k", "b")),
    "lpop": ([("RPUSH", "k", "a", "b")], ("LPOP", "k")),
    "rpop-last": ([("RPUSH", "k", "a")], ("RPOP", "k")),
    "lmpop": ([("RPUSH", "k", "a", "b")], ("LMPOP", "1", "k", "LEFT")),
    "lset": ([("RPUSH", "k", "a")], ("LSET", "k", "0", "b")),
    "lrem": ([("RPUSH", "k", "a", "b")], ("LREM", "k", "0", "a")),
    "linsert": ([("RPUSH", "k", "a")], ("LINSERT", "k", "BEFORE", "a", "b")),
    "ltrim": ([("RPUSH", "k", "a", "b", "c")], ("LTRIM", "k", "0", "1")),
    "ltrim-nothing-trimmed": ([("RPUSH", "k", "a", "b")], ("LTRIM", "k", "0", "-1")),
    "lmove-from": ([("RPUSH", "k", "a", "b")], ("LMOVE", "k", "d", "LEFT", "LEFT")),
    "lmove-to": ([("RPUSH", "s", "a")], ("LMOVE", "s", "k", "LEFT", "LEFT")),
    "rpoplpush-rotate": ([("RPUSH", "k", "a", "b")], ("RPOPLPUSH", "k", "k")),
    # hashes
    "hset": ([("HSET", "k", "f", "v")], ("HSET", "k", "g", "v")),
    "hset-same": ([("HSET", "k", "f", "v")], ("HSET", "k", "f", "v")),
    "hsetnx": ([("HSET", "k", "f", "v")], ("HSETNX", "k", "g", "v")),
    "hdel": ([("HSET", "k", "f", "v", "g", "w")], ("HDEL", "k", "f")),
    "hincrby": ([("HSET", "k", "f", "1")], ("HINCRBY", "k", "f", "2")),
    "hincrbyfloat": ([("HSET", "k", "f", "1")], ("HINCRBYFLOAT", "k", "f", "2.5")),
    # sets
    "sadd": ([("SADD", "k", "a")], ("SADD", "k", "b")),
    "srem": ([("SADD", "k", "a", "b")], ("SREM", "k", "a")),
    "spop": ([("SADD", "k", "a", "b")], ("SPOP", "k")),
    "spop-count": ([("SADD", "k", "a", "b", "c")], ("SPOP", "k", "2")),
    "smove-from": ([("SADD", "k", "a", "b")], ("SMOVE", "k", "d", "a")),
    "smove-to": ([("SADD", "s", "a")], ("SMOVE", "s", "k", "a")),
    "sinterstore": ([("SADD", "s", "a")], ("SINTERSTORE", "k", "s")),
    "sunionstore-empty-deletes": ([("SADD", "k", "a")], ("SUNIONSTORE", "k", "none")),
    # sorted sets
    "zadd": ([("ZADD", "k", "1", "a")], ("ZADD", "k", "2", "b")),
    "zadd-update": ([("ZADD", "k", "1", "a")], ("ZADD", "k", "2", "a")),
    "zincrby": ([("ZADD", "k", "1", "a")], ("ZINCRBY", "k", "1", "a")),
    "zrem": ([("ZADD", "k", "1", "a", "2", "b")], ("ZREM", "k", "a")),
    "zpopmin": ([("ZADD", "k", "1", "a", "2", "b")], ("ZPOPMIN", "k")),
    "zremrangebyscore": ([("ZADD", "k", "1", "a", "2", "b")],
                         ("ZREMRANGEBYSCORE", "k", "1", "1")),
    "zunionstore": ([("ZADD", "s", "1", "a")], ("ZUNIONSTORE", "k", "1", "s")),
    "zrangestore": ([("ZADD", "s", "1", "a")], ("ZRANGESTORE", "k", "s", "0", "-1")),
    # sort
    "sort-store": ([("RPUSH", "s", "2", "1")], ("SORT", "s", "STORE", "k")),
    # flushes
    "flushdb": ([("SET", "k", "v")], ("FLUSHDB",)),
    "flushall": ([("SET", "k", "v")], ("FLUSHALL",)),
}  # fmt: skip

# (setup, write): none of these changes "k", so EXEC runs.
NON_MODIFYING_WRITES = {
    "other-key": ([("SET", "k", "v")], ("SET", "other", "v")),
    "same-key-other-db": ([("SET", "k", "v")], ("MSET", "x", "y")),
    "del-missing": ([], ("DEL", "k")),
    "wrong-type": ([("SET", "k", "v")], ("LPUSH", "k", "a")),
    "setnx-existing": ([("SET", "k", "v")], ("SETNX", "k", "w")),
    "set-nx-existing": ([("SET", "k", "v")], ("SET", "k", "w", "NX")),
    "setrange-empty": ([("SET", "k", "v")], ("SETRANGE", "k", "0", "")),
    "persist-without-ttl": ([("SET", "k", "v")], ("PERSIST", "k")),
    "expire-gt-refused": ([("SET", "k", "v", "EX", "100")], ("EXPIRE", "k", "10", "GT")),
    "rename-same": ([("SET", "k", "v")], ("RENAME", "k", "k")),
    "lpushx-missing": ([], ("LPUSHX", "k", "a")),
    "lrem-none": ([("RPUSH", "k", "a")], ("LREM", "k", "0", "zz")),
    "linsert-no-pivot": ([("RPUSH", "k", "a")], ("LINSERT", "k", "BEFORE", "zz", "b")),
    "hdel-missing": ([("HSET", "k", "f", "v")], ("HDEL", "k", "zz")),
    "hsetnx-existing": ([("HSET", "k", "f", "v")], ("HSETNX", "k", "f", "w")),
    "sadd-existing": ([("SADD", "k", "a")], ("SADD", "k", "a")),
    "srem-missing": ([("SADD", "k", "a")], ("SREM", "k", "zz")),
    "smove-same-set": ([("SADD", "k", "a")], ("SMOVE", "k", "k", "a")),
    "zadd-nx-existing": ([("ZADD", "k", "1", "a")], ("ZADD", "k", "NX", "2", "a")),
    "zadd-same-score": ([("ZADD", "k", "1", "a")], ("ZADD", "k", "1", "a")),
    "zrem-missing": ([("ZADD", "k", "1", "a")], ("ZREM", "k", "zz")),
    "flushall-without-the-key": ([("SET", "other", "v")], ("FLUSHALL",)),
    "flushdb-other-db": ([("SET", "k", "v")], ("FLUSHDB",)),
    "reads": ([("RPUSH", "k", "a")], ("LRANGE", "k", "0", "-1")),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MODIFYING_WRITES))
def test_watched_key_modified_by_another_client_fails_exec(on_both, name):
    setup, write = MODIFYING_WRITES[name]
    transcript = on_both(lambda connect: watch_then_exec(connect, setup, ["k"], write))
    assert transcript[-1] == ABORTED


@pytest.mark.parametrize("name", list(NON_MODIFYING_WRITES))
def test_writes_that_change_nothing_keep_exec_running(on_both, name):
    setup, write = NON_MODIFYING_WRITES[name]

    def scenario(connect):
        c, other = connect(), connect()
        got = [other.call(*command) for command in setup]
        got.append(c.call("WATCH", "k"))
        if name in ("same-key-other-db", "flushdb-other-db"):
            got += [other.call("SELECT", "1"), other.call("SET", "k", "x")]
        got.append(other.call(*write))
        got += [c.call("MULTI"), c.call("PING"), c.call("EXEC")]
        return got

    assert on_both(scenario)[-1] == RAN


def test_write_by_the_watching_client_itself_fails_exec(on_both):
    transcript = on_both(lambda connect: watch_then_exec(
        connect, [("SET", "k", "1")], ["k"], ("INCR", "k"), same_client=True))
    assert transcript[-1] == ABORTED


def test_writes_queued_in_the_transaction_do_not_fail_it(on_both):
    def scenario(connect):
        c = connect()
        return [c.call("SET", "k", "1"), c.call("WATCH", "k"), c.call("MULTI"),
                c.call("INCR", "k"), c.call("DEL", "k"), c.call("EXEC"), c.call("EXISTS", "k")]

    assert on_both(scenario)[5] == b"*2\r\n:2\r\n:1\r\n"


def test_unwatch_exec_discard_and_reset_forget_the_watches(on_both):
    def scenario(connect):
        c, other = connect(), connect()
        got = []
        for forget in (("UNWATCH",), ("EXEC",), ("DISCARD",), ("RESET",)):
            got.append(c.call("WATCH", "k"))
            if forget != ("UNWATCH",) and forget != ("RESET",):
                got.append(c.call("MULTI"))
            got.append(c.call(*forget))
            got.append(other.call("SET", "k", "v"))
            got += [c.call("MULTI"), c.call("PING"), c.call("EXEC")]
        return got

    transcript = on_both(scenario)
    assert transcript.count(RAN) == 4


def test_unwatch_clears_a_dirty_client_and_watch_keeps_it_dirty(on_both):
    def scenario(connect):
        c, other = connect(), connect()
        got = [c.call("WATCH", "k"), other.call("SET", "k", "1"), c.call("WATCH", "j"),
               c.call("MULTI"), c.call("EXEC")]
        got += [c.call("WATCH", "k"), other.call("SET", "k", "2"), c.call("UNWATCH"),
                c.call("MULTI"), c.call("EXEC")]
        return got

    assert on_both(scenario)[4::5] == [ABORTED, b"*0\r\n"]


def test_watch_is_per_database(on_both):
    def scenario(connect):
        c, other = connect(), connect()
        got = [c.call("SELECT", "2"), c.call("WATCH", "k"), c.call("SELECT", "0"),
               other.call("SET", "k", "db0"), c.call("MULTI"), c.call("EXEC")]
        got += [c.call("SELECT", "2"), c.call("WATCH", "k"), other.call("SELECT", "2"),
                other.call("SET", "k", "db2"), c.call("MULTI"), c.call("EXEC")]
        return got

    assert on_both(scenario)[5::6] == [b"*0\r\n", ABORTED]


def test_a_disconnected_watcher_is_forgotten(on_both):
    def scenario(connect):
        gone, c, other = connect(), connect(), connect()
        got = [gone.call("WATCH", "k", "k", "j"), c.call("WATCH", "k")]
        gone.close()
        settle()
        got += [other.call("SET", "k", "v"), other.call("SET", "j", "v"), c.call("MULTI"),
                c.call("EXEC"), other.call("PING")]
        return got

    assert on_both(scenario)[-2:] == [ABORTED, b"+PONG\r\n"]


def test_dirty_exec_is_a_resp3_null(on_both):
    def scenario(connect):
        c, other = connect(), connect()
        c.call("HELLO", "3")
        return [c.call("WATCH", "k"), other.call("SET", "k", "v"), c.call("MULTI"),
                c.call("EXEC")]

    assert on_both(scenario)[-1] == b"_\r\n"


def test_blocking_pop_serving_a_watched_key_fails_exec(on_both):
    def scenario(connect):
        c, waiter, pusher = connect(), connect(), connect()
        waiter.send("BLMOVE", "src", "k", "LEFT", "LEFT", "0")
        settle()
        got = [c.call("WATCH", "k"), pusher.call("RPUSH", "src", "x"), waiter.reply(),
               c.call("MULTI"), c.call("EXEC")]
        return got

    assert on_both(scenario)[-1] == ABORTED


# --- expiry ---------------------------------------------------------------------------------


@pytest.fixture
def active_expire_off(tandem_server, redis_server):
    """Lazy expiry only while the test runs (the servers are shared by the session)."""
    servers = (tandem_server, redis_server)
    for server in servers:
        run_command(server.client(), "DEBUG", "SET-ACTIVE-EXPIRE", "0")
    yield
    for server in servers:
        run_command(server.client(), "DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_watched_key_that_expires_before_exec_fails_it(on_both, active_expire_off):
    def scenario(connect):
        c = connect()
        got = [c.call("SET", "k", "v", "PX", "100"), c.call("WATCH", "k"), c.call("MULTI"),
               c.call("PING")]
        time.sleep(0.2)
        return got + [c.call("EXEC")]

    assert on_both(scenario)[-1] == ABORTED


def test_watched_key_deleted_by_lazy_expiry_fails_exec(on_both, active_expire_off):
    def scenario(connect):
        c, other = connect(), connect()
        got = [c.call("SET", "k", "v", "PX", "100"), c.call("WATCH", "k")]
        time.sleep(0.2)
        return got + [other.call("GET", "k"), c.call("MULTI"), c.call("EXEC")]

    assert on_both(scenario)[-1] == ABORTED


def test_watched_key_deleted_by_active_expiry_fails_exec(on_both):
    def scenario(connect):
        c, other = connect(), connect()
        got = [c.call("SET", "k", "v", "PX", "50"), c.call("WATCH", "k")]
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and other.call("DBSIZE") != b":0\r\n":
            time.sleep(0.05)
        return got + [c.call("MULTI"), c.call("EXEC")]

    assert on_both(scenario)[-1] == ABORTED


def test_key_already_expired_when_watched_changes_only_when_set_again(on_both,
                                                                      active_expire_off):
    def scenario(connect):
        c, other = connect(), connect()
        got = [c.call("SET", "k", "v", "PX", "1")]
        time.sleep(0.02)
        # Neither its expiry at EXEC, nor its lazy deletion, nor a flush is a change ...
        got += [c.call("WATCH", "k"), c.call("MULTI"), c.call("EXEC")]
        got += [c.call("SET", "k", "v", "PX", "1")]
        time.sleep(0.02)
        got += [c.call("WATCH", "k"), other.call("EXISTS", "k"), c.call("MULTI"), c.call("EXEC")]
        got += [c.call("SET", "k", "v", "PX", "1")]
        time.sleep(0.02)
        got += [c.call("WATCH", "k"), other.call("FLUSHALL"), c.call("MULTI"), c.call("EXEC")]
        # ... but a live value stored under it is, with or without a lookup first.
        for write in (("SET", "k", "w"), ("MSET", "k", "w"), ("RPUSH", "k", "w")):
            got += [c.call("DEL", "k"), c.call("SET", "k", "v", "PX", "1")]
            time.sleep(0.02)
            got += [c.call("WATCH", "k"), other.call(*write), c.call("MULTI"), c.call("EXEC")]
        return got

    transcript = on_both(scenario)
    assert transcript.count(b"*0\r\n") == 3
    assert transcript.count(ABORTED) == 3


def test_flushall_with_a_watched_key_that_expired_since(on_both, active_expire_off):
    def scenario(connect):
        c, other = connect(), connect()
        got = [c.call("SET", "k", "v", "PX", "50"), c.call("WATCH", "k")]
        time.sleep(0.1)
        return got + [other.call("FLUSHALL"), c.call("MULTI"), c.call("EXEC")]

    assert on_both(scenario)[-1] == ABORTED


# --- queuing and its errors -----------------------------------------------------------------


def test_queued_commands_run_in_order_with_runtime_errors_in_the_array(on_both):
    def scenario(connect):
        c = connect()
        return [c.call("MULTI"), c.call("SET", "s", "abc"), c.call("INCR", "s"),
                c.call("LPUSH", "s", "x"), c.call("APPEND", "s", "d"), c.call("GET", "s"),
                c.call("EXEC"), c.call("GET", "s")]

    on_both(scenario)


def test_queuing_errors_abort_the_transaction(on_both):
    def scenario(connect):
        c = connect()
        got = []
        for bad in (("NOSUCH", "a"), ("SET", "k"), ("CONFIG", "NOSUCH"), ("DISCARD", "x"),
                    ("MULTI", "x"), ("SHUTDOWN",)):
            got += [c.call("MULTI"), c.call("SET", "k", "v"), c.call(*bad), c.call("SET", "j", "v"),
                    c.call("EXEC"), c.call("EXISTS", "k", "j")]
        return got

    aborted = b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    assert on_both(scenario).count(aborted) == 6


def test_errors_answered_by_multi_watch_and_exec(on_both):
    def scenario(connect):
        c = connect()
        return [c.call("EXEC"), c.call("DISCARD"), c.call("MULTI"), c.call("MULTI"),
                c.call("WATCH", "k"), c.call("SET", "k", "v"), c.call("EXEC"),
                # EXEC refused with an arity error ends the transaction, inside it or not.
                c.call("MULTI"), c.call("SET", "k", "w"), c.call("EXEC", "x"), c.call("EXEC"),
                c.call("EXEC", "x"), c.call("GET", "k"), c.call("WATCH"), c.call("UNWATCH", "x")]

    transcript = on_both(scenario)
    assert transcript[3] == b"-ERR MULTI calls can not be nested\r\n"
    assert transcript[6] == b"*1\r\n+OK\r\n"


def test_commands_that_run_inside_multi_instead_of_queuing(on_both):
    def scenario(connect):
        c = connect()
        got = [c.call("MULTI"), c.call("SET", "k", "v"), c.call("DISCARD"), c.call("EXISTS", "k")]
        got += [c.call("MULTI"), c.call("SET", "k", "v"), c.call("RESET"), c.call("EXEC")]
        got += [c.call("MULTI"), c.call("UNWATCH"), c.call("SELECT", "3"), c.call("EXEC")]
        got += [c.call("MULTI"), c.call("QUIT")]
        return got

    transcript = on_both(scenario)
    assert transcript[-1] == b"+OK\r\n"


def test_empty_transaction_and_protocol_switch_inside_exec(on_both):
    def scenario(connect):
        c = connect()
        return [c.call("MULTI"), c.call("EXEC"), c.call("MULTI"), c.call("SET", "k", "v"),
                c.call("HELLO", "3", "SETNAME", "x"), c.call("HGETALL", "nohash"),
                c.call("EXEC")]

    transcript = on_both(lambda connect: [
        re.sub(rb"(id\r\n:)\d+|redis|tandem", rb"\1", r) for r in scenario(connect)])
    assert transcript[1] == b"*0\r\n"


def test_blocking_commands_inside_exec_answer_at_once(on_both):
    def scenario(connect):
        c = connect()
        got = [c.call("MULTI"), c.call("BLPOP", "l", "0"), c.call("BZPOPMIN", "z", "0"),
               c.call("BLMOVE", "l", "d", "LEFT", "LEFT", "0"), c.call("EXEC")]
        c.call("HELLO", "3")
        got += [c.call("MULTI"), c.call("BRPOP", "l", "0"), c.call("EXEC")]
        return got

    assert on_both(scenario)[-1] == b"*1\r\n_\r\n"


def test_monitor_inside_exec_is_refused(on_both):
    def scenario(connect):
        c = connect()
        return [c.call("MULTI"), c.call("MONITOR"), c.call("PING"), c.call("EXEC"),
                c.call("PING")]

    on_both(scenario)


def test_pipelined_transactions(assert_same_raw):
    def pipeline(*commands):
        return b"".join(b" ".join(part.encode() for part in command) + b"\r\n"
                        for command in commands)

    assert_same_raw(pipeline(("MULTI",), ("SET", "a", "1"), ("INCR", "a"), ("INCRBY", "a", "x"),
                             ("GET", "a"), ("EXEC",), ("GET", "a")))
    assert_same_raw(pipeline(("MULTI",), ("SET", "a", "1"), ("NOSUCH",), ("INCR", "a"),
                             ("EXEC",), ("EXISTS", "a"), ("EXEC",)))
    assert_same_raw(pipeline(("WATCH", "a"), ("SET", "a", "2"), ("MULTI",), ("INCR", "a"),
                             ("EXEC",), ("GET", "a")))
    assert_same_raw(pipeline(("MULTI",), ("RPUSH", "l", "a", "b"), ("LPOP", "l"), ("EXEC",),
                             ("MULTI",), ("LRANGE", "l", "0", "-1"), ("DISCARD",),
                             ("LLEN", "l")))


def test_a_transaction_runs_without_other_clients_in_between(tandem_server, both):
    # One pipelined transaction of many INCRs, with another client INCRing meanwhile: the
    # transaction's replies are consecutive numbers.
    tandem, _ = both
    c, other = Conn(tandem_server.port), Conn(tandem_server.port)
    try:
        n = 300
        payload = b"MULTI\r\n" + b"INCR n\r\n" * n + b"EXEC\r\n"
        c.raw.send(payload)
        for _ in range(50):
            other.call("INCR", "n")
        replies = [c.reply() for _ in range(n + 1)]
        result = c.reply()
        values = [int(v) for v in re.findall(rb":(\d+)\r\n", result)]
        assert values == list(range(values[0], values[0] + n))
        assert all(r == b"+QUEUED\r\n" for r in replies[1:])
    finally:
        c.close()
        other.close()


# --- what the server shows ------------------------------------------------------------------


def client_fields(line, names=("flags", "multi", "multi-mem", "cmd")):
    fields = dict(item.split(b"=", 1) for item in line.strip().split(b" ") if b"=" in item)
    return [fields[name.encode()] for name in names]


def test_client_list_flags_and_multi_fields(on_both):
    def scenario(connect):
        c, other = connect(), connect()
        client_id = c.call("CLIENT", "ID")[1:-2]
        lines = []

        def show():
            data = other.call("CLIENT", "LIST", "ID", client_id)
            lines.append(client_fields(data.split(b"\r\n")[1]))

        show()
        c.call("WATCH", "k", "j")
        c.call("MULTI")
        show()
        c.call("SET", "k", "v")
        c.call("CLIENT", "INFO")
        show()
        other.call("SET", "j", "1")
        show()
        c.call("GET", "k")  # not kept: the transaction is dirty already
        show()
        c.call("EXEC")
        show()
        c.call("MULTI")
        c.call("CLIENT", "INFO")
        inside = c.call("EXEC")
        lines.append(client_fields(inside.split(b"\r\n")[2]))
        return lines

    assert on_both(scenario)[2] == [b"x", b"2", b"55", b"client|info"]


def commandstats(client):
    out = {}
    for line in run_command(client, "INFO", "commandstats").decode().splitlines():
        if line.startswith("cmdstat_"):
            name, rest = line[len("cmdstat_"):].split(":", 1)
            fields = dict(item.split("=") for item in rest.split(","))
            out[name] = {k: fields[k] for k in ("calls", "rejected_calls", "failed_calls")}
    return out


def test_command_stats_and_counters(both):
    def scenario(client):
        run_command(client, "CONFIG", "RESETSTAT")
        for command in (("SET", "s", "abc"), ("MULTI",), ("INCR", "s"), ("SET", "s", "x"),
                        ("NOSUCH",), ("EXEC",), ("MULTI",), ("INCR", "s"), ("GET", "s"),
                        ("GET", "missing"), ("EXEC",), ("MULTI",), ("EXEC", "x"),
                        ("MULTI",), ("SHUTDOWN",), ("DISCARD",)):
            run_command(client, *command)
        info = run_command(client, "INFO", "stats").decode()
        stats = {k: v for k, v in (line.split(":", 1) for line in info.splitlines() if ":" in line)}
        errors = run_command(client, "INFO", "errorstats").decode().split()
        return (commandstats(client), errors,
                [stats[k] for k in ("total_commands_processed", "keyspace_hits",
                                    "keyspace_misses", "total_error_replies")])

    tandem, reference = both
    assert scenario(tandem) == scenario(reference)


def monitor_lines(connect, scenario):
    """The commands MONITOR shows while `scenario(client)` runs, without time and address."""
    monitor, c = connect(), connect()
    monitor.call("MONITOR")
    scenario(c)
    c.call("PING")  # a marker: everything before it has been fed
    lines = []
    while True:
        line = monitor.reply()
        if b'"PING"' in line:
            return lines
        lines.append(re.sub(rb"^\+[\d.]+ \[\d+ [^\]]+\] ", b"", line))


def test_monitor_shows_multi_then_the_commands_then_exec(on_both):
    def scenario(connect):
        def transactions(c):
            c.call("MULTI")
            c.call("SET", "k", "v")
            c.call("GET", "k")
            c.call("EXEC")
            c.call("MULTI")
            c.call("NOSUCH")
            c.call("EXEC")
            c.call("MULTI")
            c.call("EXEC", "x")
            c.call("WATCH", "k")
            c.call("SET", "k", "w")
            c.call("MULTI")
            c.call("DEL", "k")
            c.call("EXEC")

        return monitor_lines(connect, transactions)

    on_both(scenario)


def test_pause_write_holds_an_exec_that_writes(on_both):
    def scenario(connect):
        c, reader, admin = connect(), connect(), connect()
        got = [c.call("MULTI"), c.call("SET", "k", "v"), reader.call("MULTI"),
               reader.call("GET", "k"), admin.call("CLIENT", "PAUSE", "300", "WRITE")]
        start = time.monotonic()
        got.append(reader.call("EXEC"))
        assert time.monotonic() - start < 0.2
        got.append(c.call("EXEC"))
        assert time.monotonic() - start >= 0.25
        return got

    on_both(scenario)
