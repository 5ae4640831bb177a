"""Keyspace notifications (notify-keyspace-events) against the real redis-server 7.0: the same
commands on both servers must publish the same __keyspace@<db>__ / __keyevent@<db>__ messages,
in the same order."""

import time

import pytest

from conftest import close_client, make_client, wait_until

# Commands of every family, each followed by what Redis publishes for it (the test compares
# with Redis itself; the grouping just keeps failures readable).
SCRIPTS = {
    "strings": [
        ("SET", "s", "1"), ("SET", "s", "2", "EX", "100"), ("SETNX", "s", "x"), ("SETNX", "s2", "x"),
        ("SETEX", "s3", "100", "v"), ("PSETEX", "s4", "100000", "v"), ("GETSET", "s", "3"),
        ("MSET", "m1", "a", "m2", "b"), ("MSETNX", "m3", "c", "m4", "d"), ("APPEND", "s", "x"),
        ("SETRANGE", "s", "1", "yy"), ("INCR", "n"), ("DECR", "n"), ("INCRBY", "n", "5"),
        ("DECRBY", "n", "2"), ("INCRBYFLOAT", "f", "1.5"), ("GETDEL", "m1"), ("GETDEL", "nope"),
        ("GETEX", "m2", "EX", "100"), ("GETEX", "m2", "PERSIST"), ("GETEX", "m2"),
        ("SET", "s", "v", "KEEPTTL"), ("SET", "s", "v", "NX"), ("SET", "s", "w", "XX", "GET"),
        ("GETEX", "m2", "PXAT", "1"),
    ],
    "generic": [
        ("SET", "a", "1"), ("EXPIRE", "a", "100"), ("PEXPIRE", "a", "100000"),
        ("EXPIREAT", "a", "99999999999"), ("PERSIST", "a"), ("EXPIRE", "a", "-1"),
        ("SET", "a", "1"), ("RENAME", "a", "b"), ("RENAMENX", "b", "c"), ("SET", "d", "1"),
        ("RENAMENX", "c", "d"), ("COPY", "c", "e"), ("COPY", "c", "d", "REPLACE"),
        ("MOVE", "c", "1"), ("DEL", "d", "e", "nope"), ("UNLINK", "x"), ("SET", "u", "1"),
        ("UNLINK", "u"), ("RPUSH", "l", "3", "1", "2"), ("SORT", "l", "STORE", "sorted"),
        ("SORT", "nope", "STORE", "sorted"), ("SET", "t", "1"), ("PEXPIREAT", "t", "1"),
        ("SET", "r", "v"),
        ("FLUSHDB",),
    ],
    "lists": [
        ("LPUSH", "l", "a", "b"), ("RPUSH", "l", "c"), ("LPUSHX", "l", "d"), ("RPUSHX", "nope", "x"),
        ("LINSERT", "l", "BEFORE", "a", "z"), ("LSET", "l", "0", "q"), ("LREM", "l", "0", "z"),
        ("LTRIM", "l", "0", "2"), ("LPOP", "l"), ("RPOP", "l", "1"), ("RPUSH", "l", "1", "2"),
        ("LMOVE", "l", "l2", "LEFT", "RIGHT"), ("RPOPLPUSH", "l", "l2"), ("LMPOP", "1", "l2", "LEFT",
        "COUNT", "5"), ("RPUSH", "l", "x"), ("BLPOP", "l", "0.01"), ("LTRIM", "l", "1", "0"),
        ("RPUSH", "l3", "a"), ("LTRIM", "l3", "1", "0"),
    ],
    "hashes": [
        ("HSET", "h", "a", "1", "b", "2"), ("HSETNX", "h", "a", "x"), ("HSETNX", "h", "c", "3"),
        ("HMSET", "h", "d", "4"), ("HINCRBY", "h", "a", "2"), ("HINCRBYFLOAT", "h", "b", "0.5"),
        ("HDEL", "h", "a", "nope"), ("HDEL", "h", "b", "c", "d"),
    ],
    "sets": [
        ("SADD", "s", "a", "b", "c"), ("SADD", "s", "a"), ("SREM", "s", "a"), ("SMOVE", "s", "t", "b"),
        ("SADD", "u", "1", "2"), ("SINTERSTORE", "i", "s", "t"), ("SUNIONSTORE", "un", "s", "t"),
        ("SDIFFSTORE", "d", "u", "s"), ("SINTERSTORE", "d", "s", "nope"), ("SPOP", "u"),
        ("SPOP", "u", "5"), ("SREM", "un", "b", "c"), ("SMOVE", "s", "t", "c"),
    ],
    "zsets": [
        ("ZADD", "z", "1", "a", "2", "b", "3", "c"), ("ZADD", "z", "INCR", "1", "a"),
        ("ZINCRBY", "z", "1", "b"), ("ZADD", "z", "NX", "1", "a"), ("ZREM", "z", "a", "nope"),
        ("ZADD", "z", "5", "d", "6", "e"), ("ZREMRANGEBYSCORE", "z", "6", "6"),
        ("ZREMRANGEBYRANK", "z", "0", "0"), ("ZADD", "y", "0", "a", "0", "b", "0", "c"),
        ("ZREMRANGEBYLEX", "y", "[a", "[a"), ("ZUNIONSTORE", "zu", "2", "z", "y"),
        ("ZINTERSTORE", "zi", "2", "z", "y"), ("ZDIFFSTORE", "zd", "1", "z"),
        ("ZRANGESTORE", "zr", "z", "0", "-1"), ("ZPOPMIN", "zu"), ("ZPOPMAX", "zu", "2"),
        ("ZMPOP", "1", "zu", "MIN", "COUNT", "10"), ("BZPOPMIN", "zd", "0.01"),
        ("ZINTERSTORE", "zi", "2", "z", "nope"), ("ZREMRANGEBYRANK", "y", "0", "-1"),
    ],
}


def collect(server, flags, commands):
    sub = make_client(server.port)
    cmd = make_client(server.port)
    try:
        cmd.flushall()
        cmd.config_set("notify-keyspace-events", flags)
        pubsub = sub.pubsub()
        pubsub.psubscribe("__key*__:*")
        pubsub.get_message(timeout=5)  # the confirmation
        for command in commands:
            try:
                cmd.execute_command(*command)
            except Exception as e:  # errors are part of the script too
                pass
        cmd.execute_command("PUBLISH", "__keyspace@0__:end", "end")
        messages = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            m = pubsub.get_message(timeout=1)
            if m is None:
                continue
            if m["channel"] == b"__keyspace@0__:end":
                break
            messages.append((m["channel"], m["data"]))
        pubsub.close()
        cmd.config_set("notify-keyspace-events", "")
        return messages
    finally:
        close_client(sub)
        close_client(cmd)


@pytest.mark.parametrize("family", sorted(SCRIPTS))
@pytest.mark.parametrize("flags", ["KEA", "Kg$lshzx", "E$", "Kl"])
def test_events_match_redis(tandem_server, redis_server, family, flags):
    expected = collect(redis_server, flags, SCRIPTS[family])
    actual = collect(tandem_server, flags, SCRIPTS[family])
    assert actual == expected


def test_expired_and_keymiss_events_match_redis(tandem_server, redis_server):
    results = []
    for server in (redis_server, tandem_server):
        sub = make_client(server.port)
        cmd = make_client(server.port)
        try:
            cmd.flushall()
            cmd.config_set("notify-keyspace-events", "KExm")
            pubsub = sub.pubsub()
            pubsub.psubscribe("__key*__:*")
            pubsub.get_message(timeout=5)
            cmd.set("gone", "v", px=1)
            time.sleep(0.05)
            cmd.get("gone")  # expired on access, then a miss
            cmd.get("never")
            got = []
            wait_until(lambda: got.extend(filter(None, [pubsub.get_message(timeout=0.2)])) or
                       len(got) >= 6, timeout=5)
            results.append([(m["channel"], m["data"]) for m in got])
            pubsub.close()
            cmd.config_set("notify-keyspace-events", "")
        finally:
            close_client(sub)
            close_client(cmd)
    assert results[0] == results[1]


def test_new_and_restore_events_match_redis(tandem_server, redis_server):
    # 'n' (not part of A) announces every key created; RESTORE has an event of its own.
    results = []
    for server in (redis_server, tandem_server):
        c = make_client(server.port)
        try:
            c.flushall()
            c.set("src", "v")
            payload = c.dump("src")
            results.append(collect(server, "KEn", [
                ("SET", "a", "1"), ("SET", "a", "2"), ("RPUSH", "l", "x"), ("RPUSH", "l", "y"),
                ("RESTORE", "r", "0", payload), ("RESTORE", "r", "0", payload, "REPLACE"),
                ("RESTORE", "r", "1", payload, "REPLACE", "ABSTTL")]))
            results.append(collect(server, "KEg", [
                ("SET", "src", "v"), ("RESTORE", "r", "0", payload),
                ("RESTORE", "r", "1", payload, "REPLACE", "ABSTTL")]))
        finally:
            close_client(c)
    assert results[:2] == results[2:]


MISS_PROBES = [("EXISTS", "a"), ("TYPE", "b"), ("TTL", "c"), ("OBJECT", "ENCODING", "d"),
               ("MGET", "e", "f"), ("HGET", "g", "x"), ("SINTER", "p", "q"), ("COPY", "v", "w"),
               ("TOUCH", "x"), ("GETDEL", "y"), ("INCR", "z"), ("RANDOMKEY",), ("DEL", "q"),
               ("MEMORY", "USAGE", "m"), ("ZUNION", "1", "f"), ("SORT", "u")]


def test_keymiss_events_match_redis(tandem_server, redis_server):
    # Which lookups announce a miss is Redis's LOOKUP_NONOTIFY / write-lookup choice.
    assert collect(tandem_server, "Em", MISS_PROBES) == collect(redis_server, "Em", MISS_PROBES)


def test_evicted_keys_are_announced(start_server):
    # Which keys go differs between servers (sampling), so this checks tandem against itself:
    # one "evicted" event per evicted key, for keys that are indeed gone.
    server = start_server("tandem", "--maxmemory-policy", "allkeys-random",
                          "--notify-keyspace-events", "Ee")
    sub = make_client(server.port)
    c = make_client(server.port)
    try:
        pubsub = sub.pubsub()
        pubsub.subscribe("__keyevent@0__:evicted")
        pubsub.get_message(timeout=5)
        used = int(c.info("memory")["used_memory"])
        c.config_set("maxmemory", used + 200_000)
        for i in range(2000):
            c.set(f"k{i}", "x" * 500)
        evicted = int(c.info("stats")["evicted_keys"])
        assert evicted > 0
        keys = []
        wait_until(lambda: keys.extend(m["data"] for m in iter(
            lambda: pubsub.get_message(timeout=0.1), None) if m) or len(keys) >= evicted,
            timeout=10)
        assert len(keys) == evicted
        assert c.exists(*keys) == 0
        pubsub.close()
    finally:
        close_client(sub)
        close_client(c)
