"""Pub/sub against the real redis-server 7.0: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
PUBLISH, the shard variants (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH) and PUBSUB, in RESP2 and RESP3.

Scenarios run on both servers with raw connections (one per client) and their transcripts of
exact reply bytes must be identical. Redis lists a client's channels (UNSUBSCRIBE without
arguments) and the server's channels (PUBSUB CHANNELS) in its dict's hash order, which has a
per-process random seed: those are compared as sets, and tandem's subscription order is checked
on its own. Patterns keep subscription order in both.
"""

import time

import pytest

from conftest import (
    RawConnection,
    assert_same,
    encode_command,
    make_client,
    parse_all,
    parse_resp,
    run_command,
)


class Conn:
    """A raw client: send commands, read whole replies."""

    def __init__(self, port):
        self.raw = RawConnection(port, timeout=5.0)

    def send(self, *args):
        self.raw.send(encode_command(*args))

    def replies(self, count=1, timeout=5.0):
        return b"".join(self.raw.read_reply(timeout=timeout) for _ in range(count))

    def call(self, *args, replies=1):
        self.send(*args)
        return self.replies(replies)

    def value(self, *args):
        return parse_resp(self.call(*args))[0]

    def nothing_within(self, seconds=0.2):
        data = self.raw.read(quiet=seconds, timeout=seconds)
        assert data == b"", f"unexpected data {data!r}"
        return True

    def closed(self, timeout=3.0):
        return self.raw.is_closed(timeout=timeout)

    def close(self):
        self.raw.close()


def wait_until(condition, timeout=3.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def no_subscriptions_left(admin):
    return (admin.value("PUBSUB", "NUMPAT") == 0 and admin.value("PUBSUB", "CHANNELS") == []
            and admin.value("PUBSUB", "SHARDCHANNELS") == [])


def scenario_runner(servers):
    """run(scenario) runs scenario(connect) -> transcript on each server of `servers` once no
    subscription of an earlier test is left, and asserts equal transcripts; returns tandem's."""
    opened = []

    def run(scenario):
        results = {}
        for name, server in servers:
            def connect(port=server.port):
                conn = Conn(port)
                opened.append(conn)
                return conn

            admin = connect()
            admin.call("FLUSHALL")
            assert wait_until(lambda: no_subscriptions_left(admin)), f"{name}: leftovers"
            results[name] = scenario(connect)
        assert results["tandem"] == results["redis"]
        return results["tandem"]

    return run, opened


@pytest.fixture
def on_both(tandem_server, redis_server, both):
    run, opened = scenario_runner((("redis", redis_server), ("tandem", tandem_server)))
    yield run
    for conn in opened:
        conn.close()


def hello3(conn):
    conn.call("HELLO", "3")


def settle():
    # Lets the server read a command sent on another connection before the next one is sent.
    time.sleep(0.05)


# --- subscribing and confirmations ------------------------------------------------------------


@pytest.mark.parametrize("resp", [2, 3])
def test_subscribe_confirmations_count_channels_and_patterns(on_both, resp):
    def scenario(connect):
        c = connect()
        if resp == 3:
            hello3(c)
        return [
            c.call("SUBSCRIBE", "a", "b", "a", replies=3),
            c.call("PSUBSCRIBE", "h*llo", "a*", "h*llo", replies=3),
            # Shard channels are counted on their own.
            c.call("SSUBSCRIBE", "q", "a", replies=2),
            c.call("SUBSCRIBE", "c"),
        ]

    got = on_both(scenario)
    head = b">3\r\n" if resp == 3 else b"*3\r\n"
    assert got[0].startswith(head + b"$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n")
    assert got[3].endswith(b"$1\r\nc\r\n:5\r\n")


@pytest.mark.parametrize("resp", [2, 3])
def test_unsubscribe_with_nothing_subscribed_answers_null_channel(on_both, resp):
    def scenario(connect):
        c = connect()
        if resp == 3:
            hello3(c)
        out = [c.call(cmd) for cmd in ("UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE")]
        # The count is the client's remaining subscriptions, patterns included.
        c.call("PSUBSCRIBE", "p*")
        out.append(c.call("UNSUBSCRIBE"))
        out.append(c.call("UNSUBSCRIBE", "never"))
        out.append(c.call("SUNSUBSCRIBE"))
        out.append(c.call("PUNSUBSCRIBE", "x*", "p*", replies=2))
        out.append(c.call("GET", "k"))  # no longer subscribed
        return out

    got = on_both(scenario)
    if resp == 2:
        assert got[0] == b"*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"
        assert got[3] == b"*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:1\r\n"
    else:
        assert got[0] == b">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n"


@pytest.mark.parametrize("resp", [2, 3])
def test_unsubscribe_all_lists_every_subscription(on_both, tandem_server, resp):
    channels = [f"ch{i}" for i in range(12)]
    patterns = [f"p{i}*" for i in range(12)]

    def scenario(connect):
        c = connect()
        if resp == 3:
            hello3(c)
        c.call("SUBSCRIBE", *channels, replies=12)
        c.call("PSUBSCRIBE", *patterns, replies=12)
        c.call("SSUBSCRIBE", *channels, replies=12)
        unsubscribed = parse_all(c.call("UNSUBSCRIBE", replies=12))
        # Channels come in Redis's hash order: compare names as a set, counts in order.
        names = sorted(value[1] for value, _ in unsubscribed)
        counts = [value[2] for value, _ in unsubscribed]
        shard = parse_all(c.call("SUNSUBSCRIBE", replies=12))
        return [
            names, counts, sorted(value[1] for value, _ in shard),
            [value[2] for value, _ in shard],
            c.call("PUNSUBSCRIBE", replies=12),  # patterns: subscription order in Redis too
            c.call("PING"),
        ]

    got = on_both(scenario)
    assert got[1] == list(range(23, 11, -1))
    # tandem answers channels in subscription order.
    c = Conn(tandem_server.port)
    try:
        c.call("SUBSCRIBE", *channels, replies=12)
        names = [value[1] for value, _ in parse_all(c.call("UNSUBSCRIBE", replies=12))]
        assert names == [name.encode() for name in channels]
    finally:
        c.close()


# --- messages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("resp", [2, 3])
def test_channel_and_pattern_subscriber_gets_both_and_counts_twice(on_both, resp):
    def scenario(connect):
        sub, other, pub = connect(), connect(), connect()
        if resp == 3:
            hello3(sub)
        sub.call("SUBSCRIBE", "news.tech")
        sub.call("PSUBSCRIBE", "news.*")
        other.call("PSUBSCRIBE", "*tech")
        settle()
        out = [pub.call("PUBLISH", "news.tech", "hello")]
        out.append(sub.replies(2))
        out.append(other.replies(1))
        out.append(pub.call("PUBLISH", "news.art", "x"))
        out.append(sub.replies(1))
        out.append(other.nothing_within(0.1))
        out.append(pub.call("PUBLISH", "nobody", "x"))
        return out

    got = on_both(scenario)
    assert got[0] == b":3\r\n"
    push = b">" if resp == 3 else b"*"
    assert got[1] == (push + b"3\r\n$7\r\nmessage\r\n$9\r\nnews.tech\r\n$5\r\nhello\r\n" + push
                      + b"4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$5\r\nhello\r\n")


def test_messages_keep_publish_order_and_subscriber_order(on_both):
    def scenario(connect):
        subs = [connect() for _ in range(3)]
        for sub in subs:
            sub.call("SUBSCRIBE", "c")
        settle()
        pub = connect()
        counts = [pub.call("PUBLISH", "c", str(i)) for i in range(50)]
        return counts, [sub.replies(50) for sub in subs]

    counts, streams = on_both(scenario)
    assert counts == [b":3\r\n"] * 50
    assert streams[0].endswith(b"$2\r\n49\r\n")


def test_binary_safe_channels_patterns_and_messages(on_both):
    def scenario(connect):
        sub, pub = connect(), connect()
        sub.call("SUBSCRIBE", b"a\x00b\r\n")
        sub.call("PSUBSCRIBE", b"\xff*")
        settle()
        return [pub.call("PUBLISH", b"a\x00b\r\n", b"m\r\n\x00"), sub.replies(1),
                pub.call("PUBLISH", b"\xff\xfe", b""), sub.replies(1),
                pub.call("PUBLISH", b"a\x00b", b"x")]

    on_both(scenario)


@pytest.mark.parametrize(
    "pattern",
    ["h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", r"h\*llo", "*", "H*", "[", "a[",
     "*[z-a]*"],
)  # fmt: skip
def test_pattern_matching_as_redis(on_both, pattern):
    channels = ["hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "Hello", "[", "a[b", "m"]

    def scenario(connect):
        sub, pub = connect(), connect()
        sub.call("PSUBSCRIBE", pattern)
        settle()
        out = []
        for channel in channels:
            out.append(pub.call("PUBLISH", channel, "x"))
            if out[-1] == b":1\r\n":
                out.append(sub.replies(1))
        return out

    on_both(scenario)


def test_publish_to_self_in_resp3_pushes_before_the_reply(on_both):
    def scenario(connect):
        c = connect()
        hello3(c)
        c.call("SUBSCRIBE", "me")
        c.call("PSUBSCRIBE", "m*")
        c.send("PUBLISH", "me", "hi")
        return c.replies(3)

    assert on_both(scenario).endswith(b":2\r\n")


def test_publish_arity_and_pubsub_flags_in_command_info(both):
    assert_same(both, "PUBLISH", "a")
    assert_same(both, "SPUBLISH", "a", "b", "c")
    assert_same(both, "SUBSCRIBE")
    assert_same(both, "PSUBSCRIBE")
    assert_same(both, "SSUBSCRIBE")
    assert assert_same(both, "PUBLISH", "nobody-listens", "x") == 0


# --- the subscribed context ---------------------------------------------------------------------


def test_resp2_subscribed_client_may_only_subscribe_ping_quit_reset(on_both):
    def scenario(connect):
        c = connect()
        c.call("SUBSCRIBE", "a")
        out = [c.call("GET", "k"), c.call("SET", "k", "v"), c.call("PUBLISH", "a", "x"),
               c.call("CLIENT", "LIST"), c.call("HELLO", "3"), c.call("ECHO", "e"),
               c.call("PUBSUB", "NUMSUB", "a"), c.call("SELECT", "1"), c.call("AUTH", "x")]
        # Checks before the context: unknown command, arity (also of PING itself).
        out += [c.call("NOSUCH"), c.call("CLIENT"), c.call("GET"), c.call("PING", "a", "b")]
        # Allowed, and PING answers as a message-shaped array.
        out += [c.call("PING"), c.call("PING", "msg"), c.call("PSUBSCRIBE", "x*"),
                c.call("SSUBSCRIBE", "s"), c.call("SUNSUBSCRIBE", "s"),
                c.call("PUNSUBSCRIBE", "x*"), c.call("UNSUBSCRIBE", "a")]
        out += [c.call("GET", "k"), c.call("PING")]  # out of the context again
        c.call("SUBSCRIBE", "a")
        out += [c.call("QUIT"), c.closed()]
        return out

    got = on_both(scenario)
    assert got[0] == (b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING "
                      b"/ QUIT / RESET are allowed in this context\r\n")
    assert got[3].startswith(b"-ERR Can't execute 'client|list'")
    assert got[13] == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"


def test_subscribed_context_rejections_are_counted(on_both):
    def scenario(connect):
        c, admin = connect(), connect()
        admin.call("CONFIG", "RESETSTAT")
        c.call("SUBSCRIBE", "a")
        c.call("GET", "k")
        c.call("GET", "k")
        info = admin.value("INFO", "commandstats").decode()
        line = next(x for x in info.splitlines() if x.startswith("cmdstat_get:"))
        return line.split("usec_per_call=")[1].split(",", 1)[1], admin.value("INFO", "errorstats")

    rejected, _ = on_both(scenario)
    assert "rejected_calls=2" in rejected


def test_resp3_subscribed_client_runs_any_command(on_both):
    def scenario(connect):
        c = connect()
        hello3(c)
        c.call("SUBSCRIBE", "a")
        return [c.call("SET", "k", "v"), c.call("GET", "k"), c.call("PING"),
                c.call("PING", "x"), c.call("PUBSUB", "NUMSUB", "a", "b"),
                c.call("PUBSUB", "CHANNELS"), c.call("HELLO", "2", replies=1)[:1],
                c.call("GET", "k")]  # RESP2 again, still subscribed: restricted

    got = on_both(scenario)
    assert got[2] == b"+PONG\r\n"
    assert got[-1].startswith(b"-ERR Can't execute 'get'")


@pytest.mark.parametrize("resp", [2, 3])
def test_subscriptions_inside_a_transaction(on_both, resp):
    """EXEC's array holds the confirmations and messages in line; SSUBSCRIBE is refused there
    (EXEC denies blocking), SUBSCRIBE is not; afterwards a RESP2 client may not start MULTI."""

    def scenario(connect):
        c = connect()
        if resp == 3:
            hello3(c)
        queued = [c.call("MULTI"), c.call("SUBSCRIBE", "a", "b"), c.call("SSUBSCRIBE", "s"),
                  c.call("PSUBSCRIBE", "a*"), c.call("PUBLISH", "a", "x"), c.call("PING"),
                  c.call("UNSUBSCRIBE", "b")]
        # EXEC's array counts commands while it carries one push per (un)subscription and
        # message: read whatever comes.
        c.send("EXEC")
        executed = c.raw.read(quiet=0.3, timeout=3)
        return queued, executed, c.call("MULTI"), c.call("PUBSUB", "NUMPAT")

    queued, executed, multi, numpat = on_both(scenario)
    assert b"SSUBSCRIBE isn't allowed for a DENY BLOCKING client" in executed


def test_reset_drops_every_subscription(on_both):
    def scenario(connect):
        c, pub = connect(), connect()
        hello3(c)
        c.call("SUBSCRIBE", "a", "b", replies=2)
        c.call("PSUBSCRIBE", "a*")
        c.call("SSUBSCRIBE", "s")
        out = [c.call("RESET"), c.call("GET", "k"), c.call("PING")]
        out += [pub.call("PUBLISH", "a", "x"), pub.call("SPUBLISH", "s", "x"),
                pub.call("PUBSUB", "NUMPAT"), pub.call("PUBSUB", "NUMSUB", "a", "b"),
                pub.call("PUBSUB", "SHARDNUMSUB", "s"), c.nothing_within(0.1)]
        return out

    assert on_both(scenario)[0] == b"+RESET\r\n"


def test_disconnect_drops_every_subscription(on_both):
    def scenario(connect):
        c, admin = connect(), connect()
        c.call("SUBSCRIBE", "a", "b", replies=2)
        c.call("PSUBSCRIBE", "a*")
        c.call("SSUBSCRIBE", "s")
        before = [admin.call("PUBSUB", "NUMSUB", "a", "b"), admin.call("PUBSUB", "NUMPAT"),
                  admin.call("PUBSUB", "SHARDNUMSUB", "s")]
        c.close()
        assert wait_until(lambda: admin.value("PUBSUB", "NUMPAT") == 0)
        after = [admin.call("PUBSUB", "NUMSUB", "a", "b"), admin.call("PUBSUB", "SHARDNUMSUB", "s"),
                 admin.call("PUBLISH", "a", "x"), admin.call("PUBSUB", "CHANNELS")]
        stats = [line for line in admin.value("INFO", "stats").decode().splitlines()
                 if line.startswith("pubsub")]
        return before, after, stats

    before, after, stats = on_both(scenario)
    assert after[2] == b":0\r\n"
    assert stats == ["pubsub_channels:0", "pubsub_patterns:0", "pubsubshard_channels:0"]


def test_client_reply_off_still_delivers_pushes(on_both):
    """Redis 7.0.15 drops replies under CLIENT REPLY OFF/SKIP but never pushes."""

    def scenario(connect):
        pub = connect()
        off = connect()
        off.send("CLIENT", "REPLY", "OFF")
        off.send("SUBSCRIBE", "a")
        out = [off.replies(1)]
        settle()
        out.append(pub.call("PUBLISH", "a", "hi"))
        out.append(off.replies(1))
        off.send("PING")  # a reply: dropped
        out.append(off.nothing_within(0.1))
        skip = connect()
        skip.send("CLIENT", "REPLY", "SKIP")
        skip.send("SUBSCRIBE", "c")
        skip.send("PING")
        out.append(skip.replies(2))
        resp3 = connect()
        hello3(resp3)
        resp3.call("SUBSCRIBE", "r")
        resp3.send("CLIENT", "REPLY", "OFF")
        resp3.send("PUBLISH", "r", "self")  # its own message arrives, the :1 does not
        out.append(resp3.replies(1))
        resp3.send("CLIENT", "REPLY", "ON")
        out.append(resp3.replies(1))
        return out

    on_both(scenario)


# --- PUBSUB introspection -----------------------------------------------------------------------


def test_pubsub_channels_numsub_numpat(on_both):
    def scenario(connect):
        a, b = connect(), connect()
        a.call("SUBSCRIBE", "news.tech", "news.art", "sports", replies=3)
        b.call("SUBSCRIBE", "news.tech")
        a.call("PSUBSCRIBE", "n*", "s*", replies=2)
        b.call("PSUBSCRIBE", "n*")
        b.call("SSUBSCRIBE", "shard1", "shard2", replies=2)
        q = connect()
        return [
            sorted(q.value("PUBSUB", "CHANNELS")),
            sorted(q.value("PUBSUB", "CHANNELS", "news.*")),
            q.value("PUBSUB", "CHANNELS", "nothing*"),
            q.call("PUBSUB", "NUMSUB", "news.tech", "sports", "n*", "shard1"),
            q.call("PUBSUB", "NUMSUB"),
            q.call("PUBSUB", "NUMPAT"),  # distinct patterns
            sorted(q.value("PUBSUB", "SHARDCHANNELS")),
            q.call("PUBSUB", "SHARDCHANNELS", "*2"),
            q.call("PUBSUB", "SHARDNUMSUB", "shard1", "news.tech"),
            q.call("PUBSUB", "SHARDNUMSUB"),
        ]

    got = on_both(scenario)
    assert got[5] == b":2\r\n"


def test_pubsub_numsub_is_a_flat_array_in_resp3(on_both):
    def scenario(connect):
        c = connect()
        hello3(c)
        c.call("SUBSCRIBE", "a")
        return [c.call("PUBSUB", "NUMSUB", "a", "b"), c.call("PUBSUB", "SHARDNUMSUB", "a"),
                c.call("PUBSUB", "CHANNELS", "a")]

    assert on_both(scenario)[0] == b"*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:0\r\n"


@pytest.mark.parametrize(
    "command",
    [("PUBSUB", "HELP"), ("PUBSUB",), ("PUBSUB", "NOSUCH"), ("PUBSUB", "NUMPAT", "x"),
     ("PUBSUB", "HELP", "x"), ("PUBSUB", "CHANNELS", "a", "b"),
     ("PUBSUB", "SHARDCHANNELS", "a", "b"), ("pubsub", "channels", "a", "b")],
)  # fmt: skip
def test_pubsub_help_and_errors(both, command):
    assert_same(both, *command)


NAMES = ["subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish", "ssubscribe",
         "sunsubscribe", "spublish", "pubsub", "pubsub|channels", "pubsub|numsub",
         "pubsub|numpat", "pubsub|shardchannels", "pubsub|shardnumsub", "pubsub|help"]


@pytest.mark.parametrize("name", [n for n in NAMES if n != "pubsub"])
def test_command_info_matches_redis(both, name):
    assert assert_same(both, "COMMAND", "INFO", name)[0][0] == name.encode()


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("pubsub", "psubscribe")])
def test_command_docs_match_redis(both, name):
    assert assert_same(both, "COMMAND", "DOCS", name)[0] == name.encode()


def test_pubsub_container_info_and_docs_match_redis_up_to_subcommand_order(both):
    """Redis lists a container's subcommands in its dict's order."""
    tandem, reference = both
    ours = run_command(tandem, "COMMAND", "INFO", "pubsub")[0]
    theirs = run_command(reference, "COMMAND", "INFO", "pubsub")[0]
    assert ours[:9] == theirs[:9]
    assert sorted(ours[9], key=repr) == sorted(theirs[9], key=repr)
    ours = run_command(tandem, "COMMAND", "DOCS", "pubsub")[1]
    theirs = run_command(reference, "COMMAND", "DOCS", "pubsub")[1]
    assert ours[:8] == theirs[:8]
    pairs = lambda docs: sorted(zip(docs[9][::2], docs[9][1::2]), key=repr)  # noqa: E731
    assert pairs(ours) == pairs(theirs)


def test_psubscribe_docs_summary_matches_redis(both):
    """Redis 7.0 documents PSUBSCRIBE's argument as a block holding one pattern, which the
    synopsis notation cannot say; the rest of its docs is the same."""
    tandem, reference = both
    ours = run_command(tandem, "COMMAND", "DOCS", "psubscribe")[1]
    theirs = run_command(reference, "COMMAND", "DOCS", "psubscribe")[1]
    assert ours[:8] == theirs[:8]


@pytest.mark.parametrize(
    "command",
    [("SSUBSCRIBE", "a", "b"), ("SUNSUBSCRIBE", "a"), ("SPUBLISH", "a", "m"),
     ("PUBLISH", "a", "m"), ("SUBSCRIBE", "a")],
)  # fmt: skip
def test_shard_channels_are_not_keys_to_command_getkeys(both, command):
    """Their key specs say not_key: cluster routing only."""
    assert_same(both, "COMMAND", "GETKEYS", *command)
    assert_same(both, "COMMAND", "GETKEYSANDFLAGS", *command)


# --- CLIENT LIST, INFO --------------------------------------------------------------------------


def client_fields(line):
    fields = dict(item.split("=", 1) for item in line.strip().split(" "))
    return {k: fields[k] for k in ("flags", "sub", "psub", "ssub", "cmd")}


def test_client_list_shows_subscriptions_and_type(on_both):
    def scenario(connect):
        sub, admin = connect(), connect()
        hello3(sub)
        sub.call("SUBSCRIBE", "a", "b", replies=2)
        sub.call("PSUBSCRIBE", "a*")
        sub.call("SSUBSCRIBE", "s")
        own = client_fields(sub.value("CLIENT", "INFO").decode())
        listed = [client_fields(line) for line in
                  admin.value("CLIENT", "LIST", "TYPE", "pubsub").decode().splitlines()]
        normal = [client_fields(line) for line in
                  admin.value("CLIENT", "LIST", "TYPE", "normal").decode().splitlines()]
        killed = admin.call("CLIENT", "KILL", "TYPE", "pubsub")
        return own, listed, normal, killed, sub.closed()

    own, listed, normal, killed, closed = on_both(scenario)
    assert own == {"flags": "P", "sub": "2", "psub": "1", "ssub": "1", "cmd": "client|info"}
    assert len(listed) == 1 and killed == b":1\r\n" and closed
    assert all(fields["flags"] == "N" for fields in normal)


def test_info_stats_count_distinct_names(on_both):
    def scenario(connect):
        a, b, admin = connect(), connect(), connect()
        a.call("SUBSCRIBE", "x", "y", replies=2)
        b.call("SUBSCRIBE", "x")
        a.call("PSUBSCRIBE", "p*", "q*", replies=2)
        b.call("PSUBSCRIBE", "p*")
        b.call("SSUBSCRIBE", "s")
        return [line for line in admin.value("INFO", "stats").decode().splitlines()
                if line.startswith("pubsub")]

    assert on_both(scenario) == ["pubsub_channels:2", "pubsub_patterns:2",
                                 "pubsubshard_channels:1"]


# --- shard channels -----------------------------------------------------------------------------


@pytest.mark.parametrize("resp", [2, 3])
def test_shard_channels_are_their_own_namespace(on_both, resp):
    def scenario(connect):
        sub, pub = connect(), connect()
        if resp == 3:
            hello3(sub)
        sub.call("SSUBSCRIBE", "s", "t", replies=2)
        sub.call("PSUBSCRIBE", "*")
        settle()
        out = [pub.call("SPUBLISH", "s", "m1"), sub.replies(1),
               pub.call("PUBLISH", "t", "m2"), sub.replies(1),  # the pattern, not the shard
               pub.call("SPUBLISH", "nobody", "m3"), sub.nothing_within(0.1),
               sub.call("SUNSUBSCRIBE", "t", "u", replies=2), sub.call("SUNSUBSCRIBE")]
        return out

    got = on_both(scenario)
    push = b">" if resp == 3 else b"*"
    assert got[1] == push + b"3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$2\r\nm1\r\n"


# --- redis-py -----------------------------------------------------------------------------------


def test_redis_py_pubsub_api(tandem_server, redis_server):
    transcripts = []
    for server in (redis_server, tandem_server):
        client = make_client(server.port)
        p = client.pubsub()
        try:
            assert wait_until(lambda: client.pubsub_numpat() == 0)
            p.subscribe("chan")
            p.psubscribe("ch*")
            messages = [p.get_message(timeout=2), p.get_message(timeout=2)]
            receivers = client.publish("chan", "payload")
            messages += [p.get_message(timeout=2), p.get_message(timeout=2)]
            numsub = client.pubsub_numsub("chan", "none")
            p.unsubscribe()
            p.punsubscribe()
            messages += [p.get_message(timeout=2), p.get_message(timeout=2)]
            transcripts.append((messages, receivers, numsub, client.pubsub_channels()))
        finally:
            p.close()
            client.close()
    assert transcripts[0] == transcripts[1]
    assert transcripts[1][1] == 2


# --- configuration: output buffer limits, timeout -----------------------------------------------


def test_subscribers_use_the_pubsub_output_buffer_limit(start_pair):
    tandem, redis_ = start_pair("--client-output-buffer-limit", "pubsub 1mb 0 0",
                                "--client-output-buffer-limit", "normal 0 0 0")
    servers = (("redis", redis_), ("tandem", tandem))
    run, opened = scenario_runner(servers)
    message = "x" * (1 << 20)

    def scenario(connect):
        sub, pub = connect(), connect()
        sub.call("SUBSCRIBE", "big")
        settle()
        for _ in range(40):  # far more than socket buffers hold: the limit must trip
            pub.call("PUBLISH", "big", message)
        return wait_until(lambda: pub.value("PUBSUB", "NUMSUB", "big")[1] == 0)

    try:
        assert run(scenario) is True
    finally:
        for conn in opened:
            conn.close()


def test_the_normal_output_buffer_limit_spares_subscribers(start_pair):
    tandem, redis_ = start_pair("--client-output-buffer-limit", "normal 1mb 0 0",
                                "--client-output-buffer-limit", "pubsub 0 0 0")
    run, opened = scenario_runner((("redis", redis_), ("tandem", tandem)))
    message = "x" * (1 << 20)

    def scenario(connect):
        sub, pub = connect(), connect()
        sub.call("SUBSCRIBE", "big")
        settle()
        for _ in range(20):
            pub.call("PUBLISH", "big", message)
        time.sleep(0.3)
        return pub.value("PUBSUB", "NUMSUB", "big")

    try:
        assert run(scenario) == [b"big", 1]
    finally:
        for conn in opened:
            conn.close()


def test_timeout_never_closes_subscribers(start_pair):
    tandem, redis_ = start_pair("--timeout", "1")
    run, opened = scenario_runner((("redis", redis_), ("tandem", tandem)))

    def scenario(connect):
        sub, idle = connect(), connect()
        sub.call("SUBSCRIBE", "a")
        time.sleep(2.5)
        pub = connect()
        return [pub.call("PUBLISH", "a", "still here"), sub.replies(1), idle.closed(1.0)]

    try:
        assert run(scenario)[2] is True
    finally:
        for conn in opened:
            conn.close()
