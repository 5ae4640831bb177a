"""redis-benchmark's default suite (no -t) runs against tandem without a single error reply.

redis-benchmark counts an error reply as an answer, so a fast "ERR unknown command" would pass
unnoticed; the suite is therefore run with the same arguments against tandem and the real
redis-server, every test line must be present for both, no error may be printed, and the
dataset each leaves behind (the benchmark's keys, their types and sizes) must agree.
"""

import subprocess

from servers import HOST

# The tests redis-benchmark 7.0 runs without -t, in its order (CSV names).
DEFAULT_SUITE = [
    "PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD",
    "HSET", "SPOP", "ZADD", "ZPOPMIN", "LPUSH (needed to benchmark LRANGE)",
    "LRANGE_100 (first 100 elements)", "LRANGE_300 (first 300 elements)",
    "LRANGE_500 (first 500 elements)", "LRANGE_600 (first 600 elements)", "MSET (10 keys)",
]


def run_suite(port):
    result = subprocess.run(
        ["redis-benchmark", "-h", HOST, "-p", str(port), "-q", "--csv", "-n", "2000", "-c", "10"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    names = [line.split(",")[0].strip('"') for line in result.stdout.splitlines()[1:]]
    return names, result.stderr


def dataset_shape(client):
    shape = {}
    for key in client.keys("*"):
        kind = client.type(key).decode()
        size = {"string": client.strlen, "list": client.llen, "set": client.scard,
                "hash": client.hlen, "zset": client.zcard}[kind](key)
        shape[key] = (kind, size)
    return shape


def test_default_suite_completes_without_errors(tandem_server, redis_server, both):
    tandem, reference = both
    names, errors = run_suite(tandem_server.port)
    assert names == DEFAULT_SUITE
    assert "ERR" not in errors and "Error" not in errors, errors
    redis_names, _ = run_suite(redis_server.port)
    assert redis_names == DEFAULT_SUITE
    assert dataset_shape(tandem) == dataset_shape(reference)
