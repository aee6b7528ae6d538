#!/usr/bin/env python3
"""`census scan --go-source` of two census builds (before and after a change), with `census
scan` alone as the floor: CPU (user+sys), wall and peak RSS.

Usage (under the benchmark lock, not niced):
    flock /tmp/census-bench.lock bench/go-source-scan-bench.py BEFORE AFTER [RUNS] [ROOT]

ROOT defaults to the Go 1.19 tree (/usr/share/go-1.19/src: a directory, not a git repository,
so the scan walks it). Each command runs once to warm the page cache, then RUNS times (default
5) interleaved; every --go-source run stores into a new SQLite file (removed afterwards).
Medians; the ratios come from the same run.
"""
import os, resource, shutil, statistics, subprocess, sys, tempfile, time

def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.returncode

def peak_rss(cmd):
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(p.stderr.strip().splitlines()[-1])

def remove(db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)

def main():
    before, after = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    root = os.path.realpath(sys.argv[4] if len(sys.argv) > 4 else "/usr/share/go-1.19/src")
    scratch = tempfile.mkdtemp(prefix="census-go-scan-bench-")
    counter = [0]

    def go_scan(census):
        def make():
            counter[0] += 1
            db = os.path.join(scratch, f"{counter[0]}.db")
            return [census, "scan", root, "--go-source", "--db", db, "--format", "json", "--quiet"], db
        return make

    commands = {
        "scan --go-source (before)": go_scan(before),
        "scan --go-source (after)": go_scan(after),
        "scan --no-db (after)": lambda: ([after, "scan", root, "--no-db", "--format", "json", "--quiet"], None),
    }
    print(f"{root}; machine: {os.cpu_count()} cores; load average before: {os.getloadavg()}")
    times = {k: [] for k in commands}
    for k, make in commands.items():  # warm-up
        cmd, db = make()
        status = run(cmd)[2]
        if status != 0:
            print(f"  warning: {k} exited with {status}")
        if db: remove(db)
    for _ in range(runs):
        for k, make in commands.items():
            cmd, db = make()
            times[k].append(run(cmd))
            if db: remove(db)
    med = {k: (statistics.median(t[0] for t in v), statistics.median(t[1] for t in v)) for k, v in times.items()}
    for k, (w, c) in med.items():
        print(f"  {k:28s} wall {w:7.3f} s   cpu {c:7.3f} s")
    b, a, s = med["scan --go-source (before)"], med["scan --go-source (after)"], med["scan --no-db (after)"]
    print(f"  after / before: wall {a[0] / b[0]:.2f}x, cpu {a[1] / b[1]:.2f}x")
    print(f"  Go part (scan --go-source minus scan): before cpu {b[1] - s[1]:.3f} s, after {a[1] - s[1]:.3f} s")
    for k in ("scan --go-source (before)", "scan --go-source (after)"):
        cmd, db = commands[k]()
        print(f"  peak RSS {k}: {peak_rss(cmd) / 1024:.1f} MiB")
        remove(db)
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"load average after: {os.getloadavg()}")

main()
