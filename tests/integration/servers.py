"""Server processes and wire helpers shared by the integration tests.

Every test compares tandem with the real Redis 7.0 running beside it, so this module starts
either binary the same way (free loopback port, private temp dir, `--save ''`), talks to them
through redis-py or raw sockets, and makes sure no process outlives the test run: each server
is stopped by its fixture, again at interpreter exit, and by the kernel (PR_SET_PDEATHSIG) if
pytest itself is killed. A tandem that does not exit cleanly when stopped (a non-zero exit
code, or a sanitizer report such as LeakSanitizer's at exit in an ASan build) fails the test
that stopped it (ServerExitError).
"""

import atexit
import ctypes
import itertools
import os
import pathlib
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import redis
from redis.connection import PythonParser

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"
HOST = "127.0.0.1"


def tandem_binary():
    """The tandem binary: $TANDEM_SERVER (set by ctest) or build/tandem-server in the repo."""
    path = os.environ.get("TANDEM_SERVER") or str(REPO_ROOT / "build" / "tandem-server")
    return path


# Ports this test process hands out: below Linux's ephemeral range (32768 and up), so no
# outgoing connection holds one, and a block of its own per pytest-xdist worker (gw0, gw1, ...),
# walked from a random point so that two test runs on one machine rarely meet. Ports the kernel
# picks for port 0 are shared by all workers: one worker's server could take a port another had
# just probed. Should another run's server still win a port, start-up notices (_listens_on).
_PORTS_PER_WORKER = 2000
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_PORT_BASE = 20000 + (int(_worker[2:]) % 6 if _worker[2:].isdigit() else 0) * _PORTS_PER_WORKER
_next_port = itertools.count(random.randrange(_PORTS_PER_WORKER))


def _listens_on(pid, port):
    """Whether process `pid` holds the socket listening on loopback `port` (a reply to PING may
    come from another process that still had the port while ours was starting)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:[") and link[8:-1] in inodes:
            return True
    return False


def free_port():
    """A loopback port of this worker's block that nobody uses right now."""
    for _ in range(_PORTS_PER_WORKER):
        port = _PORT_BASE + next(_next_port) % _PORTS_PER_WORKER
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port in {_PORT_BASE}..{_PORT_BASE + _PORTS_PER_WORKER - 1}")


# --- redis-py clients whose errors keep Redis's exact text ---------------------------------


class ExactErrorParser(PythonParser):
    """redis-py's parser, except that an error reply keeps its full text (redis-py strips the
    "ERR " / "NOAUTH " prefix) and authentication errors are plain ResponseErrors rather than
    ConnectionErrors, which would make redis-py drop the connection and its state."""

    EXCEPTION_CLASSES = {
        code: classes
        for code, classes in PythonParser.EXCEPTION_CLASSES.items()
        if code not in ("ERR", "NOAUTH")
    }

    def parse_error(self, response):
        code = response.split(" ")[0]
        exception_class = self.EXCEPTION_CLASSES.get(code, redis.ResponseError)
        if isinstance(exception_class, dict):
            exception_class = redis.ResponseError
        return exception_class(response)


def make_client(port, **kw):
    """A redis-py client for a local server: bytes replies, 10 s socket timeout, exact errors."""
    options = dict(
        host=HOST,
        port=port,
        decode_responses=False,
        socket_timeout=10,
        socket_connect_timeout=10,
        parser_class=ExactErrorParser,
    )
    options.update(kw)
    pool = redis.ConnectionPool(**options)
    return redis.Redis(connection_pool=pool)


def close_client(client):
    try:
        client.connection_pool.disconnect()
    except Exception:
        pass


# --- processes ------------------------------------------------------------------------------

_LIVE = set()


def _set_parent_death_signal():
    # Runs in the child between fork and exec: if pytest dies, the kernel kills the server.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


@atexit.register
def _stop_leftovers():
    for server in list(_LIVE):
        try:
            server.stop()
        except ServerExitError as e:
            print(e)


class ServerStartError(RuntimeError):
    pass


class ServerExitError(AssertionError):
    """tandem did not exit cleanly: the message has its exit code and the end of its output."""


# What ASan, LSan (at exit), UBSan and TSan print when they find something: any of them in
# tandem's output fails the test that stopped it, whatever its exit code.
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "WARNING: ThreadSanitizer")


class ServerProcess:
    """One tandem or redis-server process on a free loopback port.

    `kind` is "tandem" or "redis"; `args` are extra config arguments (`["--name", "value", ...]`)
    placed after the defaults, so they override them.
    """

    def __init__(self, kind="tandem", args=(), port=None):
        if kind not in ("tandem", "redis"):
            raise ValueError(f"unknown server kind {kind!r}")
        self.kind = kind
        self.binary = tandem_binary() if kind == "tandem" else REDIS_SERVER
        self.args = [str(a) for a in args]
        self.port = port
        self.dir = tempfile.mkdtemp(prefix=f"{kind}-it-")
        self.proc = None
        self._log_path = os.path.join(self.dir, "server.log")
        self._log = None
        self._log_start = 0  # where this process's output starts in the log (restarts append)
        self.ready_while_loading = False  # start() returns once it answers, even -LOADING

    # The password from --requirepass, needed to send SHUTDOWN.
    @property
    def password(self):
        password = None
        for i, arg in enumerate(self.args[:-1]):
            if arg == "--requirepass":
                password = self.args[i + 1]
        return password or None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def command_line(self):
        return [
            self.binary,
            "--port", str(self.port),
            "--bind", HOST,
            "--dir", self.dir,
            "--save", "",
            "--appendonly", "no",
            "--enable-debug-command", "yes",
            *self.args,
        ]  # fmt: skip

    def start(self):
        if self.alive():
            return self
        if self.kind == "tandem" and not os.access(self.binary, os.X_OK):
            raise ServerStartError(
                f"tandem binary {self.binary} not found: build it (cmake --build build) "
                "or set TANDEM_SERVER"
            )
        fixed_port = self.port is not None
        attempts = 1 if fixed_port else 3
        for attempt in range(attempts):
            if not fixed_port:
                self.port = free_port()
            try:
                self._spawn_and_wait()
                return self
            except ServerStartError:
                # Another process may have taken the port between our probe and the bind.
                if attempt + 1 == attempts or "in use" not in self.output():
                    raise
        return self

    def _spawn_and_wait(self, timeout=10.0):
        self._log = open(self._log_path, "ab")
        self._log_start = self._log.tell()
        self.proc = subprocess.Popen(
            self.command_line(),
            cwd=self.dir,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_set_parent_death_signal,
        )
        _LIVE.add(self)
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                rc = self.proc.returncode
                self._cleanup_process()
                raise ServerStartError(
                    f"{self.kind} exited with code {rc} during startup: "
                    f"{' '.join(self.command_line())}\n--- output ---\n{self.output()}"
                )
            try:
                reply = raw_exchange(self.port, b"PING\r\n", expected_len=None, quiet=0.05,
                                     timeout=1.0, until=b"\r\n")
                # NOAUTH is an answer too; LOADING means not ready yet, unless the caller
                # wants the server while it loads.
                if reply and (self.ready_while_loading or not reply.startswith(b"-LOADING")):
                    # Ours, not another test run's server that still had the port: if that
                    # one keeps it, ours exits "in use" and start() tries another port.
                    if _listens_on(self.proc.pid, self.port):
                        return
            except OSError as e:
                last_error = e
            time.sleep(0.02)
        self.stop()
        raise ServerStartError(
            f"{self.kind} did not answer PING on port {self.port} within {timeout}s "
            f"({last_error})\n--- output ---\n{self.output()}"
        )

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def output(self):
        """Everything the server printed (stdout and stderr)."""
        try:
            with open(self._log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def output_tail(self, lines=40):
        return "\n".join(self.output().splitlines()[-lines:])

    def stop(self, timeout=5.0):
        """SHUTDOWN NOSAVE, then SIGTERM, then SIGKILL; always reaps the process. Raises
        ServerExitError if tandem did not exit cleanly (see check_clean_exit)."""
        if self.proc is None:
            return
        stopped_here = self.proc.poll() is None
        if stopped_here:
            payload = b""
            if self.password:
                payload += encode_command("AUTH", self.password)
            payload += b"SHUTDOWN NOSAVE\r\n"
            refused = False
            try:
                # A successful SHUTDOWN answers nothing; an error means it will not happen.
                reply = raw_exchange(self.port, payload, quiet=0.05, timeout=1.0)
                refused = reply.endswith(b"\r\n") and b"\r\n-" in b"\r\n" + reply
            except OSError:
                pass
            if refused:
                self.proc.send_signal(signal.SIGTERM)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    self.proc.wait(timeout=timeout)
                    break
                except subprocess.TimeoutExpired:
                    try:
                        self.proc.send_signal(sig)
                    except ProcessLookupError:
                        break
            else:
                self.proc.wait()
        rc = self.proc.returncode
        self._cleanup_process()
        self.check_clean_exit(rc, expect_zero=stopped_here)

    def check_clean_exit(self, rc, expect_zero=True):
        """tandem must exit with code 0 when stopped (SHUTDOWN NOSAVE or SIGTERM: everything
        freed, or an ASan build's leak check aborts it) and print no sanitizer report, however
        it ended. A test that made it exit on purpose with another code passes
        expect_zero=False."""
        if self.kind != "tandem":
            return
        try:
            with open(self._log_path, "rb") as f:
                f.seek(self._log_start)
                output = f.read().decode("utf-8", "replace")
        except OSError:
            output = ""
        reports = [r for r in SANITIZER_REPORTS if r in output]
        if reports or (expect_zero and rc != 0):
            # The report itself (from its first line), or the end of the output.
            first = min((output.index(r) for r in reports), default=None)
            lines = output.splitlines()[-60:] if first is None else \
                output[first:].splitlines()[:80]
            tail = "\n".join(lines)
            raise ServerExitError(
                f"tandem on port {self.port} exited with code {rc}"
                f"{' and reported ' + ', '.join(reports) if reports else ''}"
                f"\n--- output ---\n{tail}")

    def _cleanup_process(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        _LIVE.discard(self)
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self, extra_args=None):
        """Stops and starts again on the same port and dir (so a saved RDB is loaded)."""
        self.stop()
        if extra_args is not None:
            self.args = [str(a) for a in extra_args]
        self._spawn_and_wait()
        return self

    def destroy(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, **kw):
        return make_client(self.port, **kw)

    def raw(self, *chunks, **kw):
        """Sends the chunks (bytes) on a fresh connection, returns every byte answered."""
        return raw_exchange(self.port, list(chunks), **kw)

    def connect(self, timeout=10.0):
        return RawConnection(self.port, timeout=timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.destroy()

    def __repr__(self):
        return f"<ServerProcess {self.kind} port={self.port} pid={self.pid}>"


# --- raw sockets ----------------------------------------------------------------------------


def encode_command(*args):
    """A RESP multibulk request for the arguments (str, bytes or numbers)."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        elif not isinstance(arg, (bytes, bytearray)):
            arg = str(arg).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


class RawConnection:
    """A plain TCP connection for byte-exact protocol tests."""

    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self.closed_by_peer = False

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def read(self, expected_len=None, quiet=0.2, timeout=None, until=None, settle=None):
        """Reads until `expected_len` bytes came, `until` ends the data, the peer closed, or
        nothing arrived for `quiet` seconds (after the first byte, or at all if `quiet` passes
        with nothing received). With `settle`, once the data read so far is a sequence of
        complete RESP replies, only `settle` seconds more are waited for, even if fewer than
        `expected_len` bytes came. Never waits more than `timeout` overall."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        data = bytearray()
        while True:
            if expected_len is not None and len(data) >= expected_len:
                break
            if until is not None and data.endswith(until):
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            wait = remaining if expected_len is not None or until is not None else quiet
            if settle is not None and data and _complete_replies(data):
                wait = settle
            self.sock.settimeout(min(wait, remaining))
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                break
            except ConnectionResetError:
                self.closed_by_peer = True
                break
            if not chunk:
                self.closed_by_peer = True
                break
            data += chunk
        return bytes(data)

    def read_reply(self, timeout=None):
        """Reads exactly one RESP reply and returns its bytes."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        data = b""
        while True:
            try:
                _, end = parse_resp(data, 0)
                assert end == len(data), "read more than one reply"
                return data
            except IncompleteReply:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"incomplete reply after {timeout}s: {data!r}")
            self.sock.settimeout(remaining)
            chunk = self.sock.recv(1)
            if not chunk:
                self.closed_by_peer = True
                raise ConnectionError(f"connection closed mid-reply: {data!r}")
            data += chunk

    def is_closed(self, timeout=2.0):
        """True once the peer has closed the connection (waits up to `timeout`)."""
        if self.closed_by_peer:
            return True
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(1 << 16)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        if not chunk:
            self.closed_by_peer = True
            return True
        raise AssertionError(f"unexpected data while waiting for close: {chunk!r}")

    def exchange(self, data, **kw):
        self.send(data)
        return self.read(**kw)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _complete_replies(data):
    try:
        parse_all(data)
        return True
    except IncompleteReply:
        return False
    except ValueError:
        return True  # not RESP at all: nothing more to wait for


def raw_exchange(port, payload, expected_len=None, quiet=0.2, timeout=10.0, until=None,
                 chunk_delay=0.0):
    """Connects, sends `payload` (bytes, or a list of chunks sent `chunk_delay` apart) and
    returns the bytes answered until the connection goes quiet for `quiet` seconds, closes,
    or `expected_len` bytes / the `until` suffix arrived."""
    with RawConnection(port, timeout=timeout) as conn:
        chunks = payload if isinstance(payload, list) else [payload]
        for i, chunk in enumerate(chunks):
            if i and chunk_delay:
                time.sleep(chunk_delay)
            conn.send(chunk)
        return conn.read(expected_len=expected_len, quiet=quiet, timeout=timeout, until=until)


def redis_cli(port, *args, stdin=None, timeout=30, check=False):
    """Runs the real redis-cli against a local server; returns its stdout as text."""
    cmd = [REDIS_CLI, "-h", HOST, "-p", str(port), *[str(a) for a in args]]
    result = subprocess.run(
        cmd,
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        timeout=timeout,
        check=check,
    )
    return result.stdout.decode("utf-8", "replace")


# --- RESP2/RESP3 parsing for structural comparisons -----------------------------------------


class IncompleteReply(Exception):
    pass


class RespError:
    """An error reply (kept as a value so nested errors compare by text)."""

    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, RespError) and other.text == self.text

    def __hash__(self):
        return hash(self.text)

    def __repr__(self):
        return f"RespError({self.text!r})"


class Resp3Map(list):
    """A map reply as a list of (key, value) pairs, keeping the wire order."""


class Resp3Set(list):
    pass


class Resp3Push(list):
    pass


def _line(buf, pos):
    end = buf.find(b"\r\n", pos)
    if end < 0:
        raise IncompleteReply()
    return buf[pos:end], end + 2


def _bulk(buf, pos, length):
    if len(buf) < pos + length + 2:
        raise IncompleteReply()
    return buf[pos : pos + length], pos + length + 2


def parse_resp(buf, pos=0):
    """Parses one RESP2/RESP3 value from buf at pos; returns (value, next_pos)."""
    if pos >= len(buf):
        raise IncompleteReply()
    kind = buf[pos : pos + 1]
    line, pos = _line(buf, pos + 1)
    if kind == b"+":
        return line, pos
    if kind == b"-":
        return RespError(line), pos
    if kind == b":":
        return int(line), pos
    if kind == b"$" or kind == b"=" or kind == b"!":
        n = int(line)
        if n < 0:
            return None, pos
        value, pos = _bulk(buf, pos, n)
        return (RespError(value) if kind == b"!" else value), pos
    if kind == b"_":
        return None, pos
    if kind == b"#":
        return line == b"t", pos
    if kind == b",":
        return float(line), pos
    if kind == b"(":
        return int(line), pos
    if kind in (b"*", b"~", b">"):
        n = int(line)
        if n < 0:
            return None, pos
        items = []
        for _ in range(n):
            item, pos = parse_resp(buf, pos)
            items.append(item)
        if kind == b"~":
            return Resp3Set(items), pos
        if kind == b">":
            return Resp3Push(items), pos
        return items, pos
    if kind in (b"%", b"|"):
        n = int(line)
        pairs = []
        for _ in range(n):
            key, pos = parse_resp(buf, pos)
            value, pos = parse_resp(buf, pos)
            pairs.append((key, value))
        if kind == b"|":
            # An attribute precedes the real reply: return that, attributes are metadata.
            return parse_resp(buf, pos)
        return Resp3Map(pairs), pos
    raise ValueError(f"bad RESP type byte {kind!r} at {pos}: {buf[pos - 20 : pos + 20]!r}")


def parse_all(buf):
    """Every complete reply in buf, as a list of (value, raw_bytes)."""
    out = []
    pos = 0
    while pos < len(buf):
        value, end = parse_resp(buf, pos)
        out.append((value, buf[pos:end]))
        pos = end
    return out


def skip_replies(buf, count):
    """buf without its first `count` replies."""
    pos = 0
    for _ in range(count):
        _, pos = parse_resp(buf, pos)
    return buf[pos:]
