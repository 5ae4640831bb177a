"""Lazy freeing against the real redis-server 7.0: UNLINK, DEL under lazyfree-lazy-user-del and
FLUSHALL / FLUSHDB ASYNC (or lazyfree-lazy-user-flush) hand what they drop to a background
thread, which INFO memory's lazyfreed_objects counts as Redis does: one per value whose freeing
is costly (more than 64 allocations), one per key of a flushed database."""

import pytest

from conftest import HOST, assert_same, assert_same_error, wait_until


def lazyfreed(client):
    return client.info("memory")["lazyfreed_objects"]


def settled_lazyfreed(client, expected):
    """Waits for the background thread, then returns the count (the caller compares)."""
    wait_until(lambda: client.info("memory")["lazyfree_pending_objects"] == 0
               and lazyfreed(client) >= expected, timeout=10)
    return lazyfreed(client)


LAZY_SETTINGS = ("lazyfree-lazy-user-del", "lazyfree-lazy-user-flush", "lazyfree-lazy-expire",
                 "lazyfree-lazy-server-del")


@pytest.fixture
def reset(both):
    for client in both:
        for name in LAZY_SETTINGS:
            client.config_set(name, "no")
        client.config_resetstat()
    yield both
    for client in both:
        for name in LAZY_SETTINGS:
            client.config_set(name, "no")


def fill(client):
    client.hset("bighash", mapping={f"f{i}": i for i in range(5000)})  # hashtable: 5000 to free
    client.rpush("smalllist", *range(10))  # one listpack: freed on the spot
    client.set("str", "x" * 1000)


def test_unlink_frees_large_values_in_the_background(reset):
    for client in reset:
        fill(client)
    assert_same(reset, "UNLINK", "bighash", "smalllist", "str", "missing")
    for client in reset:
        assert settled_lazyfreed(client, 1) == 1
        assert client.dbsize() == 0


def test_del_is_lazy_only_with_lazyfree_lazy_user_del(reset):
    for client in reset:
        fill(client)
        client.delete("bighash")
        assert lazyfreed(client) == 0
        fill(client)
        client.config_set("lazyfree-lazy-user-del", "yes")
        assert client.delete("bighash", "str") == 2
        assert settled_lazyfreed(client, 1) == 1


def test_flushall_async_frees_every_key_in_the_background(reset):
    for client in reset:
        client.mset({f"k{i}": i for i in range(1000)})
        client.execute_command("SELECT", 3)
        client.hset("bighash", mapping={f"f{i}": i for i in range(200)})
        client.execute_command("SELECT", 0)
    assert_same(reset, "FLUSHALL", "ASYNC")
    for client in reset:
        assert settled_lazyfreed(client, 1001) == 1001
        assert client.dbsize() == 0


def test_flushdb_follows_lazyfree_lazy_user_flush_unless_told(reset):
    for client in reset:
        client.mset({f"k{i}": i for i in range(100)})
        assert client.execute_command("FLUSHDB") is True
        assert lazyfreed(client) == 0
        client.config_set("lazyfree-lazy-user-flush", "yes")
        client.mset({f"k{i}": i for i in range(100)})
        assert client.execute_command("FLUSHDB") is True
        assert settled_lazyfreed(client, 100) == 100
        client.mset({f"k{i}": i for i in range(100)})
        assert client.execute_command("FLUSHDB", "SYNC") is True
        assert lazyfreed(client) == 100
        assert client.dbsize() == 0


@pytest.mark.parametrize("command", ["FLUSHALL", "FLUSHDB"])
@pytest.mark.parametrize("args", [("ASYNC", "SYNC"), ("LAZY",), ("async", "x")])
def test_flush_argument_errors(both, command, args):
    assert_same_error(both, command, *args)


def test_config_resetstat_clears_lazyfreed_objects(reset):
    for client in reset:
        fill(client)
        client.unlink("bighash")
        settled_lazyfreed(client, 1)
        client.config_resetstat()
        assert lazyfreed(client) == 0


@pytest.mark.parametrize("lazy", ["yes", "no"])
def test_expired_values_follow_lazyfree_lazy_expire(reset, lazy):
    # The expired key is deleted by the lookup that finds it expired, in the background only
    # with lazyfree-lazy-expire (and only when costly to free).
    for client in reset:
        client.config_set("lazyfree-lazy-expire", lazy)
        fill(client)
        client.pexpire("bighash", 1)
        client.pexpire("smalllist", 1)
    wait_until(lambda: all(c.pttl("bighash") == -2 for c in reset), timeout=10)
    expected = 1 if lazy == "yes" else 0
    for client in reset:
        assert client.exists("bighash", "smalllist") == 0
        assert settled_lazyfreed(client, expected) == expected


@pytest.mark.parametrize("lazy", ["yes", "no"])
@pytest.mark.parametrize("overwrite", [("SET", "bighash", "v"), ("RENAME", "str", "bighash"),
                                       ("SORT", "smalllist", "STORE", "bighash")])
def test_overwritten_values_follow_lazyfree_lazy_server_del(reset, lazy, overwrite):
    for client in reset:
        client.config_set("lazyfree-lazy-server-del", lazy)
        fill(client)
    assert_same(reset, *overwrite)
    expected = 1 if lazy == "yes" else 0
    for client in reset:
        assert settled_lazyfreed(client, expected) == expected


@pytest.mark.parametrize("lazy", ["yes", "no"])
def test_replica_lazy_flush_frees_the_old_dataset_in_the_background(start_server, clients, lazy):
    # The dataset a replica drops for its master's snapshot: one lazily freed object per key
    # with replica-lazy-flush yes, as in Redis, none without.
    master = start_server("redis", "--repl-diskless-sync-delay", "0")
    m = clients(master)
    m.set("from-master", "1")
    counts = []
    for kind in ("redis", "tandem"):
        replica = start_server(kind, "--replica-lazy-flush", lazy)
        r = clients(replica)
        for i in range(50):
            r.set(f"old:{i}", i)
        r.replicaof(HOST, master.port)
        wait_until(lambda: r.get("from-master") == b"1", what="the full sync")
        wait_until(lambda: r.info("memory")["lazyfree_pending_objects"] == 0)
        counts.append(r.info("memory")["lazyfreed_objects"])
        assert r.dbsize() == 1
    assert counts[0] == counts[1] == (50 if lazy == "yes" else 0)
