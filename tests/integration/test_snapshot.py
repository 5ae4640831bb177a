"""A background save while writes go on: what it costs and what INFO says about it.

- Copy-on-write of big collections: the first write to a hashtable set or hash that a running
  BGSAVE still shares must copy what it writes to (a chunk of buckets, a few entries), not the
  collection: used_memory grows by kilobytes, where a full copy would take megabytes.
- Progress: INFO persistence's current_save_keys_processed / current_save_keys_total and
  current_fork_perc, checked on tandem and on the real Redis 7.0 under the same save.
"""

import time

import pytest

from servers import make_client, close_client

MEMBERS = 200_000


def wait_until_saved(c, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if c.info("persistence")["rdb_bgsave_in_progress"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError("the background save did not finish")


def fill_big_collections(c):
    pipe = c.pipeline(transaction=False)
    for start in range(0, MEMBERS, 1000):
        members = [f"member:{i}" for i in range(start, start + 1000)]
        pipe.sadd("bigset", *members)
        pipe.hset("bighash", mapping={m: "value" for m in members})
    pipe.execute()
    assert c.scard("bigset") == MEMBERS and c.hlen("bighash") == MEMBERS
    assert c.object("encoding", "bigset") == b"hashtable"
    assert c.object("encoding", "bighash") == b"hashtable"


def used_memory(c):
    return c.info("memory")["used_memory"]


@pytest.mark.parametrize("write", ["sadd", "srem", "hset", "hdel"])
def test_one_write_to_a_big_collection_during_a_save_copies_little(start_server, write):
    tandem = start_server("tandem")
    c = make_client(tandem.port)
    try:
        fill_big_collections(c)
        c.set("z-last", "x")
        # Each key's save sleeps 1 s: the snapshot holds both collections for seconds.
        c.config_set("rdb-key-save-delay", 1_000_000)
        c.execute_command("BGSAVE")
        assert c.info("persistence")["rdb_bgsave_in_progress"] == 1
        before = used_memory(c)
        if write == "sadd":
            assert c.sadd("bigset", "new-member") == 1
        elif write == "srem":
            assert c.srem("bigset", "member:7") == 1
        elif write == "hset":
            assert c.hset("bighash", "member:7", "changed") == 0
        else:
            assert c.hdel("bighash", "member:7") == 1
        grown = used_memory(c) - before
        assert c.info("persistence")["rdb_bgsave_in_progress"] == 1, "the save ended too early"
        # A full copy of either collection is over 10 MB; a chunk and a few nodes are < 64 KB.
        assert grown < 256 * 1024, f"one {write} during the save allocated {grown} bytes"
        c.config_set("rdb-key-save-delay", 0)
    finally:
        close_client(c)


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_info_reports_the_running_saves_progress(start_server, kind):
    """Redis 7.0: current_save_keys_total is the number of keys when the save started (all
    databases), current_save_keys_processed how many the save has written so far, and
    current_fork_perc their ratio in percent; all three are 0 once no save runs."""
    server = start_server(kind)
    c = make_client(server.port)
    try:
        c.execute_command("DEBUG", "POPULATE", 10000, "a")
        c.execute_command("SELECT", 3)
        c.execute_command("DEBUG", "POPULATE", 5000, "b")
        info = c.info("persistence")
        assert (info["current_save_keys_processed"], info["current_save_keys_total"]) == (0, 0)
        c.config_set("rdb-key-save-delay", 200)  # 15000 keys: about 3 s
        c.execute_command("BGSAVE")
        c.set("added-during-the-save", 1)  # not part of the snapshot's total
        seen = []
        while True:
            info = c.info("persistence")
            if info["rdb_bgsave_in_progress"] == 0:
                break
            seen.append(info)
            time.sleep(0.2)
        assert len(seen) >= 5
        processed = [i["current_save_keys_processed"] for i in seen]
        assert all(i["current_save_keys_total"] == 15000 for i in seen)
        assert processed == sorted(processed) and processed[-1] <= 15000
        assert processed[-1] >= 1024 and processed[0] < 15000
        for i in seen:
            expected = i["current_save_keys_processed"] / 15000 * 100
            assert abs(float(i["current_fork_perc"]) - expected) < 0.01, i
        info = c.info("persistence")
        assert info["current_save_keys_processed"] == 0
        assert info["current_save_keys_total"] == 0
        assert float(info["current_fork_perc"]) == 0
        assert info["rdb_last_bgsave_status"] == "ok"
    finally:
        c.config_set("rdb-key-save-delay", 0)
        close_client(c)
