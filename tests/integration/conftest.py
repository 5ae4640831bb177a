"""Fixtures for the integration tests: tandem and the real Redis 7.0 side by side.

Session-scoped `tandem_server` and `redis_server` run for the whole test run with the same
configuration; the function-scoped clients `tandem`, `redis_ref` and `both` FLUSHALL them
first. Tests that need special configuration start their own servers with `start_server` /
`start_pair`, which stop them when the test ends, pass or fail.

Helpers (import them with `from conftest import assert_same, ...` or from `servers`):
- assert_same(both, *command): the same command on both servers; equal replies or equal
  error texts, returns tandem's reply.
- same_all(both, *commands): assert_same for each command, returns tandem's replies.
- same_digest(both): DEBUG DIGEST equal on both servers.
- k: fixture; k("a") is a key name private to the test.
- assert_same_raw(payload): fixture; exact bytes answered by both servers on fresh
  connections (and whether each closed the connection).
- raw_exchange(port, payload), RawConnection, redis_cli(port, *args), parse_resp.
- DBS, populate(c), snapshot(c): a dataset of every type, encoding and TTL in several
  databases, and its comparable dump (RDB and replication tests).
- info_fields(client, section), wait_until(predicate), wait_synced(master, replica): INFO as
  written, polling, a replica caught up; `clients` (fixture: clients(server) opens a client
  closed after the test) and `proxy_to` (fixture: proxy_to(port) is a LoopbackProxy whose
  cut()/resume() break and restore the link).
- on_both: fixture; on_both(scenario) runs scenario(connect) on both servers with RawClients
  (several blocked clients at once) and compares the transcripts; settle() between clients.
"""

import os
import re
import socket
import threading
import time

import pytest
import redis

from servers import (  # noqa: F401  (re-exported for the tests)
    HOST,
    IncompleteReply,
    RawConnection,
    Resp3Map,
    Resp3Push,
    Resp3Set,
    RespError,
    ServerProcess,
    ServerExitError,
    ServerStartError,
    close_client,
    encode_command,
    free_port,
    make_client,
    parse_all,
    parse_resp,
    raw_exchange,
    redis_cli,
    skip_replies,
    tandem_binary,
)

# --- comparing the two servers --------------------------------------------------------------


def _normalize(value):
    """Makes a reply comparable: nested errors become their text."""
    if isinstance(value, redis.ResponseError):
        return RespError(str(value).encode())
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_normalize(v) for v in value)
    return value


def run_command(client, *args):
    """Sends one command through the client's connection and returns the raw reply (no
    redis-py response callbacks, which would lose information), or a RespError for an error
    reply. The connection (and so its SELECTed db, its protocol state) is reused."""
    pool = client.connection_pool
    conn = pool.get_connection(args[0] if args else "")
    try:
        conn.send_command(*args)
        try:
            reply = conn.read_response()
        except redis.ResponseError as e:
            return RespError(str(e).encode())
        return _normalize(reply)
    except BaseException:
        # A timeout or broken connection leaves unread bytes behind: never reuse it.
        conn.disconnect()
        raise
    finally:
        pool.release(conn)


def _short(value, limit=300):
    """repr() cut to a readable length for assertion messages."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"


def _sorted_if(value, unordered):
    if unordered and isinstance(value, list):
        return sorted(value, key=repr)
    return value


def assert_same(both, *args, unordered=False):
    """Runs the command on tandem and Redis; asserts identical replies (or byte-identical
    errors). `unordered=True` compares a top-level array as a multiset (for SMEMBERS, KEYS...).
    Returns tandem's reply (a RespError for an error)."""
    tandem, reference = both
    expected = run_command(reference, *args)
    actual = run_command(tandem, *args)
    assert _sorted_if(actual, unordered) == _sorted_if(expected, unordered), (
        f"command {_short(args)}\n  tandem: {_short(actual)}\n  redis:  {_short(expected)}"
    )
    return actual


def same_all(both, *commands, unordered=False):
    """assert_same for each command in turn; returns tandem's replies."""
    return [assert_same(both, *c, unordered=unordered) for c in commands]


def same_digest(both):
    """DEBUG DIGEST on both servers: asserts they are equal and returns tandem's."""
    ours, theirs = (run_command(c, "DEBUG", "DIGEST") for c in both)
    assert ours == theirs, f"tandem digest {ours!r} != redis {theirs!r}"
    return ours


def assert_same_error(both, *args):
    """assert_same, and the reply must be an error."""
    reply = assert_same(both, *args)
    assert isinstance(reply, RespError), f"expected an error for {args!r}, got {reply!r}"
    return reply


def _exchange_with_close(port, payload, expected_len=None, quiet=0.2, timeout=10.0,
                         chunk_delay=0.0):
    with RawConnection(port, timeout=timeout) as conn:
        chunks = payload if isinstance(payload, list) else [payload]
        for i, chunk in enumerate(chunks):
            if i and chunk_delay:
                time.sleep(chunk_delay)
            conn.send(chunk)
        # The settle / tail wait also tells whether the server closes after its replies.
        data = conn.read(expected_len=expected_len, quiet=quiet, timeout=timeout, settle=0.1)
        if expected_len is not None and not conn.closed_by_peer:
            data += conn.read(quiet=0.1, timeout=timeout)  # anything extra is a difference too
        return data, conn.closed_by_peer


_HELLO_ID = re.compile(rb"\$2\r\nid\r\n:\d+\r\n")


def mask_hello_id(data):
    """Replaces the client id in HELLO replies, the one field that differs between servers."""
    return _HELLO_ID.sub(b"$2\r\nid\r\n:<id>\r\n", data)


def compare_raw(tandem_port, redis_port, payload, skip=0, check_close=True, quiet=0.2,
                timeout=10.0, chunk_delay=0.0, mask=None):
    """Sends payload to both servers on fresh connections and asserts the exact same bytes come
    back (after the first `skip` replies, e.g. a HELLO whose id differs; or after applying
    `mask` to both, e.g. mask_hello_id) and that both close the connection or both keep it
    open. Returns tandem's bytes (unmasked, after `skip`)."""
    expected, redis_closed = _exchange_with_close(redis_port, payload, quiet=quiet,
                                                  timeout=timeout, chunk_delay=chunk_delay)
    actual, tandem_closed = _exchange_with_close(tandem_port, payload,
                                                 expected_len=len(expected) or None,
                                                 quiet=quiet, timeout=timeout,
                                                 chunk_delay=chunk_delay)
    if skip:
        expected = skip_replies(expected, skip)
        try:
            actual = skip_replies(actual, skip)
        except (IncompleteReply, ValueError):
            pass  # the assertion below shows the whole answer
    if mask is not None:
        expected = mask(expected)
        masked = mask(actual)
    else:
        masked = actual
    assert masked == expected, (
        f"payload {_short(payload)}\n  tandem: {_short(masked)}\n  redis:  {_short(expected)}"
    )
    if check_close:
        def state(closed):
            return "closed" if closed else "kept"

        assert tandem_closed == redis_closed, (
            f"payload {_short(payload)}: redis {state(redis_closed)} the connection, "
            f"tandem {state(tandem_closed)} it"
        )
    return actual


# --- several raw clients at once (blocking commands) -----------------------------------------


class RawClient:
    """A raw client: send commands, read one reply at a time (or check that none came)."""

    def __init__(self, port):
        self.raw = RawConnection(port, timeout=5.0)

    def send(self, *args):
        self.raw.send(encode_command(*args))

    def reply(self, timeout=5.0):
        data = self.raw.read_reply(timeout=timeout)
        parse_resp(data, 0)  # a complete, well-formed reply
        return data

    def call(self, *args):
        self.send(*args)
        return self.reply()

    def nothing_within(self, seconds):
        """True when no byte arrives within `seconds` (the client is still blocked)."""
        data = self.raw.read(quiet=seconds, timeout=seconds)
        assert data == b"", f"unexpected reply {data!r}"
        return True

    def close(self):
        self.raw.close()


def settle():
    """Lets the server read a command sent on another connection before the next one is sent,
    so the order in which clients block is the order of the test."""
    time.sleep(0.05)


@pytest.fixture
def on_both(tandem_server, redis_server, both):
    """on_both(scenario) runs scenario(connect) -> transcript on both servers (fresh keyspaces;
    connect() opens a RawClient) and asserts the transcripts are equal. Returns tandem's."""
    opened = []

    def run(scenario):
        results = {}
        for name, server in (("redis", redis_server), ("tandem", tandem_server)):
            def connect(port=server.port):
                conn = RawClient(port)
                opened.append(conn)
                return conn

            connect().call("FLUSHALL")
            results[name] = scenario(connect)
        assert results["tandem"] == results["redis"]
        return results["tandem"]

    yield run
    for conn in opened:
        conn.close()


# --- servers --------------------------------------------------------------------------------


def _start(kind, args=()):
    server = ServerProcess(kind, args)
    try:
        server.start()
    except BaseException:
        server.destroy()
        raise
    return server


@pytest.fixture(scope="session")
def tandem_server():
    try:
        server = _start("tandem")
    except ServerStartError as e:
        pytest.fail(str(e), pytrace=False)
    yield server
    server.destroy()


@pytest.fixture(scope="session")
def redis_server():
    server = _start("redis")
    yield server
    server.destroy()


def _check_alive(server, when):
    """A crashed session server fails the test that crashed it, then is restarted so the tests
    after it still run."""
    if server.alive():
        return
    rc = server.proc.returncode if server.proc else None
    tail = server.output_tail()
    try:
        server.stop()
    except ServerExitError as e:
        tail = str(e)  # its sanitizer report
    server.start()
    pytest.fail(f"{server.kind} server died ({when}, exit code {rc}); last output:\n{tail}",
                pytrace=False)


def _fresh_client(server):
    _check_alive(server, "before this test")
    client = server.client()
    try:
        client.execute_command("FLUSHALL")
    except redis.ResponseError:
        pass  # a server still without FLUSHALL: tests only see their own keys then
    return client


@pytest.fixture
def tandem(tandem_server):
    client = _fresh_client(tandem_server)
    yield client
    close_client(client)
    _check_alive(tandem_server, "during this test")


@pytest.fixture
def redis_ref(redis_server):
    client = _fresh_client(redis_server)
    yield client
    close_client(client)


@pytest.fixture
def both(tandem, redis_ref):
    return (tandem, redis_ref)


@pytest.fixture
def k(request):
    """k("a") -> a key name private to this test."""
    prefix = request.node.name
    return lambda name="k": f"{prefix}:{name}"


@pytest.fixture
def assert_same_raw(tandem_server, redis_server, both):
    """assert_same_raw(payload, skip=0, check_close=True): exact bytes from both servers."""

    def check(payload, **kw):
        return compare_raw(tandem_server.port, redis_server.port, payload, **kw)

    return check


@pytest.fixture
def start_server():
    """start_server(kind, *args) -> a started ServerProcess, stopped after the test."""
    started = []

    def start(kind, *args):
        server = _start(kind, args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.destroy()


@pytest.fixture
def start_pair(start_server):
    """start_pair(*args) -> (tandem ServerProcess, redis ServerProcess) with the same config."""

    def start(*args):
        return start_server("tandem", *args), start_server("redis", *args)

    return start


# --- datasets -------------------------------------------------------------------------------


DBS = (0, 1, 5)


def populate(c):
    """Every type and encoding Redis 7.0 writes, with TTLs, in several databases."""
    for db in DBS:
        c.execute_command("SELECT", db)
        p = f"db{db}:"
        c.set(p + "int", 12345)
        c.set(p + "bigint", -9223372036854775808)
        c.set(p + "str", "hello world")
        c.set(p + "long", "x" * 500 + "tail")  # LZF-compressed
        c.set(p + "random", os.urandom(300))  # incompressible
        c.set(p + "empty", "")
        c.set(p + "float", "3.14")
        c.rpush(p + "list", *[f"e{i}" if i % 3 else i for i in range(20)])
        c.rpush(p + "biglist", *[("v" * (i % 50)) + str(i) for i in range(3000)])
        c.sadd(p + "intset", 1, -7, 70000, 5000000000)
        c.sadd(p + "set", *[f"m{i}" for i in range(40)])
        c.sadd(p + "bigintset", *range(600))
        c.hset(p + "hash", mapping={"f1": "v1", "f2": 42, "f3": "x" * 30})
        c.hset(p + "bighash", mapping={f"field{i}": f"value{i}" for i in range(300)})
        c.hset(p + "longhash", mapping={"f": "y" * 100})
        c.zadd(p + "zset", {"a": 1.5, "b": -3, "c": float("inf"), "d": 0})
        c.zadd(p + "bigzset", {f"member{i}": i * 0.1 - 5 for i in range(400)})
        c.zadd(p + "longzset", {"z" * 100: 2.5, "short": float("-inf")})
        c.pexpire(p + "str", 500000)
        c.pexpire(p + "list", 3600000)
        c.expire(p + "bighash", 86400)
    c.execute_command("SELECT", 0)


def snapshot(c):
    """db -> key -> (type, encoding, value, absolute expiry in ms)."""
    out = {}
    for db in DBS:
        c.execute_command("SELECT", db)
        keys = {}
        for key in c.keys("*"):
            t = c.type(key).decode()
            if t == "string":
                v = c.get(key)
            elif t == "list":
                v = c.lrange(key, 0, -1)
            elif t == "set":
                v = sorted(c.smembers(key))
            elif t == "zset":
                v = c.zrange(key, 0, -1, withscores=True)
            else:
                v = sorted(c.hgetall(key).items())
            enc = c.object("encoding", key)
            keys[key] = (t, enc, v, c.execute_command("PEXPIRETIME", key))
        out[db] = keys
    c.execute_command("SELECT", 0)
    return out


# --- replication ----------------------------------------------------------------------------


def info_fields(client, section="replication"):
    """INFO as the server wrote it: field -> text, in order (no redis-py parsing)."""
    client.set_response_callback("INFO", lambda response, **kw: response)
    text = client.execute_command("INFO", section).decode()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def wait_until(predicate, timeout=20.0, what="condition"):
    """Polls until predicate() is truthy and returns its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def wait_synced(master, replica, count=1):
    """Until `count` replicas are online and `replica` applied the master's whole stream."""

    def synced():
        m, r = info_fields(master), info_fields(replica)
        online = sum(1 for k, v in m.items() if k.startswith("slave") and "state=online" in v)
        return (online >= count and r.get("master_link_status") == "up"
                and r.get("master_repl_offset") == m["master_repl_offset"])

    wait_until(synced, what="replica in sync")


@pytest.fixture
def clients():
    made = []

    def connect(server):
        c = make_client(server.port)
        made.append(c)
        return c

    yield connect
    for c in made:
        close_client(c)


class LoopbackProxy:
    """Forwards a local port to the master; cut() drops every link and refuses new ones until
    resume(), so the replica sees its master go away and come back; stall() freezes the links
    open now (nothing flows either way, nothing is closed) while new links flow, as a network
    that silently stopped delivering."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((HOST, 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.links = []
        self.lock = threading.Lock()
        self.closed = False
        self.frozen = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                downstream.close()
                continue
            upstream = socket.create_connection((HOST, self.target_port))
            with self.lock:
                self.links += [downstream, upstream]
            for a, b in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                while source in self.frozen and not self.closed:
                    time.sleep(0.01)
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        self.open = False
        with self.lock:
            links, self.links = self.links, []
        for s in links:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def resume(self):
        self.open = True

    def stall(self):
        with self.lock:
            self.frozen = set(self.links)

    def close(self):
        self.closed = True
        self.cut()
        self.listener.close()


@pytest.fixture
def proxy_to():
    made = []

    def make(port):
        p = LoopbackProxy(port)
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()
