"""MEMORY (USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP) against redis-server 7.0.

Reply shapes, field names and error texts are Redis's exactly. The byte counts are tandem's own
memory (its structures are not Redis's), so they are compared with Redis's within a factor, and
with tandem's own used_memory: MEMORY USAGE summed over a dataset must account for what the
dataset really added.
"""

import pytest

from conftest import RespError, assert_same, run_command


def usage(client, key, *options):
    return run_command(client, "MEMORY", "USAGE", key, *options)


@pytest.mark.parametrize("args", [
    (), ("HELP",), ("help", "x"), ("nosuch",), ("USAGE",), ("USAGE", "k", "SAMPLES"),
    ("USAGE", "k", "SAMPLES", "x"), ("USAGE", "k", "SAMPLES", "-1"), ("USAGE", "k", "foo", "1"),
    ("USAGE", "k", "SAMPLES", "1", "SAMPLES"), ("USAGE", "k", "SAMPLES", "1.5"),
    ("USAGE", "missing"), ("USAGE", "missing", "SAMPLES", "0"), ("STATS", "x"), ("DOCTOR", "x"),
    ("PURGE",), ("PURGE", "x"), ("MALLOC-STATS", "x"),
])  # fmt: skip
def test_memory_replies_and_errors_match_redis(both, args):
    assert_same(both, "SET", "k", "v")
    assert_same(both, "MEMORY", *args)


@pytest.mark.parametrize("name", ["memory|usage", "memory|stats", "memory|doctor",
                                  "memory|purge", "memory|malloc-stats", "memory|help"])
def test_memory_command_info_matches_redis(both, name):
    assert_same(both, "COMMAND", "INFO", name)


def test_memory_container_info_matches_redis_in_any_order(both):
    ours, theirs = (run_command(c, "COMMAND", "INFO", "memory")[0] for c in both)
    assert ours[:9] == theirs[:9]
    assert sorted(ours[9], key=repr) == sorted(theirs[9], key=repr)


# One key of each type and encoding.
DATASET = [
    ("SET", "s:int", "12345"),
    ("SET", "s:embstr", "hello"),
    ("SET", "s:raw", "x" * 200),
    ("APPEND", "s:appended", "y" * 100),
    ("RPUSH", "l:small", *[f"e{i}" for i in range(10)]),
    ("RPUSH", "l:large", *[f"element:{i}" for i in range(5000)]),
    ("SADD", "set:intset", *[str(i) for i in range(100)]),
    ("SADD", "set:hashtable", *[f"member:{i}" for i in range(2000)]),
    ("HSET", "h:listpack", *[x for i in range(20) for x in (f"f{i}", f"v{i}")]),
    ("HSET", "h:hashtable", *[x for i in range(2000) for x in (f"field:{i}", f"value:{i}")]),
    ("ZADD", "z:listpack", *[x for i in range(20) for x in (str(i), f"m{i}")]),
    ("ZADD", "z:skiplist", *[x for i in range(2000) for x in (str(i), f"member:{i}")]),
]


def test_memory_usage_is_close_to_redis_for_every_type(both):
    for command in DATASET:
        assert_same(both, *command)
    tandem, reference = both
    for key in sorted({c[1] for c in DATASET}):
        ours, theirs = usage(tandem, key), usage(reference, key)
        assert isinstance(ours, int) and ours > 0, key
        # Compact encodings hold Redis's very bytes; tables and nodes are laid out differently.
        assert theirs / 2 <= ours <= theirs * 2, (key, ours, theirs)


def test_memory_usage_grows_with_the_value(tandem):
    run_command(tandem, "HSET", "h", "f", "v")
    small = usage(tandem, "h")
    run_command(tandem, "HSET", "h", "g", "w" * 1000)
    assert usage(tandem, "h") > small + 1000
    run_command(tandem, "SET", "s", "a")
    inline = usage(tandem, "s")
    run_command(tandem, "SET", "s", "a" * 5000)
    assert usage(tandem, "s") >= inline + 5000


def test_samples_extrapolate_from_the_first_elements_as_redis(both):
    """A skiplist whose lowest members are short and the rest long: the default 5 samples see
    only short ones and underestimate; SAMPLES 0 sees everything. Both servers agree on that."""
    members = [x for i in range(200) for x in (str(i), f"m{i}" if i < 5 else "long" * 50 + str(i))]
    assert_same(both, "ZADD", "z", *members)
    for client in both:
        default, everything = usage(client, "z"), usage(client, "z", "SAMPLES", "0")
        assert usage(client, "z", "SAMPLES", "5") == default
        assert everything > default * 2, (default, everything)
        assert usage(client, "z", "SAMPLES", "1000") == everything
    # Compact encodings are measured whole whatever the samples.
    assert_same(both, "HSET", "h", "a", "1")
    for client in both:
        assert usage(client, "h", "SAMPLES", "1") == usage(client, "h", "SAMPLES", "0")


def test_memory_usage_accounts_for_used_memory(tandem):
    """The keys' MEMORY USAGE adds up to what they added to used_memory (within 25%)."""

    def used_memory():
        info = run_command(tandem, "INFO", "memory").decode()
        return int(info.split("used_memory:")[1].split("\r\n")[0])

    before = used_memory()
    pipe = tandem.pipeline(transaction=False)
    for i in range(2000):
        pipe.execute_command("HSET", f"hash:{i}", "field", f"value:{i}", "other", "x" * 30)
        pipe.execute_command("SET", f"string:{i}", "y" * 40)
        pipe.execute_command("SADD", f"set:{i}", "a", "b", "c")
    pipe.execute()
    added = used_memory() - before
    keys = [f"{kind}:{i}" for i in range(2000) for kind in ("hash", "string", "set")]
    total = sum(usage(tandem, key) for key in keys)
    assert 0.75 * added <= total <= 1.25 * added, (total, added)


def stats_map(reply):
    return {reply[i]: reply[i + 1] for i in range(0, len(reply), 2)}


def test_memory_stats_has_redis_fields_in_redis_order(both):
    for db in ("0", "3"):
        assert_same(both, "SELECT", db)
        assert_same(both, "SET", "k", "v", "EX", "100")
        assert_same(both, "SET", "j", "v")
    assert_same(both, "SELECT", "0")
    ours, theirs = (run_command(c, "MEMORY", "STATS") for c in both)
    assert ours[0::2] == theirs[0::2]
    ours, theirs = stats_map(ours), stats_map(theirs)
    for name, value in theirs.items():
        assert type(ours[name]) is type(value), name
        if name.startswith(b"db."):
            assert ours[name][0::2] == value[0::2]
    assert ours[b"keys.count"] == theirs[b"keys.count"] == 4
    assert ours[b"total.allocated"] <= ours[b"peak.allocated"]
    assert ours[b"overhead.total"] + ours[b"dataset.bytes"] == ours[b"total.allocated"]
    db0 = stats_map(ours[b"db.0"])
    assert db0[b"overhead.hashtable.main"] > 0 and db0[b"overhead.hashtable.expires"] > 0


def test_memory_stats_matches_info_memory(tandem):
    stats = stats_map(run_command(tandem, "MEMORY", "STATS"))
    info = dict(line.split(":", 1) for line in
                run_command(tandem, "INFO", "memory").decode().split("\r\n") if ":" in line)
    assert int(info["used_memory_startup"]) == stats[b"startup.allocated"]
    assert int(info["mem_clients_normal"]) == stats[b"clients.normal"]


def test_memory_doctor_malloc_stats_and_purge(both):
    for client in both:
        report = run_command(client, "MEMORY", "DOCTOR")
        assert report.startswith(b"Hi Sam") or report.startswith(b"Sam, I detected")
        assert report.endswith(b"\n")
        stats = run_command(client, "MEMORY", "MALLOC-STATS")
        assert isinstance(stats, bytes) and stats
    assert_same(both, "MEMORY", "PURGE")
    assert not isinstance(run_command(both[0], "MEMORY", "DOCTOR"), RespError)
