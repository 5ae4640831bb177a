#!/usr/bin/env python3
"""Writes the benchmark dataset as RESP commands for `redis-cli --pipe`: N keys of mixed types.

40% strings (half integers, half strings of 8..47 bytes), then lists, hashes, sets (half of
them intsets) and sorted sets of 10 elements each, in their compact encodings.

    python3 bench/dataset.py N > data.resp
"""
import sys


def main():
    n = int(sys.argv[1])
    out = sys.stdout.buffer

    def cmd(*args):
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
        out.write(b"".join(parts))

    for i in range(n):
        key = f"key:{i}"
        kind = i % 20
        if kind < 8:
            cmd("SET", key, f"value-{i}-" + "x" * (i % 40) if i % 2 else i)
        elif kind < 11:
            cmd("RPUSH", key, *[f"e{j}-{i}" for j in range(10)])
        elif kind < 14:
            cmd("HSET", key, *[x for j in range(10) for x in (f"f{j}", f"v{j}-{i}")])
        elif kind < 17:
            cmd("SADD", key, *[i * 10 + j if i % 2 else f"m{j}-{i}" for j in range(10)])
        else:
            cmd("ZADD", key, *[x for j in range(10) for x in (j * 1.5, f"z{j}-{i}")])


if __name__ == "__main__":
    main()
