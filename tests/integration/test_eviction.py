"""maxmemory and its eviction policies, tandem beside the real redis-server 7.0.

Both servers start with the same configuration. Where the outcome is deterministic (the OOM
text, which commands are refused, what a replica receives, OBJECT FREQ after RESTORE, the
IDLE/FREQ bytes of a dump) the replies are compared exactly; where it depends on each
server's own memory figures (how many keys go) both must honour the limit the same way:
evict until used memory is within it, count evicted_keys, never touch keys a volatile policy
must keep.
"""

import time

import pytest

from conftest import assert_same, wait_until
from fake_replica import FakeReplica, without_pings
from servers import ServerProcess, close_client, make_client

OOM = "OOM command not allowed when used memory > 'maxmemory'."
POLICIES = ["allkeys-random", "allkeys-lru", "allkeys-lfu", "volatile-random", "volatile-lru",
            "volatile-lfu", "volatile-ttl"]


def used_memory(client):
    return client.info("memory")["used_memory"]


def evicted_keys(client):
    return client.info("stats")["evicted_keys"]


def error_of(client, *args):
    with pytest.raises(Exception) as raised:
        client.execute_command(*args)
    return str(raised.value)


@pytest.fixture
def pair(start_pair):
    servers = start_pair()
    clients = [s.client() for s in servers]
    yield clients
    for c in clients:
        close_client(c)


def test_noeviction_refuses_denyoom_commands_with_redis_text(pair):
    for c in pair:
        c.set("k", "v")
        c.config_set("maxmemory", 1)
    assert_same(pair, "SET", "k", "other")
    assert_same(pair, "LPUSH", "list", "x")
    for c in pair:
        assert error_of(c, "SET", "k", "other") == OOM
    # Reads and deletions still run: they cannot grow memory.
    assert_same(pair, "GET", "k")
    assert_same(pair, "EXISTS", "k")
    # Inside MULTI even a read is refused (queuing grows memory) and EXEC aborts with the reason.
    assert_same(pair, "MULTI")
    assert_same(pair, "GET", "k")
    assert_same(pair, "EXEC")
    assert_same(pair, "DEL", "k")
    for c in pair:
        assert evicted_keys(c) == 0
        c.config_set("maxmemory", 0)
    assert_same(pair, "SET", "k", "v")


def test_exec_of_queued_denyoom_command_is_refused(pair):
    for c in pair:
        c.execute_command("MULTI")
        c.execute_command("SET", "k", "v")
    # Another connection lowers the limit while the transaction is open.
    others = [make_client(c.connection_pool.connection_kwargs["port"]) for c in pair]
    try:
        for o in others:
            o.config_set("maxmemory", 1)
        assert_same(pair, "EXEC")
        for o in others:
            o.config_set("maxmemory", 0)
    finally:
        for o in others:
            close_client(o)


def fill(client, count, prefix="key", ttl=None, size=1000):
    pipe = client.pipeline(transaction=False)
    for i in range(count):
        if ttl:
            pipe.set(f"{prefix}:{i}", "x" * size, ex=ttl + i)
        else:
            pipe.set(f"{prefix}:{i}", "x" * size)
    pipe.execute()


@pytest.mark.parametrize("policy", POLICIES)
def test_policy_evicts_until_memory_is_within_the_limit(pair, policy):
    volatile = policy.startswith("volatile")
    for c in pair:
        c.config_set("maxmemory-policy", policy)
        limit = used_memory(c) + 200_000
        c.config_set("maxmemory", limit)
        for batch in range(10):
            fill(c, 100, prefix=f"b{batch}", ttl=1000 if volatile else None)
            assert used_memory(c) < limit + 20_000, f"{c} over the limit"
        assert evicted_keys(c) > 0
        assert 0 < c.dbsize() < 1000
        assert evicted_keys(c) + c.dbsize() == 1000


@pytest.mark.parametrize("policy", ["volatile-lru", "volatile-lfu", "volatile-random",
                                    "volatile-ttl"])
def test_volatile_policies_never_evict_keys_without_ttl(pair, policy):
    for c in pair:
        fill(c, 300, prefix="persistent")
        fill(c, 20, prefix="volatile", ttl=1000)
        c.config_set("maxmemory-policy", policy)
        c.config_set("maxmemory", used_memory(c) - 100_000)
        # Evicting every volatile key is not enough: what remains has no TTL, so OOM.
        assert error_of(c, "SET", "new", "x" * 100) == OOM
        assert evicted_keys(c) == 20
        assert c.dbsize() == 300
        assert all(c.ttl(f"persistent:{i}") == -1 for i in range(300))
        # Reads still work.
        assert c.get("persistent:0") == b"x" * 1000


def test_volatile_ttl_evicts_the_keys_closest_to_expiring_first(pair):
    for c in pair:
        c.config_set("maxmemory-policy", "volatile-ttl")
        fill(c, 200, prefix="soon", ttl=1000)     # TTL 1000..1199 s
        fill(c, 200, prefix="late", ttl=100_000)  # TTL 100000.. s
        c.config_set("maxmemory", used_memory(c) - 100_000)
        c.set("trigger", "x")
        soon = sum(c.exists(f"soon:{i}") for i in range(200))
        late = sum(c.exists(f"late:{i}") for i in range(200))
        # About 100 keys must go; the pool keeps the soonest-expiring candidates.
        assert 200 - soon >= 80, (soon, late)
        assert 200 - late <= 10, (soon, late)


def test_allkeys_lru_keeps_recently_read_keys(pair):
    for c in pair:
        c.config_set("maxmemory-policy", "allkeys-lru")
        c.config_set("maxmemory-samples", 10)
        fill(c, 400, prefix="old")
    time.sleep(2.2)  # the LRU clock has one-second resolution
    for c in pair:
        pipe = c.pipeline(transaction=False)
        for i in range(0, 400, 2):
            pipe.get(f"old:{i}")  # the even keys are hot
        pipe.execute()
        c.config_set("maxmemory", used_memory(c) + 100_000)
        fill(c, 300, prefix="new")
        hot = sum(c.exists(f"old:{i}") for i in range(0, 400, 2))
        cold = sum(c.exists(f"old:{i}") for i in range(1, 400, 2))
        assert evicted_keys(c) > 100
        assert hot > cold + 50, (hot, cold)


def test_eviction_fails_exec_of_watching_client(pair):
    for c in pair:
        c.config_set("maxmemory-policy", "allkeys-random")
        c.set("watched", "v")
        c.execute_command("WATCH", "watched")
        other = make_client(c.connection_pool.connection_kwargs["port"])
        try:
            other.config_set("maxmemory", 1)
            other.get("anything")  # runs the eviction: every key goes
            other.config_set("maxmemory", 0)
        finally:
            close_client(other)
        c.execute_command("MULTI")
        c.execute_command("GET", "watched")
        assert c.execute_command("EXEC") is None
        assert evicted_keys(c) >= 1


@pytest.mark.parametrize("lazy", ["no", "yes"])
def test_replicas_receive_evictions_as_del_or_unlink(lazy):
    masters = []
    try:
        for kind in ("redis", "tandem"):
            server = ServerProcess(kind, ["--repl-diskless-sync", "no",
                                          "--repl-ping-replica-period", "3600",
                                          "--maxmemory-policy", "allkeys-random",
                                          "--lazyfree-lazy-eviction", lazy]).start()
            client = make_client(server.port)
            replica = FakeReplica(server.port)
            masters.append((server, client, replica))
        streams = []
        for server, client, replica in masters:
            client.execute_command("SELECT", 3)
            client.set("in3", "v")
            client.execute_command("SELECT", 0)
            client.set("in0", "v")
            client.config_set("maxmemory", 1)
            client.get("nothing")  # evictions run before any command
            assert client.dbsize() == 0
            client.config_set("maxmemory", 0)
            marker = [b"PUBLISH", b"marker", b"1"]
            client.execute_command(*marker)
            streams.append(without_pings(replica.commands_until(marker)))
        theirs, ours = streams
        command = b"UNLINK" if lazy == "yes" else b"DEL"
        assert [command, b"in3"] in ours and [command, b"in0"] in ours
        assert ours == theirs
    finally:
        for server, client, replica in masters:
            replica.close()
            close_client(client)
            server.destroy()


def test_redis_replica_of_tandem_sees_evicted_keys_deleted(start_server):
    master = start_server("tandem", "--maxmemory-policy", "allkeys-random")
    replica = start_server("redis")
    m, r = master.client(), replica.client()
    try:
        fill(m, 500, prefix="k", size=2000)
        r.execute_command("REPLICAOF", "127.0.0.1", master.port)
        wait_until(lambda: r.dbsize() == 500, timeout=20)
        m.config_set("maxmemory", used_memory(m) - 300_000)
        m.set("trigger", "x")  # evicts before it runs
        m.config_set("maxmemory", 0)  # no more evictions while the two are compared
        evicted = evicted_keys(m)
        assert evicted > 50
        wait_until(lambda: r.dbsize() == m.dbsize(), timeout=20)
        assert sorted(r.keys("*")) == sorted(m.keys("*"))
        # The replica ignores maxmemory itself (replica-ignore-maxmemory yes).
        assert evicted_keys(r) == 0
    finally:
        close_client(m)
        close_client(r)


def test_tandem_replica_ignores_maxmemory_by_default(start_server):
    master = start_server("tandem")
    replica = start_server("tandem", "--maxmemory", "1", "--maxmemory-policy", "allkeys-random")
    m, r = master.client(), replica.client()
    try:
        r.execute_command("REPLICAOF", "127.0.0.1", master.port)
        fill(m, 100, prefix="k")
        wait_until(lambda: r.dbsize() == 100, timeout=20)
        r.get("k:1")
        assert evicted_keys(r) == 0 and r.dbsize() == 100
        r.config_set("replica-ignore-maxmemory", "no")
        r.get("k:1")
        assert r.dbsize() == 0 and evicted_keys(r) == 100
    finally:
        close_client(m)
        close_client(r)


def test_object_freq_after_accesses_is_close_to_redis(pair):
    for c in pair:
        c.config_set("maxmemory-policy", "allkeys-lfu")
    assert_same(pair, "SET", "k", "v")
    assert_same(pair, "OBJECT", "FREQ", "k")  # LFU_INIT_VAL
    # The counter is probabilistic: compare the mean over 20 keys read 500 times each (one
    # key's counter varies by about 2 between runs, the mean of 20 by about 0.5).
    means = []
    for c in pair:
        pipe = c.pipeline(transaction=False)
        for i in range(20):
            pipe.set(f"hot:{i}", "v")
        for _ in range(500):
            for i in range(20):
                pipe.get(f"hot:{i}")
        pipe.execute()
        means.append(sum(c.object("freq", f"hot:{i}") for i in range(20)) / 20)
    ours, theirs = means
    assert 12 <= ours <= 18 and abs(ours - theirs) <= 2.5, means
    # OBJECT IDLETIME is not tracked under LFU; OBJECT FREQ is not under LRU.
    assert_same(pair, "OBJECT", "IDLETIME", "k")
    for c in pair:
        c.config_set("maxmemory-policy", "allkeys-lru")
    assert_same(pair, "OBJECT", "FREQ", "k")


def test_restore_freq_and_idletime_follow_the_policy(pair):
    for c in pair:
        c.set("src", "value")
    payload = pair[0].dump("src")
    for c in pair:
        c.config_set("maxmemory-policy", "allkeys-lfu")
    assert_same(pair, "RESTORE", "f", "0", payload, "FREQ", "100")
    assert_same(pair, "OBJECT", "FREQ", "f")
    assert_same(pair, "RESTORE", "i", "0", payload, "IDLETIME", "1000")
    assert_same(pair, "OBJECT", "FREQ", "i")  # IDLETIME ignored under LFU: a new key's counter
    for c in pair:
        c.config_set("maxmemory-policy", "allkeys-lru")
    assert_same(pair, "RESTORE", "j", "0", payload, "IDLETIME", "1000")
    assert_same(pair, "OBJECT", "IDLETIME", "j")


def rdb_body(path):
    """The databases of an RDB file: from the first SELECTDB to EOF (the AUX fields before it
    hold times and memory figures that differ between servers)."""
    data = open(path, "rb").read()
    start = data.index(b"\xfe\x00")
    return data[start:-9]


@pytest.mark.parametrize("policy,opcode", [("allkeys-lfu", b"\xf9"), ("volatile-lru", b"\xf8"),
                                           ("noeviction", None)])
def test_dump_key_access_bytes_match_redis(start_pair, policy, opcode):
    servers = start_pair("--maxmemory-policy", policy)
    clients = [s.client() for s in servers]
    try:
        source = clients[1]
        source.set("src", "value")
        payload = source.dump("src")
        for c in clients:
            c.delete("src")
            extra = ["FREQ", "77"] if "lfu" in policy else ["IDLETIME", "300"]
            c.execute_command("RESTORE", "key", "0", payload, *extra)
            c.execute_command("RESTORE", "ttl", "0", payload, *extra)
            c.execute_command("PEXPIREAT", "ttl", "4102444800000")
            c.execute_command("SAVE")
        ours, theirs = (rdb_body(f"{s.dir}/dump.rdb") for s in servers)
        if opcode:
            assert opcode in ours
        # Key order is each server's hash order: compare per key.
        def records(body):
            return sorted(body[body.index(b"\xfb") + 3:].split(b"value")[:-1])
        assert records(ours) == records(theirs), (ours, theirs)
    finally:
        for c in clients:
            close_client(c)


def test_lfu_dump_of_tandem_loads_in_redis_with_the_same_freq(start_server):
    tandem = start_server("tandem", "--maxmemory-policy", "allkeys-lfu")
    t = tandem.client()
    try:
        t.set("src", "v")
        payload = t.dump("src")
        expected = {}
        for freq in (0, 1, 5, 42, 200, 255):
            t.execute_command("RESTORE", f"f{freq}", "0", payload, "FREQ", freq)
            expected[f"f{freq}".encode()] = freq
        t.execute_command("SAVE")
    finally:
        close_client(t)
    redis = start_server("redis", "--maxmemory-policy", "allkeys-lfu", "--dir", tandem.dir)
    r = redis.client()
    try:
        for key, freq in expected.items():
            assert r.object("freq", key) == freq, key
    finally:
        close_client(r)
    # And back: Redis's dump loads in tandem with the same counters.
    r = redis.client()
    r.execute_command("SAVE")
    close_client(r)
    again = start_server("tandem", "--maxmemory-policy", "allkeys-lfu", "--dir", tandem.dir)
    a = again.client()
    try:
        for key, freq in expected.items():
            assert a.object("freq", key) == freq, key
    finally:
        close_client(a)


def test_lazy_eviction_frees_large_values_in_the_background(pair):
    for c in pair:
        c.config_set("maxmemory-policy", "allkeys-random")
        c.config_set("lazyfree-lazy-eviction", "yes")
        c.hset("bighash", mapping={f"f{i}": i for i in range(5000)})  # costly to free
        c.set("small", "v")  # cheap: freed on the spot
        c.config_set("maxmemory", 1)
        c.get("small")  # evicts both
        c.config_set("maxmemory", 0)
        wait_until(lambda: c.info("memory")["lazyfree_pending_objects"] == 0, timeout=10)
        assert c.dbsize() == 0 and evicted_keys(c) == 2
        assert c.info("memory")["lazyfreed_objects"] == 1


def test_info_reports_time_over_the_limit(pair):
    for c in pair:
        assert c.info("memory")["mem_not_counted_for_evict"] == 0  # no replicas, no AOF
        stats = c.info("stats")
        assert stats["total_eviction_exceeded_time"] == 0
        assert stats["current_eviction_exceeded_time"] == 0
        c.config_set("maxmemory", 1)
        assert error_of(c, "SET", "k", "v") == OOM
        time.sleep(0.3)
        stats = c.info("stats")
        assert stats["current_eviction_exceeded_time"] >= 250
        assert stats["total_eviction_exceeded_time"] >= stats["current_eviction_exceeded_time"]
        c.config_set("maxmemory", 0)
        c.config_resetstat()
        assert c.info("stats")["total_eviction_exceeded_time"] == 0
