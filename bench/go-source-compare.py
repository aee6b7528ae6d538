#!/usr/bin/env python3
"""Compares `census go packages` with `go list -e -json` (Go 1.19) on a tree.

Usage: bench/go-source-compare.py CENSUS ROOT [--gopath GOPATH] [--show N]
       bench/go-source-compare.py CENSUS ROOT --modules [--show N]

GOPATH mode (the first form): ROOT is a GOPATH `src` directory or a GOROOT `src`. Both tools list
every package below ROOT (go list: `./...` plus the vendor directories, which `./...` leaves out)
for linux/amd64 with cgo enabled, test files included.

Module mode (`--modules`): every go.mod below ROOT (outside testdata, vendor and `_`/`.`
directories) is a main module of its own. census runs on the module's directory with `--layout
module` (what `auto` picks there too, except below a GOROOT `src`); go list runs there with `GO111MODULE=on GOWORK=off GOPROXY=off
GOFLAGS=-mod=mod`, offline: `-modfile` points at a copy of the go.mod in a scratch directory
(the tree itself is never written) with a `replace` for every module of the requirement graph,
to its directory below ROOT when the tree holds one with a go.mod (the main module's own path,
required back by a dependency, to its own directory), else to an empty module made in the
scratch directory. GOROOT's `src` (modules std and cmd) is listed as the go command lists it
there, from its vendor directories. Only the main module's packages are compared (go list's `./...`
leaves out nested modules and vendor directories; census's packages of another module or
vendored are left out the same way).

For every package the script compares the fields below and prints each difference; the exit
status is 1 when there is any.
"""
import json, os, shutil, subprocess, sys, tempfile

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

def compare(ours, theirs):
    """The fields that differ, per package both list: [(path, field, census, go list)]."""
    diffs = []
    for path in sorted(set(ours) & set(theirs)):
        a, b = ours[path], theirs[path]
        for f in FIELDS:
            va, vb = a.get(f, [] if f != "Name" else ""), b.get(f, [] if f != "Name" else "")
            if f != "Imports" and isinstance(va, list):
                va, vb = sorted(va), sorted(vb)
            if va != vb:
                diffs.append((path, f, va, vb))
    return diffs

def counts(packages):
    """Files and imports of a package set, as both tools count them (test files included)."""
    files = sum(len(p.get(f) or []) for p in packages for f in FIELDS[1:7])
    imports = sum(len(p.get(f) or []) for p in packages for f in FIELDS[7:])
    return files, imports

def module_dirs(root):
    """Directories below root holding a go.mod, skipping what ./... skips and vendor."""
    found = []
    for d, subdirs, files in os.walk(root):
        subdirs[:] = sorted(s for s in subdirs if not (s.startswith(".") or s.startswith("_") or s in ("testdata", "vendor")))
        if "go.mod" in files:
            found.append(d)
    return found

def mod_json(path):
    out = subprocess.run(["go", "mod", "edit", "-json", path], capture_output=True, text=True,
                         env=dict(os.environ, GO111MODULE="on", GOFLAGS=""))
    return json.loads(out.stdout) if out.returncode == 0 else None

def run_modules(census, root, show):
    mods = {}
    for d in module_dirs(root):
        j = mod_json(os.path.join(d, "go.mod"))
        if j and j.get("Module", {}).get("Path"):
            mods[d] = j
    by_path = {j["Module"]["Path"]: d for d, j in mods.items()}
    scratch = tempfile.mkdtemp(prefix="census-gomod-")
    env = dict(os.environ, GO111MODULE="on", GOWORK="off", GOPROXY="off", GOSUMDB="off", GOOS="linux", GOARCH="amd64",
               CGO_ENABLED="1", GOTOOLCHAIN="local", GOPATH=os.path.join(scratch, "gopath"), GOFLAGS="")
    totals = {"modules": 0, "packages": 0, "same": 0, "census": 0, "files": [0, 0], "imports": [0, 0], "bad": 0}
    failed = []
    try:
        for d in sorted(mods):
            main = mods[d]["Module"]["Path"]
            goroot = main in ("std", "cmd")
            # The requirement graph, through the tree's own go.mod files.
            replace, todo = {}, [r["Path"] for r in mods[d].get("Require") or []]
            while todo:
                m = todo.pop()
                if m in replace:
                    continue
                if m == main:
                    # Required back at another version (testify and objx require each other):
                    # that version is the main module itself.
                    replace[m] = d
                    continue
                if m in by_path:
                    replace[m] = by_path[m]
                    todo += [r["Path"] for r in mods[by_path[m]].get("Require") or []]
                else:
                    empty = os.path.join(scratch, "empty", m)
                    os.makedirs(empty, exist_ok=True)
                    with open(os.path.join(empty, "go.mod"), "w") as f:
                        f.write(f'module "{m}"\n')
                    replace[m] = empty
            modfile = os.path.join(scratch, main.replace("/", "_") + ".mod")
            shutil.copyfile(os.path.join(d, "go.mod"), modfile)
            edits = [f"-replace={m}={target}" for m, target in sorted(replace.items())]
            if edits and not goroot:
                subprocess.run(["go", "mod", "edit"] + edits + [modfile], env=env, check=True)
            # GOROOT's std and cmd always build from their vendor directories.
            flags = [] if goroot else ["-modfile=" + modfile, "-mod=mod"]
            listed = subprocess.run(["go", "list", "-e", "-json"] + flags + ["./..."], cwd=d, env=env,
                                    capture_output=True, text=True)
            theirs = {p["ImportPath"]: p for p in stream(listed.stdout)}
            if not theirs:
                failed.append((d, listed.stderr.strip()[:300]))
                continue
            out = subprocess.run([census, "go", "packages", d, "--format", "json", "--tests", "--layout", "module"],
                                 capture_output=True, text=True)
            data = json.loads(out.stdout)
            if data["layout"] != "module":
                failed.append((d, "census layout " + data["layout"]))
                continue
            ours = {p["ImportPath"]: p for p in data["packages"] if p["Module"] == main and not p["Vendored"]}
            diffs = compare(ours, theirs)
            only_ours, only_theirs = sorted(set(ours) - set(theirs)), sorted(set(theirs) - set(ours))
            bad = {x[0] for x in diffs}
            n = len(set(ours) & set(theirs))
            totals["modules"] += 1
            totals["packages"] += len(theirs)
            totals["census"] += len(ours)
            totals["same"] += n - len(bad)
            both = [p for k, p in ours.items() if k in theirs and k not in bad]
            for i, v in enumerate(counts(both)):
                totals["files" if i == 0 else "imports"][0] += v
            for i, v in enumerate(counts([theirs[k] for k in theirs])):
                totals["files" if i == 0 else "imports"][1] += v
            status = "equal" if not diffs and not only_ours and not only_theirs else "DIFFERENT"
            print(f"{main}: go list {len(theirs)}, census {len(ours)}, equal {n - len(bad)}: {status}")
            for p in only_ours[:show]:
                print("  only census:", p)
            for p in only_theirs[:show]:
                print("  only go list:", p, theirs[p].get("Error", {}).get("Err", "")[:200])
            for path, f, va, vb in diffs[:show]:
                print(f"  {path} {f}:\n    census:  {va}\n    go list: {vb}")
            totals["bad"] += len(bad) + len(only_ours) + len(only_theirs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for d, why in failed:
        print(f"  NOT COMPARED {d}: {why}")
    t = totals
    print(f"files (equal packages / go list): {t['files'][0]} / {t['files'][1]}; imports: {t['imports'][0]} / {t['imports'][1]}")
    print(f"RESULT {root} (module mode): {t['modules']} modules, {t['same']} of {t['packages']} packages equal in every "
          f"compared field (census listed {t['census']})")
    sys.exit(1 if t["bad"] or failed else 0)

def main():
    args = sys.argv[1:]
    census, root = args[0], os.path.realpath(args[1])
    gopath = None
    show = 40
    if "--gopath" in args:
        gopath = args[args.index("--gopath") + 1]
    if "--show" in args:
        show = int(args[args.index("--show") + 1])
    if "--modules" in args:
        run_modules(census, root, show)
        return
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
    diffs = compare(ours, theirs)
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
