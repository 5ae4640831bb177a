"""Blocking list commands against the real redis-server 7.0: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH
and BLMPOP waiting for data, timing out, being served in order, CLIENT UNBLOCK, disconnects,
and what INFO / CLIENT LIST show for blocked clients.

Each scenario runs on both servers with raw connections (one per client, so several can be
blocked at once) and the transcripts of replies must be identical; timing is checked on
tandem's side.
"""

import time

import pytest

from conftest import encode_command, parse_resp, settle


@pytest.mark.parametrize(
    "command, reply",
    [(("BLPOP", "k", "0.3"), b"*-1\r\n"), (("BRPOP", "k", "j", "0.3"), b"*-1\r\n"),
     (("BLMPOP", "0.3", "2", "k", "j", "LEFT"), b"*-1\r\n"),
     # Redis 7.0 times BLMOVE and BRPOPLPUSH out with a null array too, not a null bulk.
     (("BLMOVE", "k", "d", "LEFT", "RIGHT", "0.3"), b"*-1\r\n"),
     (("BRPOPLPUSH", "k", "d", "0.3"), b"*-1\r\n")],
)  # fmt: skip
def test_timeout_reply_and_wait(on_both, command, reply):
    def scenario(connect):
        c = connect()
        start = time.monotonic()
        got = c.call(*command)
        waited = time.monotonic() - start
        assert 0.28 <= waited < 1.5, waited
        return got

    assert on_both(scenario) == reply


def test_timeout_resp3_null(on_both):
    def scenario(connect):
        c = connect()
        c.call("HELLO", "3")
        return [c.call("BLPOP", "k", "0.1"), c.call("BLMOVE", "k", "d", "LEFT", "LEFT", "0.1"),
                c.call("BLMPOP", "0.1", "1", "k", "RIGHT")]

    assert on_both(scenario) == [b"_\r\n"] * 3


def test_decimal_timeout_and_zero_means_forever(on_both):
    def scenario(connect):
        c, pusher = connect(), connect()
        start = time.monotonic()
        got = [c.call("BLPOP", "k", "0.15")]
        assert time.monotonic() - start >= 0.14
        c.send("BLPOP", "k", "0")
        assert c.nothing_within(0.4)
        pusher.call("RPUSH", "k", "v")
        got.append(c.reply())
        return got

    on_both(scenario)


def test_fifo_order_and_one_push_serving_several(on_both):
    def scenario(connect):
        clients = [connect() for _ in range(3)]
        for c in clients:
            c.send("BLPOP", "q", "0")
            settle()
        pusher = connect()
        got = [pusher.call("LPUSH", "q", "a", "b", "c")]
        got += [c.reply() for c in clients]
        got.append(pusher.call("EXISTS", "q"))
        return got

    transcript = on_both(scenario)
    assert transcript[1:4] == [b"*2\r\n$1\r\nq\r\n$1\r\nc\r\n", b"*2\r\n$1\r\nq\r\n$1\r\nb\r\n",
                               b"*2\r\n$1\r\nq\r\n$1\r\na\r\n"]


def test_one_element_serves_only_the_first_waiter(on_both):
    def scenario(connect):
        first, second = connect(), connect()
        first.send("BRPOP", "q", "0")
        settle()
        second.send("BRPOP", "q", "0")
        settle()
        pusher = connect()
        got = [pusher.call("RPUSH", "q", "x"), first.reply()]
        assert second.nothing_within(0.2)
        got += [pusher.call("RPUSH", "q", "y"), second.reply()]
        return got

    on_both(scenario)


def test_multiple_keys_served_from_the_key_that_got_data(on_both):
    def scenario(connect):
        c = connect()
        c.send("BLPOP", "a", "b", "c", "0")
        settle()
        m = connect()
        m.send("BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "2")
        settle()
        pusher = connect()
        return [pusher.call("RPUSH", "b", "1", "2"), c.reply(), pusher.call("LRANGE", "b", "0", "-1"),
                pusher.call("RPUSH", "y", "1", "2", "3"), m.reply(),
                pusher.call("LRANGE", "y", "0", "-1")]

    on_both(scenario)


def test_blmove_chain(on_both):
    def scenario(connect):
        c1, c2, c3 = connect(), connect(), connect()
        c1.send("BLMOVE", "a", "b", "LEFT", "RIGHT", "0")
        settle()
        c2.send("BRPOPLPUSH", "b", "c", "0")
        settle()
        c3.send("BLPOP", "c", "0")
        settle()
        pusher = connect()
        got = [pusher.call("RPUSH", "a", "x"), c1.reply(), c2.reply(), c3.reply()]
        got.append(pusher.call("EXISTS", "a", "b", "c"))
        return got

    transcript = on_both(scenario)
    assert transcript[3] == b"*2\r\n$1\r\nc\r\n$1\r\nx\r\n"


def test_blmove_rotation_onto_the_same_key(on_both):
    def scenario(connect):
        c, d = connect(), connect()
        c.send("BLMOVE", "r", "r", "LEFT", "RIGHT", "0")
        settle()
        d.send("BLPOP", "r", "0")
        settle()
        pusher = connect()
        return [pusher.call("RPUSH", "r", "v"), c.reply(), d.reply(), pusher.call("EXISTS", "r")]

    on_both(scenario)


def test_pipelined_requests_wait_behind_the_blocked_one(on_both):
    def scenario(connect):
        c = connect()
        c.raw.send(encode_command("BLPOP", "k", "0") + encode_command("PING") +
                   encode_command("LLEN", "k"))
        assert c.nothing_within(0.2)
        pusher = connect()
        return [pusher.call("RPUSH", "k", "a", "b"), c.reply(), c.reply(), c.reply()]

    on_both(scenario)


def test_served_before_its_timeout_gets_no_second_reply(on_both):
    def scenario(connect):
        c = connect()
        c.send("BLPOP", "k", "0.3")
        settle()
        got = [connect().call("RPUSH", "k", "v"), c.reply()]
        assert c.nothing_within(0.5)
        got.append(c.call("PING"))
        return got

    on_both(scenario)


def test_key_of_another_type_leaves_the_client_blocked(on_both):
    def scenario(connect):
        c = connect()
        c.send("BLPOP", "k", "0")
        settle()
        other = connect()
        got = [other.call("SET", "k", "string")]
        assert c.nothing_within(0.2)
        got += [other.call("DEL", "k"), other.call("RPUSH", "k", "v"), c.reply()]
        return got

    on_both(scenario)


def test_blmove_onto_a_destination_of_another_type_gets_wrongtype(on_both):
    def scenario(connect):
        c = connect()
        c.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0")
        settle()
        other = connect()
        return [other.call("SET", "dst", "x"), other.call("RPUSH", "src", "v"), c.reply(),
                other.call("LRANGE", "src", "0", "-1")]

    transcript = on_both(scenario)
    assert transcript[2].startswith(b"-WRONGTYPE")


def test_other_database_does_not_serve(on_both):
    def scenario(connect):
        c = connect()
        c.call("SELECT", "1")
        c.send("BLPOP", "k", "0")
        settle()
        other = connect()
        got = [other.call("RPUSH", "k", "db0")]
        assert c.nothing_within(0.2)
        got += [other.call("SELECT", "1"), other.call("RPUSH", "k", "db1"), c.reply()]
        return got

    on_both(scenario)


def test_client_unblock(on_both):
    def client_id(conn):
        return parse_resp(conn.call("CLIENT", "ID"), 0)[0]

    def scenario(connect):
        c, admin = connect(), connect()
        cid = client_id(c)
        got = [admin.call("CLIENT", "UNBLOCK", str(cid))]  # not blocked: 0
        c.send("BLPOP", "k", "0")
        settle()
        got += [admin.call("CLIENT", "UNBLOCK", str(cid), "TIMEOUT"), c.reply()]
        c.send("BLMOVE", "k", "d", "LEFT", "LEFT", "0")
        settle()
        got += [admin.call("CLIENT", "UNBLOCK", str(cid), "ERROR"), c.reply()]
        c.send("BLMPOP", "0", "1", "k", "LEFT")
        settle()
        got += [admin.call("CLIENT", "UNBLOCK", str(cid), "FOO"),
                admin.call("CLIENT", "UNBLOCK", "x"), admin.call("CLIENT", "UNBLOCK", "99999"),
                admin.call("CLIENT", "UNBLOCK", str(cid)), c.reply(), c.call("PING")]
        return got

    transcript = on_both(scenario)
    assert transcript[4] == b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"


def test_disconnect_while_blocked(on_both):
    def scenario(connect):
        c, admin = connect(), connect()
        c.send("BLPOP", "k", "0")
        settle()
        info = admin.call("INFO", "clients")
        got = [b"blocked_clients:1" in info]
        c.close()
        time.sleep(0.1)
        info = admin.call("INFO", "clients")
        got += [b"blocked_clients:0" in info, admin.call("RPUSH", "k", "v"),
                admin.call("LLEN", "k")]
        return got

    assert on_both(scenario)[:2] == [True, True]


def test_client_list_and_info_show_blocked_clients(on_both):
    def scenario(connect):
        c, d, admin = connect(), connect(), connect()
        c.send("BLPOP", "k", "0")
        d.send("BRPOPLPUSH", "k", "x", "5")
        settle()
        listing = parse_resp(admin.call("CLIENT", "LIST"), 0)[0].decode()
        blocked = sorted(
            (field("flags", line), field("cmd", line))
            for line in listing.splitlines() if field("flags", line) == "b")
        info = admin.call("INFO", "clients").decode()
        counts = [line for line in info.split("\r\n")
                  if line.startswith(("blocked_clients", "clients_in_timeout_table"))]
        admin.call("RPUSH", "k", "1", "2")
        return [blocked, counts, c.reply(), d.reply()]

    def field(name, line):
        for item in line.split(" "):
            if item.startswith(name + "="):
                return item.split("=", 1)[1]
        return None

    transcript = on_both(scenario)
    assert transcript[0] == [("b", "blpop"), ("b", "brpoplpush")]
    assert transcript[1] == ["blocked_clients:2", "clients_in_timeout_table:1"]


def test_multi_exec_denies_blocking_and_wakes_after_exec(on_both):
    def scenario(connect):
        c, w = connect(), connect()
        got = [c.call("MULTI"), c.call("BLPOP", "k", "0"), c.call("BRPOPLPUSH", "k", "d", "0"),
               c.call("BLMOVE", "k", "d", "LEFT", "LEFT", "0"),
               c.call("BLMPOP", "0", "1", "k", "LEFT"), c.call("EXEC")]
        w.send("BLPOP", "k", "0")
        settle()
        got += [c.call("MULTI"), c.call("RPUSH", "k", "a"), c.call("LPOP", "k"),
                c.call("RPUSH", "k", "b", "c")]
        assert w.nothing_within(0.1)  # queued, not run: nothing served yet
        got += [c.call("EXEC"), w.reply(), c.call("LRANGE", "k", "0", "-1")]
        return got

    on_both(scenario)


def test_exec_serves_blocked_clients_after_the_whole_transaction(on_both):
    # The transaction pushes then empties the key: the waiter sees nothing, as in Redis, where
    # blocked clients are served only once EXEC has returned.
    def scenario(connect):
        c, w = connect(), connect()
        w.send("BLPOP", "k", "0")
        settle()
        got = [c.call("MULTI"), c.call("RPUSH", "k", "a"), c.call("DEL", "k"), c.call("EXEC")]
        assert w.nothing_within(0.1)
        got += [c.call("MULTI"), c.call("RPUSH", "k", "a", "b"), c.call("RPOP", "k"),
                c.call("EXEC"), w.reply(), c.call("EXISTS", "k")]
        return got

    on_both(scenario)


def test_blocked_client_served_by_a_transaction_fails_a_watch_on_the_destination(on_both):
    def scenario(connect):
        c, w, watcher = connect(), connect(), connect()
        w.send("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
        settle()
        got = [watcher.call("WATCH", "dst"), c.call("MULTI"), c.call("RPUSH", "src", "x"),
               c.call("EXEC"), w.reply(), watcher.call("MULTI"), watcher.call("EXEC")]
        return got

    assert on_both(scenario)[-1] == b"*-1\r\n"
