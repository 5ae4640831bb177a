"""RDB files and DUMP payloads across tandem and the real Redis 7.0, both ways.

A dataset with every type in every encoding, TTLs and several databases is saved by one server
and loaded by the other (started on that file), then compared key by key: type, encoding,
value and absolute expiry time. redis-check-rdb must accept tandem's files, and DUMP payloads
must RESTORE in the other server.
"""

import os
import shutil
import subprocess
import tempfile
import time

import pytest
import redis

from conftest import RespError, assert_same, populate, run_command, snapshot, wait_until
from servers import make_client, close_client

def save_and_copy(server):
    """SAVE on `server`; a new directory holding a copy of its dump.rdb."""
    c = make_client(server.port)
    try:
        assert c.execute_command("SAVE") in (b"OK", True)
    finally:
        close_client(c)
    target = tempfile.mkdtemp(prefix="rdb-it-")
    shutil.copy(os.path.join(server.dir, "dump.rdb"), os.path.join(target, "dump.rdb"))
    return target


def start_on(start_server, kind, directory):
    return start_server(kind, "--dir", directory, "--dbfilename", "dump.rdb")


def compare_loaded(source, loaded):
    a, b = make_client(source.port), make_client(loaded.port)
    try:
        assert snapshot(a) == snapshot(b)
    finally:
        close_client(a)
        close_client(b)


def populated_and_saved(start_server, kind):
    """A server of `kind` holding populate()'s dataset, and a copy of the dump it saved."""
    server = start_server(kind)
    c = make_client(server.port)
    populate(c)
    close_client(c)
    return server, save_and_copy(server)


def test_redis_loads_what_tandem_saved(start_server):
    tandem, directory = populated_and_saved(start_server, "tandem")
    redis = start_on(start_server, "redis", directory)
    compare_loaded(tandem, redis)


def test_redis_check_rdb_accepts_tandem_files(start_server):
    tandem, directory = populated_and_saved(start_server, "tandem")
    check = subprocess.run(["redis-check-rdb", os.path.join(directory, "dump.rdb")],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "RDB looks OK" in check.stdout


def test_tandem_loads_what_redis_saved(start_server):
    redis, directory = populated_and_saved(start_server, "redis")
    tandem = start_on(start_server, "tandem", directory)
    compare_loaded(redis, tandem)
    t = make_client(tandem.port)
    try:
        info = t.info("persistence")
        assert info["rdb_last_load_keys_loaded"] == sum(len(v) for v in snapshot(t).values())
    finally:
        close_client(t)


def test_tandem_loads_its_own_file_and_debug_reload(start_server):
    tandem = start_server("tandem")
    c = make_client(tandem.port)
    try:
        populate(c)
        before = snapshot(c)
        assert c.execute_command("DEBUG", "RELOAD") in (b"OK", True)
        assert snapshot(c) == before
    finally:
        close_client(c)
    directory = save_and_copy(tandem)
    again = start_on(start_server, "tandem", directory)
    compare_loaded(tandem, again)


def test_save_updates_lastsave_and_persistence_info(start_server):
    tandem = start_server("tandem")
    c = make_client(tandem.port)
    try:
        c.set("a", 1)
        c.set("b", 2)
        assert c.info("persistence")["rdb_changes_since_last_save"] == 2
        before = c.lastsave()
        assert c.execute_command("SAVE") in (b"OK", True)
        info = c.info("persistence")
        assert info["rdb_changes_since_last_save"] == 0
        assert info["rdb_saves"] == 1
        assert c.lastsave() >= before
        assert os.path.exists(os.path.join(tandem.dir, "dump.rdb"))
        assert not [f for f in os.listdir(tandem.dir) if f.startswith("temp-")]
    finally:
        close_client(c)


def test_corrupt_file_stops_startup_with_a_clear_error(start_server):
    directory = tempfile.mkdtemp(prefix="rdb-it-")
    with open(os.path.join(directory, "dump.rdb"), "wb") as f:
        f.write(b"REDIS0010\xfa\x09redis-ver\x06")  # cut inside an AUX field
    with pytest.raises(Exception) as failure:
        start_on(start_server, "tandem", directory)
    assert "Unexpected EOF" in str(failure.value)
    assert "offset" in str(failure.value)


def dump_all(c):
    payloads = {}
    for key in c.keys("*"):
        payloads[key] = c.dump(key)
    return payloads


@pytest.mark.parametrize("direction", ["tandem_to_redis", "redis_to_tandem"])
def test_dump_restores_in_the_other_server(both, direction):
    source, target = both if direction == "tandem_to_redis" else both[::-1]
    populate(source)
    source.execute_command("SELECT", 0)
    target.execute_command("SELECT", 0)
    for key, payload in dump_all(source).items():
        assert target.restore(key, 0, payload) in (b"OK", True), key
    snap_source = snapshot(source)[0]
    snap_target = snapshot(target)[0]
    for key, (t, enc, value, _) in snap_source.items():
        assert snap_target[key][:3] == (t, enc, value), key


def test_dump_payloads_are_byte_identical(both):
    tandem, redis_ref = both
    for c in both:
        c.set("int", 7)
        c.set("big", 1 << 40)
        c.set("s", "hello")
        c.set("long", "ab" * 100)
        c.rpush("list", "a", 1, "b", 1000000)
        c.sadd("intset", 3, 1, 2)
        c.hset("hash", mapping={"f": "v", "n": 5})
        c.zadd("zset", {"x": 1.5, "y": 2})
    for key in ["int", "big", "s", "long", "list", "intset", "hash", "zset", "missing"]:
        assert tandem.dump(key) == redis_ref.dump(key), key


def test_restore_errors_match(both):
    tandem, _ = both
    for c in both:
        c.set("k", "v")
    payload = tandem.dump("k")
    assert_same(both, "RESTORE", "k", 0, payload)  # BUSYKEY
    assert_same(both, "RESTORE", "k2", 0, payload[:-1] + b"\x00")
    assert_same(both, "RESTORE", "k2", 0, b"short")
    assert_same(both, "RESTORE", "k2", -1, payload)
    assert_same(both, "RESTORE", "k2", "x", payload)
    assert_same(both, "RESTORE", "k2", 0, payload, "BOGUS")
    assert_same(both, "RESTORE", "k2", 0, payload, "IDLETIME", -1)
    assert_same(both, "RESTORE", "k2", 0, payload, "FREQ", 256)
    assert_same(both, "RESTORE", "k2", 0, payload, "IDLETIME", 5, "FREQ", 3)
    assert_same(both, "RESTORE", "k", 0, payload, "REPLACE", "ABSTTL")
    assert_same(both, "RESTORE", "k3", 1, payload, "ABSTTL")  # already expired: OK, no key
    assert_same(both, "EXISTS", "k3")
    assert_same(both, "RESTORE", "k4", 100000, payload, "IDLETIME", 1000)
    assert_same(both, "OBJECT", "IDLETIME", "k4")
    assert_same(both, "DUMP", "missing")
    # Valid version and checksum over a body that does not decode.
    for body in (b"\x00\x0dabc", b"\x02\x02\x01a\x01a", b"\x0f\x00", b"\x63"):
        assert_same(both, "RESTORE", "k5", 0, with_footer(body))


def crc64(data):
    """Redis's CRC-64/Jones (reflected, initial value 0), bit by bit."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x95AC9329AC4BC9B5 if crc & 1 else crc >> 1
    return crc


def with_footer(body, version=10):
    payload = body + bytes([version, 0])
    return payload + crc64(payload).to_bytes(8, "little")


def test_restore_checks_version(both):
    for c in both:
        c.set("k", "v")
    body = both[0].dump("k")[:-10]
    assert_same(both, "RESTORE", "a", 0, with_footer(body, 11))
    assert_same(both, "RESTORE", "a", 0, with_footer(body, 9))
    assert_same(both, "GET", "a")


def test_command_info_matches(both):
    assert_same(both, "COMMAND", "INFO", "save", "dump", "restore")
    assert_same(both, "COMMAND", "GETKEYS", "RESTORE", "k", "0", "payload", "REPLACE")


def wait_for_bgsave(client, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = client.info("persistence")
        if info["rdb_bgsave_in_progress"] == 0 and info["rdb_saves"] > 0:
            return info
        time.sleep(0.05)
    raise AssertionError("the background save did not finish")


def test_bgsave_writes_a_file_redis_loads(start_server):
    tandem = start_server("tandem")
    c = make_client(tandem.port)
    try:
        populate(c)
        assert run_command(c, "BGSAVE") == b"Background saving started"
        c.set("written-during-the-save", "x")
        info = wait_for_bgsave(c)
        assert info["rdb_last_bgsave_status"] == "ok"
        assert info["rdb_changes_since_last_save"] >= 1  # the write during the save
        assert info["rdb_last_bgsave_time_sec"] >= 0
        c.delete("written-during-the-save")
    finally:
        close_client(c)
    assert not [f for f in os.listdir(tandem.dir) if f.startswith("temp-")]
    directory = tempfile.mkdtemp(prefix="rdb-it-")
    shutil.copy(os.path.join(tandem.dir, "dump.rdb"), os.path.join(directory, "dump.rdb"))
    redis = start_on(start_server, "redis", directory)
    compare_loaded(tandem, redis)


def test_bgsave_saves_the_dataset_as_it_was_when_it_started(start_server):
    """Writes of every kind run while the background save does (they are pipelined right behind
    BGSAVE, and INFO shows the save still in progress after them); the file must still hold
    the dataset of the moment BGSAVE ran: the real Redis loads it with the same DEBUG DIGEST
    (keys, values and expiry times) tandem had then. INFO reports the short freeze pause."""
    tandem = start_server("tandem")
    c = make_client(tandem.port)
    try:
        populate(c)
        c.execute_command("DEBUG", "POPULATE", 200000, "bulk", 20)
        for i in range(0, 200000, 50):
            c.pexpire(f"bulk:{i}", 3600000 + i)
        before = c.execute_command("DEBUG", "DIGEST")
        pipe = c.pipeline(transaction=False)
        pipe.execute_command("BGSAVE")
        for i in range(0, 200000, 97):
            pipe.set(f"bulk:{i}", "overwritten")
            pipe.delete(f"bulk:{i + 1}")
            pipe.pexpire(f"bulk:{i + 2}", 99999)
            pipe.persist(f"bulk:{i + 50}")
            pipe.set(f"new:{i}", i)
        for db in (0, 1, 5):
            p = f"db{db}:"
            pipe.execute_command("SELECT", db)
            pipe.rpush(p + "biglist", "pushed")
            pipe.lpop(p + "list")
            pipe.hset(p + "bighash", "field1", "changed")
            pipe.hdel(p + "hash", "f1")
            pipe.zadd(p + "bigzset", {"member1": 99})
            pipe.sadd(p + "intset", 42)
            pipe.srem(p + "set", "m1")
            pipe.append(p + "str", "!")
            pipe.incr(p + "int")
            pipe.rename(p + "long", p + "renamed")
            pipe.persist(p + "list")
            pipe.pexpire(p + "zset", 1234567)
            pipe.execute_command("MOVE", p + "float", 9)
        pipe.execute_command("FLUSHDB")  # db 5
        pipe.execute_command("SWAPDB", 0, 1)
        pipe.execute_command("SELECT", 0)
        pipe.info("persistence")
        replies = pipe.execute()
        assert replies[0] in (True, b"Background saving started")
        assert replies[-1]["rdb_bgsave_in_progress"] == 1, "the writes did not overlap the save"
        info = wait_for_bgsave(c)
        assert info["rdb_last_bgsave_status"] == "ok"
        assert c.execute_command("DEBUG", "DIGEST") != before
        # Freezing 200k keys is a pause of tens of microseconds, not a copy of the dataset
        # (which took about 100 ms).
        assert 0 < c.info("stats")["latest_fork_usec"] < 50000
    finally:
        close_client(c)
    directory = tempfile.mkdtemp(prefix="rdb-it-")
    shutil.copy(os.path.join(tandem.dir, "dump.rdb"), os.path.join(directory, "dump.rdb"))
    redis = start_on(start_server, "redis", directory)
    r = make_client(redis.port)
    try:
        assert r.execute_command("DEBUG", "DIGEST") == before
    finally:
        close_client(r)


def test_bgsave_errors_match(both):
    assert_same(both, "BGSAVE", "NOW")
    assert_same(both, "BGSAVE", "SCHEDULE", "x")
    assert_same(both, "COMMAND", "INFO", "bgsave")


@pytest.mark.parametrize("kind", ["tandem", "redis"])
def test_bgsave_inside_exec_is_scheduled_then_runs(start_server, kind):
    """Redis 7.0 never saves from inside EXEC: it answers "scheduled" and its cron saves."""
    server = start_server(kind)
    c = make_client(server.port)
    try:
        assert run_command(c, "MULTI") == b"OK"
        assert run_command(c, "SET", "k", "v") == b"QUEUED"
        assert run_command(c, "BGSAVE") == b"QUEUED"
        assert run_command(c, "EXEC") == [b"OK", b"Background saving scheduled"]
        wait_for_bgsave(c, timeout=10)
        assert os.path.exists(os.path.join(server.dir, "dump.rdb"))
    finally:
        close_client(c)


def test_save_rules_start_a_background_save(start_server):
    tandem = start_server("tandem", "--save", "1 1")
    c = make_client(tandem.port)
    try:
        c.set("k", "v")
        wait_for_bgsave(c, timeout=10)
    finally:
        close_client(c)
    assert os.path.exists(os.path.join(tandem.dir, "dump.rdb"))


def test_flushall_saves_when_save_points_are_set(start_server):
    tandem = start_server("tandem", "--save", "3600 1")
    c = make_client(tandem.port)
    try:
        c.set("k", "v")
        assert c.flushall() is True
        assert os.path.exists(os.path.join(tandem.dir, "dump.rdb"))
        assert c.info("persistence")["rdb_saves"] == 0  # Redis 7.0 counts SAVE and BGSAVE only
    finally:
        close_client(c)
    tandem.restart()
    c = make_client(tandem.port)
    try:
        assert c.dbsize() == 0
    finally:
        close_client(c)


def flush_during_bgsave(start_server, kind, save):
    """FLUSHALL while a BGSAVE runs (held open by rdb-key-save-delay), with or without save
    points; what INFO, the directory, the log and a restart show afterwards."""
    server = start_server(kind, "--save", save)
    c = make_client(server.port)
    try:
        pipe = c.pipeline(transaction=False)
        for i in range(1000):
            pipe.set(f"k{i}", i)
        pipe.execute()
        if save:
            assert c.save()  # the dump holds the 1000 keys
        c.config_set("rdb-key-save-delay", 1000)  # the BGSAVE lasts about a second
        c.bgsave()
        time.sleep(0.2)
        assert c.info("persistence")["rdb_bgsave_in_progress"] == 1
        assert c.flushall()
        c.set("after", "flush")
        c.config_set("rdb-key-save-delay", 0)
        wait_until(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0,
                   what="the save stopped")
        time.sleep(1.5)  # past the time the save would have taken: it must not write anything
        info = c.info("persistence")
        seen = {name: info[name] for name in ("rdb_bgsave_in_progress", "rdb_last_bgsave_status",
                                              "rdb_saves", "rdb_changes_since_last_save")}
    finally:
        close_client(c)
    seen["files"] = sorted(f for f in os.listdir(server.dir) if f != "server.log")
    seen["logged"] = "Background saving terminated by signal 10" in server.output()
    server.restart()  # SHUTDOWN NOSAVE: what loads is what the dump held
    c = make_client(server.port)
    try:
        seen["keys_after_restart"] = c.dbsize()
    finally:
        close_client(c)
    return seen


@pytest.mark.parametrize("save", ["", "3600 1"])
def test_flushall_stops_a_background_save_as_redis(start_server, save):
    """As Redis 7.0's flushAllDataAndResetRDB: the running BGSAVE is killed and never replaces
    the dump with the keys just flushed (no dump at all without save points; with them, the
    empty dataset saved by FLUSHALL, which resets the change counter); its temp file goes;
    rdb_last_bgsave_status stays ok (killed by SIGUSR1 is not a failure)."""
    expected = flush_during_bgsave(start_server, "redis", save)
    actual = flush_during_bgsave(start_server, "tandem", save)
    assert actual == expected
    assert actual["logged"] and actual["keys_after_restart"] == 0
    assert actual["files"] == (["dump.rdb"] if save else [])


def wait_for_bgsave_status(client, status, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = client.info("persistence")
        if info["rdb_bgsave_in_progress"] == 0 and info["rdb_last_bgsave_status"] == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"rdb_last_bgsave_status never became {status}")


def misconf_transcript(start_server, kind, root):
    """A background save fails (its directory is gone): writes, PING and an EXEC with queued
    writes are refused with MISCONF, reads still work, until a save succeeds again."""
    gone = os.path.join(root, kind, "gone")
    os.makedirs(gone)
    server = start_server(kind, "--dir", gone, "--save", "3600 1",
                          "--enable-protected-configs", "yes")
    c, transaction = make_client(server.port), make_client(server.port)
    replies = []
    try:
        c.set("k", "v")
        replies.append(run_command(transaction, "MULTI"))
        replies.append(run_command(transaction, "SET", "queued", "before"))
        replies.append(run_command(c, "SAVE"))  # the last save succeeded
        shutil.rmtree(gone)
        replies.append(run_command(c, "SAVE"))  # a failed SAVE does not stop writes
        replies.append(run_command(c, "SET", "k", "after-failed-save"))
        replies.append(run_command(c, "BGSAVE"))
        wait_for_bgsave_status(c, "err")
        for command in (("SET", "k", "w"), ("PING",), ("GET", "k"), ("INCR", "n"),
                        ("DEL", "k"), ("EXISTS", "k"), ("MULTI",), ("SET", "k", "x"),
                        ("GET", "k"), ("EXEC",)):
            replies.append(run_command(c, *command))
        replies.append(run_command(transaction, "EXEC"))
        replies.append(run_command(c, "CONFIG", "SET", "stop-writes-on-bgsave-error", "no"))
        replies.append(run_command(c, "SET", "k", "allowed"))
        replies.append(run_command(c, "CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"))
        replies.append(run_command(c, "SET", "k", "refused-again"))
        back = os.path.join(root, kind, "back")
        os.makedirs(back)
        replies.append(run_command(c, "CONFIG", "SET", "dir", back))
        replies.append(run_command(c, "BGSAVE"))
        wait_for_bgsave_status(c, "ok")
        replies.append(run_command(c, "SET", "k", "after-good-save"))
        replies.append(run_command(c, "GET", "k"))
    finally:
        close_client(c)
        close_client(transaction)
    return replies


def test_failed_bgsave_stops_writes_like_redis(start_server, tmp_path):
    expected = misconf_transcript(start_server, "redis", tmp_path)
    actual = misconf_transcript(start_server, "tandem", tmp_path)
    assert actual == expected
    assert sum(1 for r in actual if isinstance(r, RespError) and b"MISCONF" in r.text) == 7


def reload_transcript(server):
    """DEBUG RELOAD with each of its options on `server`; what each step leaves behind."""
    c = make_client(server.port)
    seen = []

    def step(*args):
        try:
            reply = c.execute_command("DEBUG", "RELOAD", *args)
        except redis.exceptions.ResponseError as e:
            reply = "error: " + str(e)
        keys = sorted((k, c.get(k)) for k in c.keys("*"))
        seen.append((args, reply, keys, c.ttl("a") > 0))

    try:
        c.set("a", "file-a", ex=1000)
        c.set("b", "file-b")
        assert c.execute_command("SAVE") in (b"OK", True)
        c.set("a", "live-a")
        c.set("c", "live-c")
        c.delete("b")
        step("NOSAVE")  # the dump as it was: live changes gone
        c.set("a", "live-a")
        c.set("c", "live-c")
        step("NOSAVE", "NOFLUSH", "MERGE")  # the dump's keys win, live-only keys stay
        c.set("c", "live-c")
        step("NOSAVE", "MERGE")  # MERGE alone still flushes first
        c.set("d", "saved-first")
        step()  # saves, then reloads: nothing lost
        c.delete("a", "b", "c", "d")
        c.set("x", "live-x")
        step("NOSAVE", "NOFLUSH")  # no key in both: the dump's keys are added
        step("NOSAVE", "BOGUS")
        step("nosave", "noflush", "merge")  # case-insensitive
    finally:
        close_client(c)
    return seen


def test_debug_reload_options_match_redis(start_pair):
    tandem, redis = start_pair()
    ours, theirs = reload_transcript(tandem), reload_transcript(redis)
    assert ours == theirs
    assert ours[1][2] == [(b"a", b"file-a"), (b"b", b"file-b"), (b"c", b"live-c")]


def test_debug_reload_noflush_refuses_a_key_in_both(start_server):
    # Redis panics on the duplicated key; tandem refuses the load and keeps its dataset.
    tandem = start_server("tandem")
    c = make_client(tandem.port)
    try:
        c.set("a", "file-a")
        c.set("b", "file-b")
        assert c.execute_command("SAVE") in (b"OK", True)
        c.set("a", "live-a")
        c.set("c", "live-c")
        with pytest.raises(redis.exceptions.ResponseError, match="Error trying to load the RDB dump"):
            c.execute_command("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH")
        assert sorted(c.mget("a", "b", "c")) == [b"file-b", b"live-a", b"live-c"]
    finally:
        close_client(c)


def test_idle_times_in_a_redis_dump_carry_over(start_server):
    # Under an LRU policy Redis writes each key's idle seconds (RDB_OPCODE_IDLE); a loader not
    # under LFU backdates the key's access time by them, so OBJECT IDLETIME carries over.
    redis_server = start_server("redis", "--maxmemory-policy", "allkeys-lru")
    c = make_client(redis_server.port)
    try:
        c.set("fresh", "v")
        payload = c.dump("fresh")
        c.restore("idle", 0, payload, idletime=5000)
        c.restore("idle-hash", 0, c.dump("fresh"), idletime=777)
    finally:
        close_client(c)
    directory = save_and_copy(redis_server)
    tandem = start_on(start_server, "tandem", directory)
    t = make_client(tandem.port)
    try:
        assert 5000 <= t.object("idletime", "idle") <= 5010
        assert 777 <= t.object("idletime", "idle-hash") <= 787
        assert t.object("idletime", "fresh") <= 10
    finally:
        close_client(t)
