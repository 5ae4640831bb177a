"""Expiry commands against the real redis-server 7.0: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with
NX, XX, GT, LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST; and expiry itself, lazy (a read
finds the key gone) and active (keys nobody reads disappear on their own).

Relative TTLs depend on the clock, so option semantics are checked with absolute times
(PEXPIREAT / PEXPIRETIME), which both servers must report exactly.
"""

import time

import pytest

from conftest import assert_same, assert_same_error, run_command, same_all

LLONG_MAX = 2**63 - 1
LLONG_MIN = -(2**63)
T1 = 4_000_000_000_000  # absolute times in ms, far in the future, T1 < T2 < T3
T2 = 5_000_000_000_000
T3 = 6_000_000_000_000


# --- option and value errors --------------------------------------------------------------------


@pytest.mark.parametrize("command", ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])
@pytest.mark.parametrize(
    "options",
    [
        ["NX", "XX"],
        ["NX", "GT"],
        ["LT", "NX"],
        ["GT", "LT"],
        ["gt", "lt"],
        ["NX", "XX", "GT", "LT"],
        ["XX", "GT", "LT"],
        ["FOO"],
        ["NX", "FOO"],
        ["FOO", "NX", "XX"],  # the unknown option is reported first
        ["a\r\nb"],
        [""],
        ["NXX"],
    ],
)
def test_expire_option_errors(both, command, options):
    assert_same(both, "SET", "k", "v")
    assert_same_error(both, command, "k", "100", *options)
    assert_same_error(both, command, "missing", "100", *options)
    # Options are parsed before the time.
    assert_same_error(both, command, "k", "abc", *options)
    assert assert_same(both, "TTL", "k") == -1


@pytest.mark.parametrize("command", ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])
@pytest.mark.parametrize(
    "when",
    [
        "abc", "", "1.5", " 1", "1 ", "+1", "01", str(LLONG_MAX + 1), str(LLONG_MIN - 1),
        str(LLONG_MAX), str(LLONG_MAX // 1000), str(LLONG_MAX // 1000 + 1), str(LLONG_MIN // 1000),
        str(LLONG_MIN // 1000 - 1), str(LLONG_MAX - 10_000_000_000_000),
    ],
)  # fmt: skip
def test_expire_time_errors_and_overflow(both, command, when):
    assert_same(both, "SET", "k", "v")
    reply = assert_same(both, command, "k", when)
    assert_same(both, "EXISTS", "k")
    assert_same(both, command, "missing", when)
    if reply == 1 and when.lstrip("-").isdigit() and int(when) > 0:
        assert_same(both, "EXPIRETIME", "k")


@pytest.mark.parametrize("command", ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])
def test_expire_arity(both, command):
    assert_same_error(both, command)
    assert_same_error(both, command, "k")


# --- setting TTLs -------------------------------------------------------------------------------


def test_expire_missing_key_is_zero(both):
    for command in ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"]:
        assert assert_same(both, command, "missing", "100") == 0
        assert assert_same(both, command, "missing", "-100") == 0
        assert assert_same(both, command, "missing", "100", "XX", "GT") == 0
    assert assert_same(both, "EXISTS", "missing") == 0


def test_expire_and_ttl_family(both):
    assert_same(both, "SET", "k", "v")
    assert assert_same(both, "PEXPIREAT", "k", str(T1)) == 1
    assert assert_same(both, "PEXPIRETIME", "k") == T1
    assert assert_same(both, "EXPIRETIME", "k") == T1 // 1000
    assert assert_same(both, "EXPIREAT", "k", str(T2 // 1000)) == 1
    assert assert_same(both, "PEXPIRETIME", "k") == T2
    # Relative forms, within clock tolerance.
    assert assert_same(both, "EXPIRE", "k", "100") == 1
    for client in both:
        assert 99_000 <= run_command(client, "PTTL", "k") <= 100_000
        assert run_command(client, "TTL", "k") == 100
        expiretime = run_command(client, "EXPIRETIME", "k")
        assert abs(expiretime - (int(time.time()) + 100)) <= 2
    assert assert_same(both, "PEXPIRE", "k", "5000") == 1
    for client in both:
        assert 4000 <= run_command(client, "PTTL", "k") <= 5000
        assert run_command(client, "TTL", "k") == 5


def test_ttl_of_missing_and_persistent_keys(both):
    for command in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]:
        assert assert_same(both, command, "missing") == -2
    assert_same(both, "SET", "k", "v")
    for command in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]:
        assert assert_same(both, command, "k") == -1
        assert_same_error(both, command)
        assert_same_error(both, command, "k", "x")


@pytest.mark.parametrize(
    "when_ms", [1999999999499, 1999999999500, 1999999999999, 2000000000000, 2000000000001]
)
def test_expiretime_rounds_to_the_nearest_second(both, when_ms):
    same_all(both, ("SET", "k", "v"), ("PEXPIREAT", "k", str(when_ms)))
    assert_same(both, "EXPIRETIME", "k")
    assert_same(both, "PEXPIRETIME", "k")


def test_huge_expire_times(both):
    assert_same(both, "SET", "k", "v")
    assert assert_same(both, "PEXPIREAT", "k", str(LLONG_MAX)) == 1
    assert assert_same(both, "PEXPIRETIME", "k") == LLONG_MAX
    assert assert_same(both, "EXPIRETIME", "k") == (LLONG_MAX + 500) // 1000
    assert assert_same(both, "EXPIREAT", "k", str(LLONG_MAX // 1000)) == 1
    assert assert_same(both, "PEXPIRETIME", "k") == LLONG_MAX // 1000 * 1000
    tandem, redis_ref = both
    for client in both:
        assert run_command(client, "TTL", "k") > 9_000_000_000_000_000 // 1000


@pytest.mark.parametrize(
    "command",
    [
        ["EXPIRE", "k", "0"],
        ["EXPIRE", "k", "-1"],
        ["PEXPIRE", "k", "0"],
        ["PEXPIRE", "k", "-5000"],
        ["EXPIREAT", "k", "0"],
        ["EXPIREAT", "k", "1"],
        ["PEXPIREAT", "k", "1"],
        ["PEXPIREAT", "k", str(LLONG_MIN)],
        ["EXPIREAT", "k", str(-(LLONG_MAX // 1000))],
        ["PEXPIRE", "k", str(LLONG_MIN)],
        ["EXPIRE", "k", "-1", "XX"],  # allowed: the key has a TTL in this variant
        ["EXPIRE", "k", "-1", "LT"],
    ],
)
@pytest.mark.parametrize("with_ttl", [False, True])
def test_a_time_in_the_past_deletes_the_key(both, command, with_ttl):
    assert_same(both, "SET", "k", "v")
    if with_ttl:
        assert_same(both, "EXPIRE", "k", "100")
    reply = assert_same(both, *command)
    assert_same(both, "EXISTS", "k")
    assert_same(both, "GET", "k")
    if "XX" not in command:
        assert reply == 1
        assert assert_same(both, "EXISTS", "k") == 0


def test_a_past_time_still_honours_the_conditions(both):
    assert_same(both, "SET", "k", "v")
    assert assert_same(both, "EXPIRE", "k", "-1", "GT") == 0  # no TTL is infinite
    assert assert_same(both, "EXPIRE", "k", "-1", "XX") == 0
    assert assert_same(both, "EXISTS", "k") == 1
    assert assert_same(both, "EXPIRE", "k", "-1", "NX") == 1
    assert assert_same(both, "EXISTS", "k") == 0


# Every option against a key without TTL and one expiring at T2, with a new time before (T1) or
# after (T3) it. Compared exactly through PEXPIRETIME.
@pytest.mark.parametrize(
    "options", [[], ["NX"], ["XX"], ["GT"], ["LT"], ["XX", "GT"], ["XX", "LT"], ["gt", "XX"],
                ["NX", "NX"], ["LT", "LT"]]
)  # fmt: skip
@pytest.mark.parametrize("current", [None, T2])
@pytest.mark.parametrize("new", [T1, T2, T3])
def test_expire_conditions(both, options, current, new):
    assert_same(both, "SET", "k", "v")
    if current is not None:
        assert_same(both, "PEXPIREAT", "k", str(current))
    assert_same(both, "PEXPIREAT", "k", str(new), *options)
    assert_same(both, "PEXPIRETIME", "k")
    assert_same(both, "EXPIREAT", "k", str(new // 1000), *options)
    assert_same(both, "PEXPIRETIME", "k")


def test_persist(both):
    assert assert_same(both, "PERSIST", "missing") == 0
    assert_same(both, "SET", "k", "v")
    assert assert_same(both, "PERSIST", "k") == 0
    assert_same(both, "EXPIRE", "k", "100")
    assert assert_same(both, "PERSIST", "k") == 1
    assert assert_same(both, "TTL", "k") == -1
    assert assert_same(both, "PERSIST", "k") == 0
    assert_same_error(both, "PERSIST")
    assert_same_error(both, "PERSIST", "k", "x")
    same_all(both, ("SET", "gone", "v", "PX", "1"))
    time.sleep(0.01)
    assert assert_same(both, "PERSIST", "gone") == 0


def test_expire_on_an_expired_key_is_zero(both):
    same_all(both, ("SET", "k", "v", "PX", "1"))
    time.sleep(0.01)
    assert assert_same(both, "EXPIRE", "k", "100") == 0
    assert assert_same(both, "TTL", "k") == -2


def test_expiry_commands_count_as_changes_like_redis(both):
    def changes(client):
        text = run_command(client, "INFO", "persistence").decode()
        for line in text.splitlines():
            if line.startswith("rdb_changes_since_last_save:"):
                return int(line.split(":")[1])
        raise AssertionError("no rdb_changes_since_last_save")

    assert_same(both, "SET", "k", "v")
    before = [changes(c) for c in both]
    same_all(
        both,
        ("EXPIRE", "k", "100"),  # 1
        ("EXPIRE", "k", "100", "NX"),  # refused: 0
        ("PEXPIRE", "missing", "100"),  # 0
        ("PERSIST", "k"),  # 1
        ("PERSIST", "k"),  # 0
        ("TTL", "k"),
        ("EXPIRE", "k", "-1"),  # deletes: 1
    )
    after = [changes(c) for c in both]
    assert after[0] - before[0] == after[1] - before[1]


# --- lazy and active expiry ---------------------------------------------------------------------


def test_lazy_expiry_hides_then_deletes_the_key(both):
    same_all(both, ("SET", "k", "v"), ("PEXPIRE", "k", "50"))
    assert assert_same(both, "GET", "k") == b"v"
    time.sleep(0.1)
    assert assert_same(both, "GET", "k") is None
    assert assert_same(both, "TTL", "k") == -2
    assert assert_same(both, "DBSIZE") == 0
    assert assert_same(both, "EXISTS", "k") == 0


def expired_keys(client):
    for line in run_command(client, "INFO", "stats").decode().splitlines():
        if line.startswith("expired_keys:"):
            return int(line.split(":")[1])
    raise AssertionError("no expired_keys in INFO stats")


def test_active_expiry_removes_keys_nobody_reads(both):
    tandem, redis_ref = both
    expired_before = expired_keys(tandem)
    for client in both:
        for start in range(0, 1000, 250):
            args = []
            for i in range(start, start + 250):
                args += [f"k:{i}", "v"]
            run_command(client, "MSET", *args)
        pipe = client.pipeline(transaction=False)
        for i in range(1000):
            pipe.pexpire(f"k:{i}", 100)
        pipe.execute()
        run_command(client, "SET", "persistent", "v")
        run_command(client, "SET", "later", "v", "EX", "100")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(run_command(c, "DBSIZE") > 2 for c in both):
        time.sleep(0.05)
    # Only DBSIZE was asked, which does not look keys up: the cron deleted them.
    assert assert_same(both, "DBSIZE") == 2
    keyspace = run_command(tandem, "INFO", "keyspace").decode()
    assert "db0:keys=2,expires=1," in keyspace
    assert expired_keys(tandem) - expired_before == 1000
    assert sorted(run_command(tandem, "KEYS", "*")) == [b"later", b"persistent"]


def test_active_expiry_clears_a_database_entirely(tandem):
    for start in range(0, 1000, 250):
        args = []
        for i in range(start, start + 250):
            args += [f"k:{i}", "v"]
        run_command(tandem, "MSET", *args)
    pipe = tandem.pipeline(transaction=False)
    for i in range(1000):
        pipe.pexpire(f"k:{i}", 100)
    pipe.execute()
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline and run_command(tandem, "DBSIZE") > 0:
        time.sleep(0.05)
    assert run_command(tandem, "DBSIZE") == 0
    assert "db0:" not in run_command(tandem, "INFO", "keyspace").decode()


@pytest.mark.parametrize(
    "name",
    ["expire", "pexpire", "expireat", "pexpireat", "ttl", "pttl", "expiretime", "pexpiretime",
     "persist"],
)
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()
