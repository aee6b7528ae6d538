#!/usr/bin/env bash
# Module mode with a vendor directory, against `go list -mod=vendor` (offline): copies cobra from
# the Debian gocode corpus into a scratch directory, replaces its requirements with the corpus's
# directories (empty modules for the two Debian does not ship), runs `go mod vendor`, then
# compares `census go packages --layout module` with `go list -mod=vendor -deps -json ./...` on
# the module's own and its vendored packages (Name, GoFiles, CgoFiles, IgnoredGoFiles,
# InvalidGoFiles, Imports, the module's path; census's Vendored flag against the directory). The
# corpus itself is never written.
#
#   bench/go-source-vendor-check.sh CENSUS
set -euo pipefail
CENSUS=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=/usr/share/gocode/src
S=$(mktemp -d /tmp/census-go-vendor-XXXXXX)
trap 'rm -rf "$S"' EXIT
export GO111MODULE=on GOWORK=off GOPROXY=off GOSUMDB=off GOPATH=$S/gopath GOFLAGS= GOOS=linux GOARCH=amd64 CGO_ENABLED=1
cp -r "$SRC/github.com/spf13/cobra" "$S/cobra"
chmod -R u+w "$S/cobra"
for m in github.com/inconshreveable/mousetrap gopkg.in/check.v1; do
    mkdir -p "$S/empty/$m" && echo "module $m" > "$S/empty/$m/go.mod"
done
cd "$S/cobra"
go mod edit \
    -replace=github.com/cpuguy83/go-md2man/v2=$SRC/github.com/cpuguy83/go-md2man/v2 \
    -replace=github.com/spf13/pflag=$SRC/github.com/spf13/pflag \
    -replace=gopkg.in/yaml.v3=$SRC/gopkg.in/yaml.v3 \
    -replace=github.com/russross/blackfriday/v2=$SRC/github.com/russross/blackfriday/v2 \
    -replace=github.com/shurcooL/sanitized_anchor_name=$SRC/github.com/shurcooL/sanitized_anchor_name \
    -replace=github.com/inconshreveable/mousetrap=$S/empty/github.com/inconshreveable/mousetrap \
    -replace=gopkg.in/check.v1=$S/empty/gopkg.in/check.v1 go.mod
go mod vendor -e 2>/dev/null
go list -e -mod=vendor -deps -json ./... > "$S/list.json" 2>/dev/null || true
"$CENSUS" go packages "$S/cobra" --format json --tests --layout module > "$S/census.json"
python3 - "$S" "$HERE/go-source-compare.py" <<'PY'
import json, sys
scratch, script = sys.argv[1], sys.argv[2]
ns = {}
exec(compile(open(script).read().replace("\nmain()\n", "\n"), script, "exec"), ns)
root = scratch + "/cobra"
theirs = {p["ImportPath"]: p for p in ns["stream"](open(scratch + "/list.json").read()) if p.get("Dir", "").startswith(root)}
ours = {p["ImportPath"]: p for p in json.load(open(scratch + "/census.json"))["packages"]}
# -deps lists dependencies without their test fields: the rest are compared.
ns["FIELDS"][:] = ["Name", "GoFiles", "CgoFiles", "IgnoredGoFiles", "InvalidGoFiles", "Imports"]
diffs = ns["compare"](ours, theirs)
# The module of each package: go list's Module.Path (for vendored ones, from vendor/modules.txt).
for path in sorted(set(ours) & set(theirs)):
    want = (theirs[path].get("Module") or {}).get("Path", "")
    if ours[path]["Module"] != want:
        diffs.append((path, "Module", ours[path]["Module"], want))
vendored = sum(1 for p in ours.values() if p["Vendored"])
inside = sum(1 for p in theirs.values() if p["Dir"].startswith(root + "/vendor/"))
if vendored != inside:
    diffs.append(("(all)", "Vendored count", vendored, inside))
for d in diffs:
    print("  differs:", d)
print("  only census:", sorted(set(ours) - set(theirs)), " only go list:", sorted(set(theirs) - set(ours)))
bad = len({d[0] for d in diffs}) + len(set(ours) ^ set(theirs))
print(f"RESULT cobra with vendor/: {len(theirs) - bad} of {len(theirs)} packages equal ({vendored} vendored)")
sys.exit(1 if bad else 0)
PY
