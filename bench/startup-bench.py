#!/usr/bin/env python3
"""Start-up cost of census: wall time, CPU time (user+sys) and peak memory of short runs.

Runs each command ROUNDS times, interleaved (one run of each per round, in turn), under
`flock /tmp/census-bench.lock` when called through bench/startup-bench.sh, and prints medians.
Every run is one fork/exec of /usr/bin/time running the command (user, sys and maximum resident
set size; CPU from os.wait4, which counts the command /usr/bin/time waited for), wall time with
time.perf_counter around it.

    bench/startup-bench.py [--direct] ROUNDS NAME=COMMAND [NAME=COMMAND ...]

With --direct, each run is the command alone, started with posix_spawn (vfork: no copy of this
Python process) and reaped with wait4, whose usage (user+sys, maximum resident set) is the
command's own: the harness adds about 0.3 ms a run instead of /usr/bin/time's fork and exec
(about 3 ms a run on the machine of docs/benchmarks.md), which otherwise weighs on every ratio of
two short commands. Peak memory is not shown then: a child started by vfork inherits, in its
maximum resident set, this Python process's (Linux records the old address space's peak at exec).

COMMAND is split on spaces; `{empty}` is replaced by an empty directory made for the run and
`{db}` by a fresh database path per run (removed afterwards).
"""
import os
import shutil
import statistics
import sys
import tempfile
import time


def run_once(argv, env):
    """One run under /usr/bin/time (a small process, so its peak memory before exec does not
    count against the command's): wall time, user+sys seconds and peak RSS in MB, exit code."""
    report = os.path.join(tempfile.gettempdir(), f"census-startup-{os.getpid()}.time")
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execve("/usr/bin/time", ["/usr/bin/time", "-o", report, "-f", "%U %S %M %x"] + argv, env)
        finally:
            os._exit(127)
    # wait4's usage of /usr/bin/time includes the command it waited for (microseconds; time's
    # own %U/%S are in hundredths).
    _, _, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(report) as f:
        last = f.read().split("\n")
    fields = [line for line in last if line.strip()][-1].split()
    user, system, rss_kb, code = float(fields[0]), float(fields[1]), int(fields[2]), int(fields[3])
    return wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024.0, code


def run_direct(argv, env):
    """One run of the command alone (posix_spawn, wait4): wall time, user+sys seconds, peak RSS
    in MB, exit code."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(devnull)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def main():
    arguments = sys.argv[1:]
    direct = bool(arguments) and arguments[0] == "--direct"
    if direct:
        arguments = arguments[1:]
    rounds = int(arguments[0])
    commands = []
    for spec in arguments[1:]:
        name, _, command = spec.partition("=")
        argv = command.split(" ")
        if direct:
            argv[0] = shutil.which(argv[0]) or argv[0]
        commands.append((name, argv))
    work = tempfile.mkdtemp(prefix="census-startup-")
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    env = dict(os.environ)
    env.pop("CENSUS_DB", None)
    env["XDG_DATA_HOME"] = os.path.join(work, "data")
    env["XDG_CACHE_HOME"] = os.path.join(work, "cache")
    results = {name: [] for name, _ in commands}
    codes = {}
    for r in range(rounds):
        for name, argv in commands:
            db = os.path.join(work, f"db-{r}.sqlite")
            args = [a.replace("{empty}", empty).replace("{db}", db) for a in argv]
            results[name].append(run_direct(args, env) if direct else run_once(args, env))
            codes.setdefault(name, set()).add(results[name][-1][3])
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
    print(f"{'command':<34} {'wall ms':>9} {'cpu ms':>9} {'peak MB':>9}  exit")
    for name, _ in commands:
        rows = results[name]
        wall = statistics.median(x[0] for x in rows) * 1000
        cpu = statistics.median(x[1] for x in rows) * 1000
        rss = f"{statistics.median(x[2] for x in rows):9.1f}" if not direct else f"{'-':>9}"
        print(f"{name:<34} {wall:9.1f} {cpu:9.1f} {rss}  {sorted(codes[name])}")


if __name__ == "__main__":
    main()
