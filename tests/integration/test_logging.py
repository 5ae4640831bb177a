"""Logging in Redis's line shape, loglevel changes at runtime, fatal config errors at start-up."""
import os
import re
import socket
import subprocess
import time

import pytest

from servers import tandem_binary

LINE = re.compile(rb"^\d+:[MSC] \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] .+$")


def _log(server):
    with open(os.path.join(server.dir, "server.log"), "rb") as f:
        return f.read()


def _protocol_error(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"*1\r\n$-5\r\n")
        assert s.recv(100) == b"-ERR Protocol error: invalid bulk length\r\n"


def _wait_for(predicate, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_log_lines_have_redis_shape(start_server):
    server = start_server("tandem")
    lines = [l for l in _log(server).splitlines() if l.strip()]
    assert any(b"Ready to accept connections" in l for l in lines)
    for line in lines:
        assert LINE.match(line), line


def test_config_set_loglevel_takes_effect_at_once(start_server):
    server = start_server("tandem")
    client = server.client()
    _protocol_error(server.port)  # verbose-level event: not logged at the default notice level
    time.sleep(0.2)
    assert b"Protocol error" not in _log(server)
    assert client.config_set("loglevel", "verbose")
    _protocol_error(server.port)
    assert _wait_for(lambda: b"Protocol error" in _log(server))


def test_unknown_directive_is_fatal_with_line_number(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("port 7000\nnot-a-directive yes\n")
    done = subprocess.run([tandem_binary(), str(conf)], capture_output=True, timeout=10)
    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert b"*** FATAL CONFIG FILE ERROR" in out
    assert b"at line 2" in out
    assert b">>> 'not-a-directive yes'" in out
    assert b"Bad directive or wrong number of arguments" in out


def test_daemonize_writes_pidfile_and_detaches(tmp_path):
    import redis as redis_py
    from servers import free_port
    port = free_port()
    pidfile = tmp_path / "tandem.pid"
    logfile = tmp_path / "tandem.log"
    done = subprocess.run([tandem_binary(), "--port", str(port), "--daemonize", "yes",
                           "--pidfile", str(pidfile), "--logfile", str(logfile),
                           "--dir", str(tmp_path)], capture_output=True, timeout=10)
    assert done.returncode == 0  # the parent returns at once, the daemon lives on
    assert _wait_for(lambda: pidfile.exists() and pidfile.read_text().strip())
    pid = int(pidfile.read_text())
    client = redis_py.Redis(port=port, socket_timeout=5)
    try:
        assert _wait_for(lambda: _pings(client))
        assert client.info("server")["process_id"] == pid
    finally:
        try:
            client.shutdown(nosave=True)
        except redis_py.ConnectionError:
            pass
    assert _wait_for(lambda: not pidfile.exists())  # removed on a clean exit
    assert b"Ready to accept connections" in logfile.read_bytes()


def _pings(client):
    try:
        return client.ping()
    except Exception:
        return False
