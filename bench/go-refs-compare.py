#!/usr/bin/env python3
"""Compares census's qualified references with the Go toolchain's own parser (bench/go-refs).

Usage: bench/go-refs-compare.py CENSUS ROOT [--gopath GOPATH] [--show N]

For every package below ROOT (GOPATH mode, linux/amd64), census's `go packages --references`
and go-refs (go/parser with scopes, over go list's GoFiles and CgoFiles, imports mapped through
go list's ImportMap) each give, per (importer, imported, name), the uses followed by `(`, by
`{`, and the others. Prints the totals, the share that agree exactly, and the differences.
"""
import json, os, subprocess, sys, collections

def main():
    args = sys.argv[1:]
    census, root = args[0], os.path.realpath(args[1])
    gopath = args[args.index("--gopath") + 1] if "--gopath" in args else None
    show = int(args[args.index("--show") + 1]) if "--show" in args else 20
    env = dict(os.environ, GO111MODULE="off", GOOS="linux", GOARCH="amd64", CGO_ENABLED="1", GOFLAGS="")
    if gopath:
        env["GOPATH"] = gopath
    out = subprocess.run([census, "go", "packages", root, "--format", "json", "--references", "--layout", "gopath"],
                         capture_output=True, text=True)
    data = json.loads(out.stdout)
    ours = {}
    for p in data["packages"]:
        for path, name, calls, literals, others in p.get("References", []):
            ours[(p["ImportPath"], path, name)] = (calls, literals, others)
    vendor = sorted({"./" + p["Dir"] for p in data["packages"] if p["Vendored"]})
    listed = subprocess.run(["go", "list", "-e", "-json", "./..."] + vendor, cwd=root, env=env, capture_output=True, text=True)
    here = os.path.dirname(os.path.abspath(__file__))
    refs = subprocess.run(["go", "run", "main.go"], cwd=os.path.join(here, "go-refs"), input=listed.stdout, env=env,
                          capture_output=True, text=True)
    if refs.returncode != 0:
        print(refs.stderr)
        sys.exit(2)
    theirs = {}
    for line in refs.stdout.splitlines():
        a, b, n, c, l, o = line.split("\t")
        theirs[(a, b, n)] = (int(c), int(l), int(o))
    def total(d):
        return [sum(v[i] for v in d.values()) for i in range(3)]
    same = sum(1 for k in theirs if ours.get(k) == theirs[k])
    print(f"{root}: (importer, imported, name) keys: go/parser {len(theirs)}, census {len(ours)}, equal {same}")
    print(f"  uses (calls, literals, others): go/parser {total(theirs)}, census {total(ours)}")
    kinds = collections.Counter()
    examples = collections.defaultdict(list)
    for k in sorted(set(ours) | set(theirs)):
        a, b = ours.get(k), theirs.get(k)
        if a == b:
            continue
        kind = "only census" if b is None else "only go/parser" if a is None else "counts differ"
        kinds[kind] += 1
        if len(examples[kind]) < show:
            examples[kind].append((k, a, b))
    for kind, n in kinds.items():
        print(f"  {kind}: {n}")
        for k, a, b in examples[kind]:
            print(f"    {k}: census {a}, go/parser {b}")
    print(f"RESULT {root}: {same} of {len(theirs)} reference keys equal ({100.0 * same / max(1, len(theirs)):.2f}%)")

main()
