"""What a master sends its replicas, tandem against Redis 7.0 (issue 7, "Propagation").

A real redis-server and a tandem server run as masters, each with a raw fake replica attached
(fake_replica.py). Every step runs the same commands on both, interleaved command by command,
then a PUBLISH marker that both propagate; the commands each replica received before its
marker must be the same: relative expiry made absolute, SPOP as SREM, blocking pops as their
non-blocking forms, expired keys as DEL, MULTI/EXEC exactly where Redis puts it, nothing for
reads, no-ops and failures. Absolute millisecond times computed by each server from its own
clock may differ by a little; members popped at random are masked.

STREAM_PEER=redis puts Redis on both sides, which checks the script itself.
"""

import itertools
import os
import time

import pytest

from conftest import RawClient, run_command, settle, snapshot, wait_synced
from fake_replica import FakeReplica, without_pings
from servers import HOST, ServerProcess, close_client, make_client

MASTER_ARGS = ["--repl-diskless-sync", "no", "--repl-ping-replica-period", "3600"]
CLOCK_TOLERANCE_MS = 2000


class Master:
    def __init__(self, kind):
        self.server = ServerProcess(kind, MASTER_ARGS).start()
        self.client = make_client(self.server.port)
        self.replica = None

    def attach_replica(self):
        self.replica = FakeReplica(self.server.port)

    def stop(self):
        if self.replica:
            self.replica.close()
        close_client(self.client)
        self.server.destroy()


@pytest.fixture(scope="module")
def masters():
    redis_master, tandem_master = Master("redis"), Master(os.environ.get("STREAM_PEER", "tandem"))
    try:
        redis_master.attach_replica()
        tandem_master.attach_replica()
        yield Streams(redis_master, tandem_master)
    finally:
        redis_master.stop()
        tandem_master.stop()


def _is_time(arg):
    return isinstance(arg, bytes) and arg.isdigit() and len(arg) >= 13


def _same_arg(ours, theirs):
    if ours == theirs:
        return True
    # Absolute times computed from each server's clock a few milliseconds apart.
    return (_is_time(ours) and _is_time(theirs)
            and abs(int(ours) - int(theirs)) <= CLOCK_TOLERANCE_MS)


def _same_command(ours, theirs):
    return (len(ours) == len(theirs)
            and all(_same_arg(a, b) for a, b in zip(ours, theirs)))


def _mask_popped_members(commands):
    return [[c[0], c[1], b"?"] if c[0].upper() == b"SREM" else c for c in commands]


def _show(commands):
    return "\n".join("    " + " ".join(a.decode(errors="replace") for a in c) for c in commands)


class Streams:
    def __init__(self, redis_master, tandem_master):
        self.redis = redis_master
        self.tandem = tandem_master
        self.markers = itertools.count()

    def both(self):
        return (self.redis, self.tandem)

    def run(self, *commands):
        """Each command on Redis, then on tandem; returns tandem's replies."""
        replies = []
        for command in commands:
            for master in self.both():
                reply = run_command(master.client, *command)
            replies.append(reply)
        return replies

    def received(self):
        """What each replica got since the last call: (redis's, tandem's)."""
        marker = [b"PUBLISH", b"__stream_marker__", str(next(self.markers)).encode()]
        self.run(marker)
        return tuple(without_pings(m.replica.commands_until(marker)) for m in self.both())

    def expect_same(self, what, random_members=False):
        theirs, ours = self.received()
        if random_members:
            theirs, ours = _mask_popped_members(theirs), _mask_popped_members(ours)
        same = len(ours) == len(theirs) and all(map(_same_command, ours, theirs))
        assert same, f"{what}\n  tandem sent:\n{_show(ours)}\n  redis sent:\n{_show(theirs)}"
        return ours

    def step(self, *commands, random_members=False, sleep=0):
        self.run(*commands)
        if sleep:
            time.sleep(sleep)
        return self.expect_same(f"after {commands}", random_members)

    def blocked_step(self, blocking_commands, *commands):
        """Clients blocked by `blocking_commands` (one each, in order), served by `commands`."""
        waiting = []
        for blocking in blocking_commands:
            for master in self.both():
                client = RawClient(master.server.port)
                client.send(*blocking)
                waiting.append(client)
            settle()
        self.run(*commands)
        for client in waiting:
            client.reply()
            client.raw.close()
        return self.expect_same(f"after {blocking_commands} served by {commands}")

    def config_set(self, name, value):
        self.run(["CONFIG", "SET", name, value])


@pytest.fixture
def streams(masters):
    masters.run(["FLUSHALL"], ["SELECT", "0"], ["DEBUG", "SET-ACTIVE-EXPIRE", "1"])
    masters.received()
    return masters


def test_the_first_write_selects_the_database(streams):
    assert streams.step(["SET", "k", "v"])[-1] == [b"SET", b"k", b"v"]
    streams.step(["SELECT", "3"], ["SET", "k", "v"], ["SELECT", "0"], ["set", "k", "v"])


def test_set_sends_absolute_times_and_no_get(streams):
    steps = [
        ["SET", "k", "v", "EX", "100"],
        ["set", "k", "v", "px", "100000"],
        ["SET", "k", "v", "EXAT", "99999999999"],
        ["SET", "k", "v", "PXAT", "99999999999000"],
        ["set", "k", "v", "pxat", "99999999999000", "get"],
        ["SET", "k", "v2", "KEEPTTL"],
        ["SET", "k", "v3", "GET"],
        ["set", "k", "v", "Get", "get"],
        ["SET", "k", "v", "keepttl", "GET"],
        ["SET", "k", "v3", "GET", "EX", "100"],
        ["SET", "k", "v", "NX"],
        ["SET", "k", "v", "XX", "EX", "5"],
        ["SET", "k", "v", "EX", "0"],
        ["SETEX", "k", "100", "v"],
        ["setex", "k", "-5", "v"],
        ["PSETEX", "k", "100000", "v"],
        ["SETNX", "k", "x"],
        ["SETNX", "n", "x"],
        ["GETSET", "k", "w"],
        ["getset", "k", "w"],
        ["MSET", "a", "1", "b", "2"],
        ["MSETNX", "a", "1", "c", "1"],
        ["MSETNX", "x1", "1", "x2", "2"],
        ["GETDEL", "k"],
        ["GETDEL", "k"],
    ]
    for command in steps:
        streams.step(command)


def test_getex_sends_what_it_did(streams):
    streams.step(["SET", "k", "v"])
    for command in (
        ["GETEX", "k"],
        ["GETEX", "k", "EX", "100"],
        ["getex", "k", "px", "100000"],
        ["GETEX", "k", "EXAT", "99999999999"],
        ["GETEX", "k", "PXAT", "99999999999000"],
        ["GETEX", "k", "PERSIST"],
        ["GETEX", "k", "PERSIST"],
        ["GETEX", "nokey", "EX", "100"],
        ["GETEX", "k", "EXAT", "1"],
    ):
        streams.step(command)


def test_expire_family_sends_pexpireat_or_del(streams):
    streams.step(["SET", "k", "v"])
    for command in (
        ["EXPIRE", "k", "100"],
        ["pexpire", "k", "100000"],
        ["EXPIREAT", "k", "99999999999"],
        ["PEXPIREAT", "k", "99999999999000"],
        ["pexpireat", "k", "99999999999001", "gt"],
        ["EXPIRE", "k", "100", "NX"],
        ["EXPIRE", "k", "100", "xx"],
        ["EXPIRE", "k", "1000", "GT"],
        ["EXPIRE", "k", "10", "GT"],
        ["EXPIRE", "k", "10", "LT"],
        ["PERSIST", "k"],
        ["PERSIST", "k"],
        ["EXPIRE", "k", "-1"],
        ["SET", "k", "v"],
        ["EXPIREAT", "k", "1"],
        ["SET", "k", "v"],
        ["PEXPIRE", "k", "0"],
        ["EXPIRE", "nokey", "100"],
        ["EXPIRE", "k", "abc"],
    ):
        streams.step(command)


def test_float_increments_send_the_stored_result(streams):
    for command in (
        ["SET", "f", "1.5"],
        ["INCRBYFLOAT", "f", "2.5"],
        ["SET", "f", "1.5", "EX", "100"],
        ["INCRBYFLOAT", "f", "1e2"],
        ["INCRBYFLOAT", "f", "0.1"],
        ["INCRBYFLOAT", "f", "abc"],
        ["SET", "g", "3.0e3"],
        ["incrbyfloat", "g", "0"],
        ["INCRBYFLOAT", "new", "1"],
        ["HINCRBYFLOAT", "h", "fld", "2.5"],
        ["HINCRBYFLOAT", "h", "fld", "1.0e1"],
        ["hincrbyfloat", "h", "fld", "1e300"],
        ["HINCRBYFLOAT", "h", "fld", "x"],
    ):
        streams.step(command)


def test_spop_sends_srem_or_del(streams):
    streams.step(["SADD", "s", "a", "b", "c", "d", "e"])
    streams.step(["SPOP", "s"], random_members=True)
    streams.step(["SPOP", "s", "2"], random_members=True)
    streams.step(["SPOP", "s", "1"], random_members=True)
    streams.step(["SPOP", "s", "10"])
    streams.step(["SADD", "s", *"abcdefghij"])
    streams.step(["SPOP", "s", "8"], random_members=True)
    streams.step(["SPOP", "s", "2"], random_members=True)
    streams.step(["SADD", "s", *(str(i) for i in range(200))])
    streams.step(["SPOP", "s", "30"], random_members=True)
    streams.step(["SADD", "one", "x"], ["SPOP", "one"])
    streams.step(["SADD", "one", "x"], ["spop", "one", "1"])
    streams.step(["SPOP", "s", "0"], ["SPOP", "nos"], ["SPOP", "nos", "3"])
    streams.step(["SRANDMEMBER", "s", "2"], ["SRANDMEMBER", "s"])


def test_blocking_pops_served_later_send_the_non_blocking_form(streams):
    streams.blocked_step([["BLPOP", "l", "0"]], ["RPUSH", "l", "a", "b"])
    streams.blocked_step([["BRPOP", "l2", "0"]], ["RPUSH", "l2", "a", "b"])
    streams.blocked_step([["blmove", "l3", "d", "left", "RIGHT", "0"]], ["RPUSH", "l3", "a"])
    streams.blocked_step([["BRPOPLPUSH", "l4", "d", "0"]], ["RPUSH", "l4", "a"])
    streams.blocked_step([["BLMPOP", "0", "2", "x", "l5", "LEFT", "COUNT", "2"]],
                         ["RPUSH", "l5", "a", "b", "c"])
    streams.blocked_step([["BZPOPMIN", "z", "0"]], ["ZADD", "z", "1", "a", "2", "b"])
    streams.blocked_step([["BZPOPMAX", "z2", "0"]], ["ZADD", "z2", "1", "a", "2", "b"])
    streams.blocked_step([["BZMPOP", "0", "1", "z3", "MAX", "COUNT", "5"]],
                         ["ZADD", "z3", "1", "a", "2", "b"])
    streams.blocked_step([["BLPOP", "q", "0"], ["BLPOP", "q", "0"]], ["RPUSH", "q", "a", "b", "c"])
    streams.blocked_step([["BLPOP", "q2", "0"], ["BLPOP", "q2", "0"]],
                         ["MULTI"], ["RPUSH", "q2", "a"], ["RPUSH", "q2", "b"], ["EXEC"])
    streams.blocked_step([["BLMOVE", "m1", "m2", "LEFT", "RIGHT", "0"], ["BLPOP", "m2", "0"]],
                         ["RPUSH", "m1", "a"])


def test_pops_served_at_once_send_the_non_blocking_form(streams):
    streams.step(["RPUSH", "l", "a", "b", "c", "d", "e", "f"])
    for command in (
        ["BLPOP", "l", "0"],
        ["brpop", "nol", "l", "0"],
        ["BLMPOP", "0", "1", "l", "RIGHT"],
        ["BLMOVE", "l", "d", "LEFT", "right", "0"],
        ["BRPOPLPUSH", "l", "d", "0"],
        ["LMPOP", "2", "nol", "d", "LEFT", "COUNT", "10"],
        ["LMPOP", "1", "nol", "LEFT", "COUNT", "2"],
        ["RPUSH", "l", "a", "b", "c"],
        ["lmpop", "1", "l", "right", "count", "2"],
        ["LPOP", "l", "10"],
        ["BLPOP", "nol", "0.01"],
        ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
        ["BZPOPMIN", "z", "0"],
        ["BZMPOP", "0", "1", "z", "MIN"],
        ["zmpop", "1", "z", "max", "count", "10"],
        ["ZADD", "z", "1", "a", "2", "b"],
        ["ZPOPMIN", "z", "10"],
    ):
        streams.step(command)


def test_restore_sends_an_absolute_ttl(streams):
    streams.run(["SET", "x", "hello"])
    payload = run_command(streams.redis.client, "DUMP", "x")
    streams.received()
    for command in (
        ["RESTORE", "r", "0", payload],
        ["RESTORE", "r2", "100000", payload],
        ["restore", "r3", "99999999999000", payload, "absttl"],
        ["RESTORE", "r4", "1", payload, "ABSTTL"],
        ["RESTORE", "r", "0", payload, "REPLACE", "IDLETIME", "10"],
        ["RESTORE", "r", "1", payload, "REPLACE", "ABSTTL"],
        ["RESTORE", "r2", "0", payload],
    ):
        streams.step(command)


def test_transactions_are_wrapped_only_around_several_writes(streams):
    streams.step(["MULTI"], ["SET", "a", "1"], ["EXEC"])
    streams.step(["MULTI"], ["SET", "a", "1"], ["SET", "b", "2"], ["EXEC"])
    streams.step(["MULTI"], ["GET", "a"], ["EXEC"])
    streams.step(["MULTI"], ["EXEC"])
    streams.step(["MULTI"], ["SET", "a", "1", "EX", "100"], ["INCRBYFLOAT", "f", "1"], ["EXEC"])
    streams.step(["MULTI"], ["SELECT", "2"], ["SET", "a", "1"], ["SELECT", "0"], ["SET", "b", "1"],
                 ["EXEC"])
    streams.step(["MULTI"], ["SET", "a", "1"], ["INCR", "a", "b"], ["EXEC"])
    streams.step(["MULTI"], ["SET", "a", "1"], ["LPUSH", "a", "b"], ["EXEC"])
    streams.step(["MULTI"], ["SET", "a", "1"], ["LPUSH", "a", "b"], ["SET", "c", "1"], ["EXEC"])
    streams.step(["MULTI"], ["SADD", "s", "a", "b", "c"], ["SPOP", "s", "2"], ["EXEC"],
                 random_members=True)
    streams.step(["MULTI"], ["RPUSH", "l", "x"], ["BLPOP", "l", "0"], ["EXEC"])
    streams.step(["MULTI"], ["BLPOP", "nol", "0"], ["EXEC"])
    streams.step(["WATCH", "x"], ["SET", "x", "2"], ["MULTI"], ["SET", "y", "1"], ["EXEC"])
    streams.step(["MULTI"], ["SET", "y", "1"], ["DISCARD"])


def test_nothing_is_sent_for_reads_no_ops_and_failures(streams):
    streams.step(["SET", "str", "v"], ["SADD", "s2", "a"], ["ZADD", "z", "1", "a"],
                 ["RPUSH", "l", "1"], ["HSET", "h", "f", "v"])
    for command in (
        ["GET", "str"], ["DEL", "nokey"], ["SADD", "s2", "a"], ["SREM", "s2", "zz"],
        ["LPUSH", "str", "x"], ["LPOP", "nol"], ["ZADD", "z", "1", "a"],
        ["ZADD", "z", "NX", "INCR", "1", "a"], ["LTRIM", "l", "0", "-1"],
        ["LTRIM", "nol", "0", "1"],
        ["LREM", "l", "0", "zz"], ["LSET", "nol", "0", "x"], ["SETRANGE", "nok", "0", ""],
        ["PERSIST", "l"], ["SMOVE", "s2", "t", "zz"], ["COPY", "nokey", "x"],
        ["RENAME", "nokey", "x"], ["MOVE", "nokey", "3"], ["SRANDMEMBER", "s2", "2"],
        ["HINCRBY", "h", "f", "1"], ["INCR", "str"], ["KEYS", "*"], ["SCAN", "0"],
        ["EXISTS", "str"], ["TTL", "str"],
    ):
        streams.step(command)
    # Writes that change nothing but still count as writes go as called.
    for command in (["HSET", "h", "f", "v"], ["SETRANGE", "str", "0", "v"], ["APPEND", "str", ""],
                    ["INCRBY", "n", "0"], ["ZADD", "z", "INCR", "1", "a"],
                    ["ZINCRBY", "z", "1", "a"],
                    ["DEL", "s2", "nokey"], ["UNLINK", "l"]):
        streams.step(command)


def test_keyspace_commands_go_as_called(streams):
    for commands in (
        [["SET", "a", "1"], ["FLUSHALL"]],
        [["FLUSHALL"]],
        [["flushall", "async"]],
        [["SET", "a", "1"], ["FLUSHDB"]],
        [["FLUSHDB", "SYNC"]],
        [["SWAPDB", "0", "1"]],
        [["SWAPDB", "0", "0"]],
        [["SET", "a", "1"], ["MOVE", "a", "3"], ["MOVE", "a", "3"]],
        [["SET", "a", "1", "EX", "100"], ["COPY", "a", "b"], ["COPY", "a", "b"],
         ["COPY", "a", "b", "DB", "5", "REPLACE"]],
        [["RENAME", "a", "c"], ["RENAMENX", "c", "b"], ["RENAMENX", "c", "d"]],
        [["RPUSH", "l", "3", "1", "2"], ["SORT", "l", "STORE", "dst"], ["SORT", "l"],
         ["SORT", "nol", "STORE", "dst"]],
        [["SADD", "s", "a"], ["SINTERSTORE", "d", "s", "t"], ["SUNIONSTORE", "d", "s"],
         ["SMOVE", "s", "t", "a"]],
        [["ZADD", "z", "1", "a"], ["ZUNIONSTORE", "zd", "1", "z"],
         ["ZRANGESTORE", "zd", "z", "5", "10"]],
        [["PUBLISH", "ch", "msg"], ["SPUBLISH", "ch", "msg"]],
        [["SET", "a", "1"], ["SAVE"], ["SET", "b", "1"]],
        [["MULTI"], ["SET", "a", "2"], ["SAVE"], ["EXEC"]],
        [["DEBUG", "POPULATE", "3"], ["CONFIG", "SET", "maxmemory-samples", "5"]],
    ):
        streams.step(*commands)


def test_lazily_expired_keys_are_deleted_on_replicas(streams):
    streams.run(["DEBUG", "SET-ACTIVE-EXPIRE", "0"])

    def expired():
        streams.run(["SET", "k", "v", "PX", "1"])
        time.sleep(0.01)

    for commands in (
        [["GET", "k"]],
        [["EXISTS", "k"]],
        [["TTL", "k"]],
        [["SET", "k", "w"]],
        [["SETNX", "k", "x"]],
        [["MSET", "k", "1", "z", "2"]],
        [["RPUSH", "k", "x"]],
        [["MULTI"], ["GET", "k"], ["SET", "x", "1"], ["EXEC"]],
        [["MULTI"], ["GET", "k"], ["EXEC"]],
        [["SCAN", "0"]],
        [["KEYS", "*"]],
        [["DBSIZE"]],
    ):
        expired()
        streams.step(*commands)
    # A key expired in another database than the client's.
    streams.step(["SELECT", "4"], ["SET", "k", "v", "PX", "1"], ["SELECT", "0"], ["SET", "x", "1"],
                 sleep=0.01)
    streams.step(["COPY", "x", "k", "DB", "4"])
    streams.config_set("lazyfree-lazy-expire", "yes")
    try:
        expired()
        streams.step(["GET", "k"])
        streams.step(["SET", "k", "v"], ["EXPIRE", "k", "-1"])
        streams.step(["SET", "k", "v"], ["GETEX", "k", "PXAT", "1"])
    finally:
        streams.config_set("lazyfree-lazy-expire", "no")


def test_actively_expired_keys_are_deleted_on_replicas(streams):
    streams.step(["SET", "k", "v", "PX", "1"], sleep=0.5)
    streams.step(["SET", "k", "v", "PXAT", "1"], sleep=0.5)
    streams.step(["SELECT", "7"], ["SET", "k", "v", "PX", "1"], ["SELECT", "0"], sleep=0.5)


def test_lazyfree_settings_choose_unlink(streams):
    streams.config_set("lazyfree-lazy-user-del", "yes")
    streams.config_set("lazyfree-lazy-server-del", "yes")
    try:
        streams.step(["SET", "k", "v"], ["GETDEL", "k"])
        streams.run(["SET", "x", "hello"])
        payload = run_command(streams.redis.client, "DUMP", "x")
        streams.step(["RESTORE", "r", "0", payload], ["RESTORE", "r", "1", payload, "REPLACE",
                                                      "ABSTTL"])
        streams.step(["SADD", "s", "a"], ["SPOP", "s", "5"])
    finally:
        streams.config_set("lazyfree-lazy-user-del", "no")
        streams.config_set("lazyfree-lazy-server-del", "no")


def test_every_write_family_goes_as_redis_sends_it(streams):
    for commands in (
        [["RPUSH", "l", "a", "b", "c"], ["LPUSHX", "l", "z"], ["RPUSHX", "nol", "z"],
         ["LINSERT", "l", "BEFORE", "b", "x"], ["LINSERT", "l", "BEFORE", "nope", "x"],
         ["LSET", "l", "0", "y"], ["LREM", "l", "0", "x"], ["LTRIM", "l", "1", "-1"],
         ["LMOVE", "l", "l", "LEFT", "RIGHT"], ["RPOPLPUSH", "l", "l2"], ["LPOP", "l"],
         ["RPOP", "l", "2"], ["RPOP", "l", "0"]],
        [["HSET", "h", "a", "1", "b", "2"], ["HSETNX", "h", "a", "3"], ["HSETNX", "h", "c", "3"],
         ["HMSET", "h", "a", "9"], ["HINCRBY", "h", "a", "5"], ["HDEL", "h", "zz"],
         ["HDEL", "h", "a", "b"], ["HDEL", "h", "c"]],
        [["SADD", "s", "1", "2", "3"], ["SADD", "t", "3", "4"], ["SREM", "s", "1", "9"],
         ["SMOVE", "s", "t", "2"], ["SINTERSTORE", "i", "s", "t"], ["SDIFFSTORE", "d", "t", "s"],
         ["SUNIONSTORE", "u", "s", "t"], ["SINTERSTORE", "i", "nos"]],
        [["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["ZADD", "z", "GT", "CH", "0", "a"],
         ["ZADD", "z", "LT", "CH", "0", "a"], ["ZADD", "z", "XX", "5", "new"],
         ["ZINCRBY", "z", "2.5", "b"], ["ZREM", "z", "nope"], ["ZREM", "z", "a"],
         ["ZREMRANGEBYSCORE", "z", "100", "200"], ["ZREMRANGEBYRANK", "z", "0", "0"],
         ["ZADD", "y", "0", "a", "0", "b"], ["ZREMRANGEBYLEX", "y", "[a", "[a"],
         ["ZINTERSTORE", "zi", "2", "z", "y"], ["ZDIFFSTORE", "zd", "1", "z"],
         ["ZUNIONSTORE", "zu", "2", "z", "y", "WEIGHTS", "1", "2"], ["ZPOPMAX", "z"]],
        [["SET", "n", "10"], ["INCR", "n"], ["DECR", "n"], ["DECRBY", "n", "3"],
         ["INCRBY", "n", "-2"], ["APPEND", "n", "x"], ["SETRANGE", "n", "1", "yy"],
         ["SETRANGE", "m", "3", "z"], ["MSET", "a", "1"], ["SETNX", "a", "2"]],
        [["SET", "a", "1"], ["RENAME", "a", "a"], ["RENAMENX", "a", "a"], ["COPY", "a", "a"],
         ["EXPIRE", "a", "100"], ["RENAME", "a", "b"], ["TOUCH", "b"], ["DEL", "b", "c"],
         ["UNLINK", "nokey"], ["SET", "x", "1"], ["MOVE", "x", "0"]],
        [["RPUSH", "src", "3", "1", "2"], ["SET", "w_1", "9"], ["SET", "w_2", "1"],
         ["SORT", "src", "BY", "w_*", "STORE", "dst"],
         ["SORT", "src", "LIMIT", "0", "1", "STORE", "dst"],
         ["SORT_RO", "src"]],
    ):
        streams.step(*commands)


def test_a_redis_replica_ends_with_what_the_master_decided(start_server):
    """TTLs computed from the master's clock, members it popped at random, float sums and keys
    it found expired reach a real Redis replica as the master's decisions."""
    master = start_server("tandem", "--repl-diskless-sync-delay", "0")
    replica = start_server("redis", "--replicaof", HOST, master.port)
    m, r = make_client(master.port), make_client(replica.port)
    try:
        wait_synced(m, r)
        for command in (
            ["SET", "ex", "v", "EX", "1000"], ["SETEX", "setex", "1000", "v"],
            ["SET", "e", "v"], ["EXPIRE", "e", "1000"], ["SET", "g", "v"],
            ["GETEX", "g", "PX", "1000000"], ["SET", "f", "0.1"], ["INCRBYFLOAT", "f", "0.2"],
            ["HINCRBYFLOAT", "h", "x", "1.1"], ["SADD", "s", *(str(i) for i in range(50))],
            ["SPOP", "s"], ["SPOP", "s", "5"], ["SPOP", "s", "30"],
            ["RPUSH", "l", "a", "b", "c"], ["LMPOP", "1", "l", "LEFT", "COUNT", "2"],
            ["ZADD", "z", "1", "a", "2", "b"], ["BZMPOP", "0", "1", "z", "MAX", "COUNT", "9"],
            ["MULTI"], ["SADD", "t", "1", "2", "3"], ["SPOP", "t", "2"],
            ["SET", "m", "v", "PX", "500000"], ["EXEC"], ["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
            ["SET", "gone", "v", "PX", "1"],
        ):
            run_command(m, *command)
        time.sleep(0.01)
        run_command(m, "GET", "gone")
        run_command(m, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
        wait_synced(m, r)
        assert snapshot(m) == snapshot(r)
    finally:
        close_client(m)
        close_client(r)
