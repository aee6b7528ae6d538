#!/usr/bin/env python3
"""Speed and memory of `census go packages` against `go list -json` and `census scan`.

Usage (under the benchmark lock, not niced):
    flock /tmp/census-bench.lock bench/go-source-bench.py CENSUS [RUNS]

For the Go 1.19 tree (/usr/lib/go-1.19/src) and the Debian gocode corpus (/usr/share/gocode/src),
the three commands run interleaved RUNS times (default 5) after one warm-up each (so go's build
cache and the page cache are warm):
  census go packages ROOT --format json --tests --layout gopath
  go list -e -json ./... <vendor dirs>      (GO111MODULE=off, the same packages census lists)
  census scan ROOT --no-db --format json
Wall and CPU (user+sys) medians, the ratios from the same run, and census's peak RSS.
"""
import json, os, statistics, subprocess, sys, time, resource

def run(cmd, cwd=None, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.returncode

def peak_rss(cmd):
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(p.stderr.strip().splitlines()[-1])

def main():
    census = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    trees = [("Go 1.19 tree", "/usr/lib/go-1.19/src", None),
             ("gocode corpus", "/usr/share/gocode/src", "/usr/share/gocode")]
    print(f"machine: {os.cpu_count()} cores; load average before: {os.getloadavg()}")
    for name, root, gopath in trees:
        root = os.path.realpath(root)
        out = subprocess.run([census, "go", "packages", root, "--format", "json", "--layout", "gopath"], capture_output=True, text=True)
        data = json.loads(out.stdout)
        packages = data["packages"]
        vendor = sorted({"./" + p["Dir"] for p in packages if p["Vendored"]})
        env = dict(os.environ, GO111MODULE="off", GOOS="linux", GOARCH="amd64", CGO_ENABLED="1", GOFLAGS="")
        if gopath:
            env["GOPATH"] = gopath
        commands = {
            "census go packages": ([census, "go", "packages", root, "--format", "json", "--tests", "--layout", "gopath"], None, None),
            "go list -json": (["go", "list", "-e", "-json", "./..."] + vendor, root, env),
            "census scan": ([census, "scan", root, "--no-db", "--format", "json"], None, None),
        }
        for cmd, cwd, e in commands.values():
            run(cmd, cwd, e)  # warm-up
        times = {k: [] for k in commands}
        for _ in range(runs):
            for k, (cmd, cwd, e) in commands.items():
                times[k].append(run(cmd, cwd, e))
        med = {k: (statistics.median(t[0] for t in v), statistics.median(t[1] for t in v)) for k, v in times.items()}
        rss = peak_rss(commands["census go packages"][0])
        print(f"\n{name}: {root}, {len(packages)} packages")
        for k, (w, c) in med.items():
            print(f"  {k:20s} wall {w:7.3f} s   cpu {c:7.3f} s")
        g, l, s = med["census go packages"], med["go list -json"], med["census scan"]
        print(f"  go list / census go packages: wall {l[0] / g[0]:.2f}x, cpu {l[1] / g[1]:.2f}x   (target >= 5x)")
        print(f"  census go packages / census scan: wall {g[0] / s[0]:.2f}x, cpu {g[1] / s[1]:.2f}x   (target <= 1.3x)")
        print(f"  census go packages peak RSS: {rss / 1024:.1f} MiB ({rss / len(packages):.0f} KiB per package)")
    print(f"\nload average after: {os.getloadavg()}")

main()
