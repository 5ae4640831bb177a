"""INFO commandstats / errorstats / total_error_replies counted as Redis 7.0 counts them."""
SEQUENCE = [
    ("SET", "a", "b"),
    ("GET", "a"),
    ("GET",),                     # arity: rejected_calls
    ("INCR", "a"),                # runs and fails: failed_calls
    ("FOO",),                     # unknown command: only errorstats
    ("CONFIG", "GET", "x"),
    ("CONFIG", "NOPE"),           # unknown subcommand
    ("LCS", "a"),                 # arity
    ("SET", "k", "v", "EX", "0"),  # fails: invalid expire time
    ("OBJECT", "ENCODING", "a"),
]


def _stats(client, section):
    out = {}
    for name, fields in client.info(section).items():
        if isinstance(fields, dict):  # redis-py leaves a lone "count=3" as a string
            fields = {k: v for k, v in fields.items() if k not in ("usec", "usec_per_call")}
        out[name] = fields
    return out


def _run(client):
    client.execute_command("CONFIG", "RESETSTAT")
    for command in SEQUENCE:
        try:
            client.execute_command(*command)
        except Exception:
            pass


def test_commandstats_and_errorstats_match_redis(both):
    tandem, redis_ref = both
    for client in both:
        _run(client)
    commandstats = _stats(tandem, "commandstats")
    assert commandstats["cmdstat_get"]["rejected_calls"] == 1
    assert commandstats["cmdstat_incr"]["failed_calls"] == 1
    assert commandstats == _stats(redis_ref, "commandstats")
    assert _stats(tandem, "errorstats") == _stats(redis_ref, "errorstats")


def test_total_error_replies_counts_and_resets(both):
    tandem, redis_ref = both
    for client in both:
        _run(client)

    def total(client):
        info = client.info("stats")
        return info["total_error_replies"]

    assert total(tandem) == total(redis_ref) > 0
    tandem.execute_command("CONFIG", "RESETSTAT")
    assert total(tandem) == 0
    assert _stats(tandem, "errorstats") == {}
