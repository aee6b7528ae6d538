#!/usr/bin/env python3
"""Writes a synthetic GH Archive set of at least N events from real hour files, for
bench/events-bench.sh: copy k of every input line has its string ids ("id":"123") raised by
k * 10^11 and every "created_at" moved k days later, so each copy is a set of new events (new ids;
for the Timeline, which has no ids, new times) with the real files' shapes, sizes and mix.

usage: events-synth.py OUTPUT_DIR MIN_EVENTS INPUT.json.gz...
Copies are written as gzip (level 6, as GH Archive's) to OUTPUT_DIR/YYYY-MM-DD-H.json.gz, named by
the input's hour moved by k days. Nothing is written when OUTPUT_DIR already holds the set.
"""
import datetime
import gzip
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor

ID = re.compile(rb'"id":"(\d+)"')
TIME = re.compile(rb'"created_at":"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)')
NAME = re.compile(r'(\d{4})-(\d\d)-(\d\d)-(\d+)\.json\.gz$')


def pieces(data):
    """The text between matches, and for each match a function of the copy number."""
    parts = []
    position = 0
    matches = sorted(list(ID.finditer(data)) + list(TIME.finditer(data)), key=lambda m: m.start())
    for m in matches:
        if m.start() < position:
            continue
        parts.append(data[position:m.start()])
        if m.re is ID:
            parts.append(("id", int(m.group(1))))
        else:
            parts.append(("time", datetime.datetime(*map(int, m.groups()))))
        position = m.end()
    parts.append(data[position:])
    return parts


def render(parts, k):
    out = []
    for p in parts:
        if isinstance(p, bytes):
            out.append(p)
        elif p[0] == "id":
            out.append(b'"id":"%d"' % (p[1] + k * 100_000_000_000))
        else:
            t = p[1] + datetime.timedelta(days=k)
            out.append(b'"created_at":"' + t.strftime("%Y-%m-%dT%H:%M:%S").encode())
    return b"".join(out)


def write(job):
    path, k, output = job
    with gzip.open(path, "rb") as f:
        data = f.read()
    y, m, d, h = map(int, NAME.search(path).groups())
    day = datetime.date(y, m, d) + datetime.timedelta(days=k)
    target = os.path.join(output, "%s-%d.json.gz" % (day.isoformat(), h))
    data = render(pieces(data), k)
    with open(target + ".part", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
            out.write(data)
    os.rename(target + ".part", target)
    return data.count(b"\n")


def main():
    output, wanted, inputs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    os.makedirs(output, exist_ok=True)
    per_copy = 0
    for path in inputs:
        with gzip.open(path, "rb") as f:
            per_copy += f.read().count(b"\n")
    copies = -(-wanted // per_copy)
    marker = os.path.join(output, "SET")
    description = "%d copies of %s\n" % (copies, " ".join(sorted(os.path.basename(p) for p in inputs)))
    if os.path.exists(marker) and open(marker).read() == description:
        print("%s: already holds %d events" % (output, copies * per_copy), file=sys.stderr)
        return
    jobs = [(path, k, output) for k in range(1, copies + 1) for path in inputs]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        total = sum(pool.map(write, jobs, chunksize=4))
    with open(marker, "w") as f:
        f.write(description)
    print("%s: %d files, %d events" % (output, len(jobs), total), file=sys.stderr)


if __name__ == "__main__":
    main()
