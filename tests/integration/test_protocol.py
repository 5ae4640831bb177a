"""Wire-level protocol tests: tandem must answer the exact bytes Redis 7.0 answers.

Covers inline commands and their quoting, multibulk requests split at every byte, deep
pipelines, protocol errors (reply, then close, like Redis), ignored empty requests,
unknown-command and arity error texts, RESP3 encodings after HELLO 3, and clients that try to
stall the server.
"""

import random
import threading
import time

import pytest

from conftest import Resp3Map, compare_raw, encode_command, parse_resp, raw_exchange
from servers import RawConnection

# --- inline commands ------------------------------------------------------------------------

INLINE_REQUESTS = [
    b"PING\r\n",
    b"PING\n",
    b"ping\r\n",
    b"PING hello\r\n",
    b"   PING    \r\n",
    b"\tPING\t\r\n",
    b'ECHO "a b"\r\n',
    b"ECHO 'a b'\r\n",
    b'ECHO ""\r\n',
    b"ECHO ''\r\n",
    b'ECHO "\\x41\\x7a\\x4A"\r\n',
    b'ECHO "\\n\\r\\t\\b\\a\\\\\\"q"\r\n',
    b'ECHO "\\xzz"\r\n',
    b'ECHO "\\x4"\r\n',
    b"ECHO 'it\\'s'\r\n",
    b"ECHO 'back\\\\slash \\n'\r\n",
    b'ECHO "a"\r\n',
    b"ECHO caf\xc3\xa9\r\n",
    b"ECHO a b\r\n",
    b"ECHO\r\n",
    b"PING\r\nPING\r\nECHO x\r\n",
    b"ECHO a\rb\r\n",
]


@pytest.mark.parametrize("payload", INLINE_REQUESTS, ids=repr)
def test_inline_command_replies_match_redis(assert_same_raw, payload):
    assert_same_raw(payload)


UNBALANCED_QUOTES = [
    b'ECHO "abc\r\n',
    b"ECHO 'abc\r\n",
    b'ECHO "foo"bar\r\n',
    b"ECHO 'foo'bar\r\n",
    b'ECHO a"b\r\n',
    b'ECHO "trailing backslash\\"\r\n',
    b'PING\r\nECHO "x\r\nPING\r\n',
]


@pytest.mark.parametrize("payload", UNBALANCED_QUOTES, ids=repr)
def test_inline_unbalanced_quotes_is_an_error_and_closes(assert_same_raw, payload):
    reply = assert_same_raw(payload)
    assert reply.endswith(b"-ERR Protocol error: unbalanced quotes in request\r\n")


# --- requests split across reads ------------------------------------------------------------

SPLIT_PAYLOAD = (
    encode_command("ECHO", "hello world")
    + b"PING\r\n"
    + encode_command("PING")
    + b"*0\r\n"
    + b"\r\n"
    + encode_command("SELECT", "0")
    + b'ECHO "x y"\r\n'
    + encode_command("ECHO", "")
    + encode_command("ECHO", "a\r\nb")
)


@pytest.fixture(scope="module")
def split_expected(redis_server):
    return raw_exchange(redis_server.port, SPLIT_PAYLOAD)


def test_split_payload_reference_is_complete(split_expected):
    replies = []
    pos = 0
    while pos < len(split_expected):
        value, pos = parse_resp(split_expected, pos)
        replies.append(value)
    assert replies == [b"hello world", b"PONG", b"PONG", b"OK", b"x y", b"", b"a\r\nb"]


def test_request_split_at_every_byte_boundary(tandem_server, split_expected):
    for cut in range(1, len(SPLIT_PAYLOAD)):
        with RawConnection(tandem_server.port) as conn:
            conn.send(SPLIT_PAYLOAD[:cut])
            time.sleep(0.002)
            conn.send(SPLIT_PAYLOAD[cut:])
            got = conn.read(expected_len=len(split_expected), timeout=5)
        assert got == split_expected, f"split at byte {cut}: {SPLIT_PAYLOAD[:cut]!r} | ..."


def test_request_sent_one_byte_at_a_time(assert_same_raw, split_expected):
    chunks = [SPLIT_PAYLOAD[i : i + 1] for i in range(len(SPLIT_PAYLOAD))]
    got = assert_same_raw(chunks, chunk_delay=0.001)
    assert got == split_expected


def test_large_bulk_argument_in_odd_chunks(assert_same_raw):
    value = random.Random(7).randbytes(300_000)
    payload = encode_command("ECHO", value) + b"PING\r\n"
    chunks = [payload[i : i + 65_521] for i in range(0, len(payload), 65_521)]
    got = assert_same_raw(chunks, chunk_delay=0.005)
    assert got == b"$%d\r\n%s\r\n+PONG\r\n" % (len(value), value)


def test_pipeline_of_ten_thousand_commands_in_one_write(tandem_server, redis_server):
    payload = b"".join(
        encode_command("ECHO", f"msg-{i}") if i % 3 else b"PING\r\n" for i in range(10_000)
    )
    expected = b"".join(
        b"$%d\r\nmsg-%d\r\n" % (len(b"msg-%d" % i), i) if i % 3 else b"+PONG\r\n"
        for i in range(10_000)
    )

    def run(port):
        with RawConnection(port) as conn:
            # Send from a thread so neither side can block on a full socket buffer.
            sender = threading.Thread(target=conn.send, args=(payload,))
            sender.start()
            got = conn.read(expected_len=len(expected), timeout=20)
            sender.join()
            extra = conn.read(quiet=0.1)
            return got + extra

    assert run(redis_server.port) == expected
    assert run(tandem_server.port) == expected


# --- protocol errors: Redis replies, then closes the connection -----------------------------

PROTOCOL_ERRORS = [
    (b"*abc\r\n", b"invalid multibulk length"),
    (b"*1x\r\n$4\r\nPING\r\n", b"invalid multibulk length"),
    (b"*01\r\n$4\r\nPING\r\n", b"invalid multibulk length"),
    (b"*+1\r\n$4\r\nPING\r\n", b"invalid multibulk length"),
    (b"*-0\r\nPING\r\n", b"invalid multibulk length"),
    (b"* 1\r\n$4\r\nPING\r\n", b"invalid multibulk length"),
    (b"*1 \r\n$4\r\nPING\r\n", b"invalid multibulk length"),
    (b"*1\n$4\r\nPING\r\n", b"invalid multibulk length"),
    (b"*3000000000\r\n", b"invalid multibulk length"),
    (b"*1\r\n+foo\r\n", b"expected '$', got '+'"),
    (b"*2\r\n$4\r\nECHO\r\n:5\r\n", b"expected '$', got ':'"),
    (b"*1\r\r\n$4\r\nPING\r\n", b"expected '$', got ' '"),
    (b"*1\r\n$-5\r\n", b"invalid bulk length"),
    (b"*1\r\n$-1\r\n", b"invalid bulk length"),
    (b"*1\r\n$abc\r\n", b"invalid bulk length"),
    (b"*1\r\n$+4\r\nPING\r\n", b"invalid bulk length"),
    (b"*1\r\n$04\r\nPING\r\n", b"invalid bulk length"),
    (b"*1\r\n$4 \r\nPING\r\n", b"invalid bulk length"),
    (b"*1\r\n$536870913\r\n", b"invalid bulk length"),  # proto-max-bulk-len is 512mb
    (b"*1\r\n$99999999999999999999\r\n", b"invalid bulk length"),
    (b"PING\r\n*abc\r\nPING\r\n", b"invalid multibulk length"),
    (b"*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n",
     b"invalid multibulk length"),
]


@pytest.mark.parametrize("payload,message", PROTOCOL_ERRORS,
                         ids=[repr(p) for p, _ in PROTOCOL_ERRORS])
def test_protocol_error_replies_and_closes(assert_same_raw, payload, message):
    reply = assert_same_raw(payload)
    assert reply.endswith(b"-ERR Protocol error: " + message + b"\r\n")


def test_bulk_length_over_configured_proto_max_bulk_len(start_pair):
    tandem, reference = start_pair("--proto-max-bulk-len", "1mb")
    ok = encode_command("ECHO", b"x" * (1024 * 1024))
    compare_raw(tandem.port, reference.port, ok, quiet=0.5)
    too_big = b"*2\r\n$4\r\nECHO\r\n$1048577\r\n"
    reply = compare_raw(tandem.port, reference.port, too_big)
    assert reply == b"-ERR Protocol error: invalid bulk length\r\n"


@pytest.mark.parametrize(
    "payload,message",
    [
        (b"A" * 70_000, b"too big inline request"),
        (b"*" + b"1" * 70_000, b"too big mbulk count string"),
        (b"*1\r\n$" + b"1" * 70_000, b"too big bulk count string"),
    ],
    ids=["inline", "mbulk-count", "bulk-count"],
)
def test_oversized_header_without_newline(assert_same_raw, payload, message):
    reply = assert_same_raw(payload, quiet=0.5)
    assert reply == b"-ERR Protocol error: " + message + b"\r\n"


def test_bulk_not_followed_by_crlf_is_taken_as_is(assert_same_raw):
    # Redis skips the two bytes after a bulk without checking them; so must we.
    assert assert_same_raw(b"*1\r\n$4\r\nPINGxxPING\r\n") == b"+PONG\r\n+PONG\r\n"


def test_empty_command_name(assert_same_raw):
    reply = assert_same_raw(b"*1\r\n$0\r\n\r\n")
    assert reply == b"-ERR unknown command '', with args beginning with: \r\n"


# --- limits before AUTH ---------------------------------------------------------------------


@pytest.fixture
def password_pair(start_pair):
    return start_pair("--requirepass", "secret")


@pytest.mark.parametrize(
    "payload,reply",
    [
        (b"*11\r\n", b"-ERR Protocol error: unauthenticated multibulk length\r\n"),
        (b"*1\r\n$16385\r\n", b"-ERR Protocol error: unauthenticated bulk length\r\n"),
        (encode_command("PING", *["x"] * 9), b"-NOAUTH Authentication required.\r\n"),
        (b"*2\r\n$4\r\nECHO\r\n$16384\r\n" + b"x" * 16384 + b"\r\n",
         b"-NOAUTH Authentication required.\r\n"),
    ],
    ids=["multibulk-11", "bulk-16385", "multibulk-10", "bulk-16384"],
)
def test_unauthenticated_request_limits(password_pair, payload, reply):
    tandem, reference = password_pair
    assert compare_raw(tandem.port, reference.port, payload) == reply


def test_limits_lifted_after_auth(password_pair):
    tandem, reference = password_pair
    payload = (
        b"AUTH secret\r\n"
        + encode_command("ECHO", *["a"] * 10)
        + encode_command("ECHO", b"y" * 20000)
    )
    reply = compare_raw(tandem.port, reference.port, payload)
    assert reply.startswith(b"+OK\r\n-ERR wrong number of arguments for 'echo' command\r\n$20000")


# --- requests that are ignored --------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix",
    [b"\r\n", b"\n", b"   \r\n", b"*0\r\n", b"*-1\r\n", b"*-5\r\n", b"\r\n\r\n*0\r\n*-1\r\n\n"],
    ids=repr,
)
def test_empty_requests_are_ignored(assert_same_raw, prefix):
    assert assert_same_raw(prefix + b"PING\r\n") == b"+PONG\r\n"


def test_only_empty_requests_get_no_reply(assert_same_raw):
    assert assert_same_raw(b"\r\n*0\r\n*-1\r\n") == b""


# --- command lookup errors ------------------------------------------------------------------

LOOKUP_ERRORS = [
    b"FOO\r\n",
    b"FOO a b\r\n",
    b"foo A 'b c'\r\n",
    b'FOO "a\\r\\nb" c\r\n',
    encode_command("NOSUCHCOMMAND", *[("x" * 50) + str(i) for i in range(10)]),
    encode_command("Z" * 300, "a"),
    encode_command("FOO", "x" * 200),
    encode_command("FOO", "a\r\nb", "c\nd"),
    b"ECHO\r\n",
    b"ECHO a b\r\n",
    b"eChO\r\n",
    b"PING a b\r\n",
    b"SELECT\r\n",
    b"SELECT 1 2\r\n",
    b"GET\r\n",
    b"SET k\r\n",
    b"RESET x\r\n",
    b"CONFIG\r\n",
    b"CONFIG GET\r\n",
    b"config foo\r\n",
    b"CONFIG foo bar\r\n",
    b"CLIENT NOSUCH\r\n",
    b"COMMAND foo\r\n",
]


@pytest.mark.parametrize("payload", LOOKUP_ERRORS, ids=lambda p: repr(p[:60]))
def test_command_lookup_and_arity_errors(assert_same_raw, payload):
    reply = assert_same_raw(payload)
    assert reply.startswith(b"-ERR ")


def test_errors_do_not_close_the_connection(assert_same_raw):
    reply = assert_same_raw(b"FOO\r\nECHO\r\nPING\r\n")
    assert reply.endswith(b"+PONG\r\n")


# --- RESP3 ----------------------------------------------------------------------------------


def test_hello3_reply_structure(tandem_server, redis_server):
    mine = raw_exchange(tandem_server.port, b"HELLO 3\r\n", until=b"*0\r\n")
    theirs = raw_exchange(redis_server.port, b"HELLO 3\r\n", until=b"*0\r\n")
    mine_value, end = parse_resp(mine)
    assert end == len(mine)
    theirs_value, _ = parse_resp(theirs)
    assert isinstance(mine_value, Resp3Map)
    assert mine.startswith(b"%7\r\n")
    mine_fields = dict(mine_value)
    theirs_fields = dict(theirs_value)
    assert [k for k, _ in mine_value] == [k for k, _ in theirs_value]
    assert isinstance(mine_fields[b"id"], int) and mine_fields[b"id"] > 0
    for key in (b"server", b"version", b"proto", b"mode", b"role", b"modules"):
        assert mine_fields[key] == theirs_fields[key], key
    assert mine_fields[b"proto"] == 3


RESP3_EXCHANGES = [
    b"GET missing\r\n",
    b"CONFIG GET maxmemory\r\n",
    b"CONFIG GET maxmemory-policy\r\n",
    b"PING\r\nPING x\r\nECHO y\r\n",
    b"FOO bar\r\n",
    b"HGET missing f\r\n",
    b"LPOP missing\r\n",
    b"MGET missing1 missing2\r\n",
    b"HELLO 2\r\nGET missing\r\nCONFIG GET maxmemory\r\n",
]


@pytest.mark.parametrize("payload", RESP3_EXCHANGES, ids=repr)
def test_resp3_replies_match_redis_bytes(assert_same_raw, payload):
    hello_replies = payload.count(b"HELLO") + 1
    assert_same_raw(b"HELLO 3\r\n" + payload, skip=hello_replies)


def test_resp3_null_and_map_bytes(assert_same_raw):
    reply = assert_same_raw(b"HELLO 3\r\nGET missing\r\nCONFIG GET maxmemory\r\n", skip=1)
    assert reply == b"_\r\n%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"


DEBUG_PROTOCOL_TYPES = ["string", "integer", "double", "bignum", "null", "array", "set", "map",
                        "attrib", "push", "verbatim", "true", "false"]


@pytest.mark.parametrize("resp", [2, 3])
@pytest.mark.parametrize("kind", DEBUG_PROTOCOL_TYPES)
def test_debug_protocol_encodings(assert_same_raw, resp, kind):
    assert_same_raw(b"HELLO %d\r\nDEBUG PROTOCOL %s\r\n" % (resp, kind.encode()), skip=1)


# --- hostile clients ------------------------------------------------------------------------


def ping_latencies(port, duration, interval=0.05):
    latencies = []
    with RawConnection(port, timeout=5) as conn:
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            start = time.monotonic()
            conn.send(b"PING\r\n")
            assert conn.read(until=b"+PONG\r\n", timeout=5) == b"+PONG\r\n"
            latencies.append(time.monotonic() - start)
            time.sleep(interval)
    return latencies


def test_slowloris_does_not_block_other_clients(tandem_server):
    request = encode_command("ECHO", "hello")
    result = {}

    def slow_client():
        with RawConnection(tandem_server.port, timeout=10) as conn:
            for byte in request:
                conn.send(bytes([byte]))
                time.sleep(0.05)
            result["reply"] = conn.read(until=b"hello\r\n", timeout=5)

    thread = threading.Thread(target=slow_client)
    thread.start()
    try:
        latencies = ping_latencies(tandem_server.port, duration=1.0)
    finally:
        thread.join(timeout=15)
    assert max(latencies) < 0.5, latencies
    assert result.get("reply") == b"$5\r\nhello\r\n"


def test_garbage_client_does_not_block_other_clients(tandem_server):
    rng = random.Random(1234)
    # No NUL-free inline request can be a real command with real arguments by chance here:
    # every line starts with a byte that no command name starts with.
    garbage = b"".join(
        b"\x01" + bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 200))) + b"\r\n"
        for _ in range(300)
    )
    stop = threading.Event()

    def garbage_client():
        while not stop.is_set():
            try:
                with RawConnection(tandem_server.port, timeout=2) as conn:
                    conn.send(garbage)
                    conn.read(quiet=0.05, timeout=1)
            except OSError:
                pass

    thread = threading.Thread(target=garbage_client)
    thread.start()
    try:
        latencies = ping_latencies(tandem_server.port, duration=1.0)
    finally:
        stop.set()
        thread.join(timeout=15)
    assert max(latencies) < 0.5, latencies
    assert tandem_server.alive()


def test_stalled_big_bulk_and_idle_clients_do_not_block_others(tandem_server):
    stalled = RawConnection(tandem_server.port)
    idle = RawConnection(tandem_server.port)
    try:
        stalled.send(b"*2\r\n$4\r\nECHO\r\n$100000000\r\n" + b"x" * 1000)
        latencies = ping_latencies(tandem_server.port, duration=0.5)
        assert max(latencies) < 0.5, latencies
    finally:
        stalled.close()
        idle.close()
    assert raw_exchange(tandem_server.port, b"PING\r\n", until=b"\r\n") == b"+PONG\r\n"


def test_client_that_never_reads_does_not_block_others(tandem_server):
    greedy = RawConnection(tandem_server.port, timeout=0.5)
    try:
        request = encode_command("ECHO", "z" * 1000) * 1000  # ~1 MB of replies per write
        for _ in range(8):
            try:
                greedy.send(request)
            except OSError:
                break  # our send buffer is full: the server stopped reading us, as it may
        latencies = ping_latencies(tandem_server.port, duration=0.5)
        assert max(latencies) < 0.5, latencies
    finally:
        greedy.close()
    assert raw_exchange(tandem_server.port, b"PING\r\n", until=b"\r\n") == b"+PONG\r\n"


def test_garbage_reply_matches_redis(assert_same_raw):
    rng = random.Random(99)
    garbage = b"\x01" + bytes(rng.getrandbits(8) for _ in range(300)).replace(b"\n", b"") + b"\r\n"
    assert_same_raw(garbage)
