"""A replica made of one raw socket: it walks the PSYNC handshake, skips the snapshot and then
records the command stream its master sends, as lists of bytes arguments.

Used to read exactly what a master propagates (Redis 7.0 and tandem alike), without a real
replica applying and hiding it. The master should run with `repl-diskless-sync no` so the
snapshot comes as `$<len>` (the `$EOF:<mark>` form is understood too) and with a long
`repl-ping-replica-period`; PINGs that still arrive can be dropped with `without_pings`.
"""

import socket
import time

from servers import HOST, IncompleteReply, encode_command, parse_resp


class FakeReplica:
    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.buf = b""
        self.timeout = timeout
        self._handshake()

    def _recv(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"master sent nothing more; have {self.buf[:200]!r}")
        self.sock.settimeout(remaining)
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("master closed the replication link")
        self.buf += chunk

    def _line(self, deadline):
        while b"\r\n" not in self.buf:
            self._recv(deadline)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _request(self, *args):
        self.sock.sendall(encode_command(*args))
        return self._line(time.monotonic() + self.timeout)

    def _handshake(self):
        assert self._request("PING") == b"+PONG"
        assert self._request("REPLCONF", "listening-port", "1") == b"+OK"
        assert self._request("REPLCONF", "capa", "eof", "capa", "psync2") == b"+OK"
        reply = self._request("PSYNC", "?", "-1")
        assert reply.startswith(b"+FULLRESYNC "), reply
        _, self.replid, offset = reply.split()
        self.offset = int(offset)
        self._skip_snapshot(time.monotonic() + 60)

    def _skip_snapshot(self, deadline):
        # Newlines are keepalives sent while the snapshot is prepared.
        while True:
            while not self.buf:
                self._recv(deadline)
            if self.buf.startswith(b"\n"):
                self.buf = self.buf[1:]
                continue
            break
        header = self._line(deadline)
        assert header.startswith(b"$"), header
        if header.startswith(b"$EOF:"):
            mark = header[5:]
            while mark not in self.buf:
                self._recv(deadline)
            self.buf = self.buf.split(mark, 1)[1]
        else:
            size = int(header[1:])
            while len(self.buf) < size:
                self._recv(deadline)
            self.buf = self.buf[size:]

    def commands_until(self, marker, timeout=10.0):
        """Every command the master sent before `marker` (a list of bytes), which is consumed;
        a propagated marker command tells that everything before it has arrived."""
        deadline = time.monotonic() + timeout
        out = []
        while True:
            try:
                value, end = parse_resp(self.buf, 0)
            except IncompleteReply:
                self._recv(deadline)
                continue
            self.buf = self.buf[end:]
            if value == marker:
                return out
            out.append(value)

    def commands(self, quiet=0.3):
        """Every command the master sent until it stayed silent for `quiet` seconds."""
        out = []
        while True:
            try:
                value, end = parse_resp(self.buf, 0)
                self.buf = self.buf[end:]
                out.append(value)
                continue
            except IncompleteReply:
                pass
            self.sock.settimeout(quiet)
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                return out
            if not chunk:
                raise ConnectionError("master closed the replication link")
            self.buf += chunk

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def without_pings(commands):
    return [c for c in commands if c != [b"PING"]]


def raw_replica(port, capa):
    """A replica socket that asked for a full sync and reads nothing yet (a
    replica stuck in its full sync)."""
    s = socket.create_connection((HOST, port), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    for command in (b"REPLCONF listening-port 4242\r\n", b"REPLCONF capa " + capa + b"\r\n"):
        s.sendall(command)
        assert s.recv(100) == b"+OK\r\n"
    s.sendall(b"PSYNC ? -1\r\n")
    return s
