"""INFO latencystats, the latency-tracking settings, and INFO's total_reads_processed /
total_writes_processed against Redis 7.0. Latencies differ between servers, so the tests compare
which commands report, the percentile names and the shape of the figures; the values that follow
from the histogram's bucketing are pinned by tests/unit/latency_histogram_test.cpp."""

import re

import pytest

from conftest import assert_same, run_command
from servers import RawConnection, encode_command

FIGURE = r"\d+\.\d{3}"


def latency_lines(client):
    info = run_command(client, "INFO", "latencystats")
    return [line for line in info.decode().split("\r\n") if line]


def shape(lines):
    """Each line with its figures masked: what both servers must agree on."""
    return sorted(re.sub(FIGURE, "N", line) for line in lines)


def reset_and_run(client, *commands):
    run_command(client, "CONFIG", "RESETSTAT")
    for command in commands:
        run_command(client, *command)


def restore(both):
    for client in both:
        run_command(client, "CONFIG", "SET", "latency-tracking", "yes")
        run_command(client, "CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9")


def test_latencystats_lists_each_command_that_ran(both):
    for client in both:
        reset_and_run(client, ("SET", "a", "1"), ("GET", "a"), ("GET", "a"),
                      ("CONFIG", "GET", "maxclients"), ("GET",))
    lines = [latency_lines(c) for c in both]
    assert shape(lines[0]) == shape(lines[1])
    assert any(line.startswith("latency_percentiles_usec_config|get:p50=") for line in lines[0])
    for line in lines[0][1:]:
        assert re.fullmatch(rf"latency_percentiles_usec_[a-z|]+:p50={FIGURE},p99={FIGURE},"
                            rf"p99\.9={FIGURE}", line), line


@pytest.mark.parametrize("value", ["50", "0 100", "99.99 12.5", "", "1e1", "  ", "50 abc",
                                   "101", "-1", "nan", "50  99", "0.0001"])
def test_info_percentiles_setting(both, value):
    try:
        assert_same(both, "CONFIG", "SET", "latency-tracking-info-percentiles", value)
        assert_same(both, "CONFIG", "GET", "latency-tracking-info-percentiles")
        for client in both:
            reset_and_run(client, ("PING",))
        lines = [latency_lines(c) for c in both]
        assert shape(lines[0]) == shape(lines[1])
    finally:
        restore(both)


def test_latency_tracking_off_hides_latencystats(both):
    try:
        for client in both:
            reset_and_run(client, ("CONFIG", "SET", "latency-tracking", "no"), ("SET", "a", "1"))
        assert_same(both, "CONFIG", "GET", "latency-tracking")
        lines = [latency_lines(c) for c in both]
        assert shape(lines[0]) == shape(lines[1])
        assert not any("usec_set:" in line for line in lines[0])
    finally:
        restore(both)


def test_config_resetstat_clears_latencystats(both):
    for client in both:
        reset_and_run(client, ("SET", "a", "1"), ("CONFIG", "RESETSTAT"))
    lines = [latency_lines(c) for c in both]
    assert shape(lines[0]) == shape(lines[1])
    assert not any("usec_set:" in line for line in lines[0])


def stat(client, name):
    info = run_command(client, "INFO", "stats").decode()
    return int(re.search(rf"^{name}:(\d+)", info, re.M).group(1))


def test_reads_and_writes_processed_are_counted_and_reset(tandem_server, redis_server, both):
    deltas = []
    for server, client in zip((tandem_server, redis_server), both):
        run_command(client, "CONFIG", "RESETSTAT")
        reads, writes = stat(client, "total_reads_processed"), stat(client, "total_writes_processed")
        with RawConnection(server.port) as conn:
            for _ in range(5):  # five separate request / reply round trips
                conn.send(encode_command("PING"))
                assert conn.read_reply(timeout=5.0) == b"+PONG\r\n"
        deltas.append((stat(client, "total_reads_processed") - reads,
                       stat(client, "total_writes_processed") - writes))
        run_command(client, "CONFIG", "RESETSTAT")
        assert stat(client, "total_reads_processed") <= 2
    # This client's INFO round trips count too; the raw connection's five at least.
    for reads, writes in deltas:
        assert reads >= 5 and writes >= 5
    assert deltas[0] == deltas[1] or abs(deltas[0][0] - deltas[1][0]) <= 2
