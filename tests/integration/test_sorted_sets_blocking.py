"""Blocking sorted set pops against the real redis-server 7.0: BZPOPMIN, BZPOPMAX and BZMPOP
serving at once, waiting for data, timing out, argument errors, MULTI and RESP3 shapes.

Each scenario runs on both servers with raw connections (one per client, so several can be
blocked at once) and the transcripts of replies must be identical.
"""

import time

import pytest

from conftest import assert_same, assert_same_error, settle


def test_serve_at_once_when_data_is_there(both):
    assert_same(both, "ZADD", "b", "1", "x", "2", "y", "3", "z")
    assert assert_same(both, "BZPOPMIN", "a", "b", "0") == [b"b", b"x", b"1"]
    assert assert_same(both, "BZPOPMAX", "a", "b", "0") == [b"b", b"z", b"3"]
    assert_same(both, "BZMPOP", "0", "2", "a", "b", "MIN", "COUNT", "5")
    assert_same(both, "EXISTS", "b")


def test_argument_errors(both):
    assert_same(both, "SET", "s", "x")
    for command in [("BZPOPMIN", "a", "x"), ("BZPOPMIN", "a", "-1"), ("BZPOPMAX", "a", "nan"),
                    ("BZPOPMIN", "s", "0"), ("BZPOPMIN", "a"),
                    ("BZMPOP", "0", "0", "a", "MIN"), ("BZMPOP", "x", "1", "a", "MIN"),
                    ("BZMPOP", "-1", "1", "a", "MIN"), ("BZMPOP", "-1", "1", "a", "FOO"),
                    ("BZMPOP", "0", "1", "a", "MIN", "COUNT", "0"),
                    ("BZMPOP", "0", "2", "a", "MIN"), ("BZMPOP", "0", "1", "s", "MAX"),
                    ("BZMPOP", "0", "1", "a")]:
        assert_same_error(both, *command)


@pytest.mark.parametrize(
    "command",
    [("BZPOPMIN", "k", "0.3"), ("BZPOPMAX", "k", "j", "0.3"),
     ("BZMPOP", "0.3", "2", "k", "j", "MIN")],
)  # fmt: skip
def test_timeout_reply_and_wait(on_both, command):
    def scenario(connect):
        c = connect()
        start = time.monotonic()
        got = c.call(*command)
        assert 0.28 <= time.monotonic() - start < 1.5
        return got

    assert on_both(scenario) == b"*-1\r\n"


def test_served_when_a_member_is_added(on_both):
    def scenario(connect):
        a, b, c, writer = connect(), connect(), connect(), connect()
        a.send("BZPOPMIN", "k1", "k2", "0")
        settle()
        b.send("BZPOPMAX", "k2", "0")
        settle()
        c.send("BZMPOP", "0", "2", "k1", "k2", "MAX", "COUNT", "2")
        settle()
        assert a.nothing_within(0.2)
        got = [writer.call("ZADD", "k2", "1", "one", "2", "two", "3", "three")]
        got += [a.reply(), b.reply()]
        got.append(writer.call("ZADD", "k1", "5", "five"))
        got.append(c.reply())
        got.append(writer.call("ZRANGE", "k2", "0", "-1", "WITHSCORES"))
        got.append(writer.call("EXISTS", "k1"))
        return got

    on_both(scenario)


def test_a_store_wakes_a_blocked_pop(on_both):
    def scenario(connect):
        a, writer = connect(), connect()
        writer.call("ZADD", "src", "1", "a", "2", "b")
        a.send("BZPOPMIN", "dst", "0")
        settle()
        return [writer.call("ZUNIONSTORE", "dst", "1", "src"), a.reply(),
                writer.call("ZRANGE", "dst", "0", "-1", "WITHSCORES")]

    on_both(scenario)


def test_inside_multi_a_pop_answers_as_a_timeout(on_both):
    def scenario(connect):
        c = connect()
        return [c.call("MULTI"), c.call("BZPOPMIN", "nosuch", "0"),
                c.call("BZMPOP", "0", "1", "nosuch", "MIN"), c.call("EXEC")]

    on_both(scenario)


def test_resp3_shapes(on_both):
    def scenario(connect):
        c, writer = connect(), connect()
        c.call("HELLO", "3")
        writer.call("ZADD", "k", "1.5", "a", "2", "b", "3", "c")
        got = [c.call("BZPOPMIN", "k", "0"), c.call("BZMPOP", "0", "1", "k", "MAX", "COUNT", "5"),
               c.call("BZPOPMAX", "k", "0.1"), c.call("BZMPOP", "0.1", "1", "k", "MIN")]
        return got

    on_both(scenario)
