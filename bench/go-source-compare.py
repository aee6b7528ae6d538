#!/usr/bin/env python3
"""Compares `census go packages` with `go list -e -json` (Go 1.19, GOPATH mode) on a tree.

Usage: bench/go-source-compare.py CENSUS ROOT [--gopath GOPATH] [--show N]

ROOT is a GOPATH `src` directory or a GOROOT `src`. Both tools list every package below ROOT
(go list: `./...` plus the vendor directories, which `./...` leaves out) for linux/amd64 with
cgo enabled, test files included. For every package the script compares the fields below and
prints each difference; the exit status is 1 when there is any.
"""
import json, os, subprocess, sys

FIELDS = ["Name", "GoFiles", "CgoFiles", "TestGoFiles", "XTestGoFiles", "IgnoredGoFiles",
          "InvalidGoFiles", "Imports", "TestImports", "XTestImports"]

def stream(text):
    dec = json.JSONDecoder()
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return
        obj, i = dec.raw_decode(text, i)
        yield obj

def main():
    args = sys.argv[1:]
    census, root = args[0], os.path.realpath(args[1])
    gopath = None
    show = 40
    if "--gopath" in args:
        gopath = args[args.index("--gopath") + 1]
    if "--show" in args:
        show = int(args[args.index("--show") + 1])
    env = dict(os.environ, GO111MODULE="off", GOOS="linux", GOARCH="amd64", CGO_ENABLED="1", GOFLAGS="",
               GOTOOLCHAIN="local", GOPROXY="off")
    if gopath:
        env["GOPATH"] = gopath
    out = subprocess.run([census, "go", "packages", root, "--format", "json", "--tests", "--layout", "gopath"],
                         capture_output=True, text=True)
    ours = {p["ImportPath"]: p for p in json.loads(out.stdout)["packages"]}
    vendor_dirs = sorted({os.path.join(root, p["Dir"]) for p in ours.values() if p["Vendored"]})
    patterns = ["./..."] + ["./" + os.path.relpath(d, root) for d in vendor_dirs]
    listed = subprocess.run(["go", "list", "-e", "-json"] + patterns, cwd=root, env=env, capture_output=True, text=True)
    theirs = {}
    for p in stream(listed.stdout):
        if p.get("Dir", "").startswith(root) or p.get("Dir", "").startswith(os.path.realpath(root)) or True:
            theirs[p["ImportPath"]] = p
    # go list names the root's packages by path below GOROOT/GOPATH src: equal to ours.
    only_ours = sorted(set(ours) - set(theirs))
    only_theirs = sorted(set(theirs) - set(ours))
    diffs = []
    for path in sorted(set(ours) & set(theirs)):
        a, b = ours[path], theirs[path]
        for f in FIELDS:
            va, vb = a.get(f, [] if f != "Name" else ""), b.get(f, [] if f != "Name" else "")
            if f != "Imports" and isinstance(va, list):
                va, vb = sorted(va), sorted(vb)
            if va != vb:
                diffs.append((path, f, va, vb))
    n = len(set(ours) & set(theirs))
    print(f"packages: census {len(ours)}, go list {len(theirs)}, both {n}")
    print(f"only census: {len(only_ours)}  only go list: {len(only_theirs)}")
    for p in only_ours[:show]:
        print("  only census:", p)
    for p in only_theirs[:show]:
        print("  only go list:", p, theirs[p].get("Error", {}).get("Err", "")[:200])
    bad = {d[0] for d in diffs}
    print(f"packages with a differing field: {len(bad)} of {n}; differing fields: {len(diffs)}")
    for path, f, va, vb in diffs[:show]:
        print(f"  {path} {f}:\n    census:  {va}\n    go list: {vb}")
    same = n - len(bad)
    print(f"RESULT {root}: {same} of {len(theirs)} packages equal in every compared field")
    sys.exit(1 if diffs or only_ours or only_theirs else 0)

main()
