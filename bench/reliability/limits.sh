#!/usr/bin/env bash
# Limits of size and shape (docs/reliability.md): each case is generated, run through census under
# /usr/bin/time, and reported with its exit status, wall time, peak RSS and what census found.
#
#   bench/reliability/limits.sh [--census PATH] [--work DIR] [CASE...]
#
# Cases: files (1,000,000 files in one directory), longpath (a 4,000-byte path), deep (1,000
# nested directories), sparse (a 4 GiB sparse file), bigtext (a 4 GiB text file), longline (one
# line of 1 GiB, no line feed), gittree (a git
# tree of 500,000 entries), gomod (a go.mod of 100,000 requirements), gitdm (a gitdm file of
# 1,000,000 lines), events (an events file of 5,000,000 lines: the first 25,000 lines of the shared
# GH Archive hour files, 200 times (EVENTS_COPIES=N: N times), each copy's events made new events; needs $CENSUS_SHARED or
# ../shared, and 8 GB more). The work directory needs about 5 GB free; everything is removed at
# the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
census=$ROOT/.build/debug/census
work=${TMPDIR:-/tmp}/census-limits
cases=()
while [ $# -gt 0 ]; do
    case "$1" in
        --census) census=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) cases+=("$1"); shift ;;
    esac
done
[ ${#cases[@]} -gt 0 ] || cases=(files longpath deep sparse bigtext longline gittree gomod gitdm)
[ -x "$census" ] || { echo "limits.sh: no census at $census" >&2; exit 2; }
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 CENSUS_DB=$work/census.db

# Runs census under /usr/bin/time; prints "status, wall, peak RSS" and keeps stdout in $work/out.
measure() { # label, census arguments...
    local label=$1; shift
    local status=0
    /usr/bin/time -f "%e %M" -o "$work/time" "$census" "$@" >"$work/out" 2>"$work/err" || status=$?
    read -r wall rss <"$work/time"
    printf '%-9s exit %d, %6.1f s, peak RSS %5d MB: ' "$label" "$status" "$wall" $((rss / 1024))
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$work/out"; }

run_case() {
    local dir=$work/$1
    rm -rf "$dir"; mkdir -p "$dir"
    case "$1" in
    files)
        python3 - "$dir/d" <<'PY'
import os, sys
d = sys.argv[1]; os.makedirs(d)
for i in range(1_000_000):
    with open(os.path.join(d, f"f{i:07d}.c"), "w") as f:
        if i % 1000 == 0: f.write("int x;\n")
PY
        measure files scan "$dir/d" --format json
        echo "$(json 'sum(l["files"] for l in d["languages"] if l["name"]=="C")') C files, $(json 'd["total"]["code"]') lines of code (expected 1000000 and 1000)"
        ;;
    longpath)
        local p=$dir/t
        local segment
        segment=$(printf 'd%.0s' $(seq 1 250))
        for _ in $(seq 1 16); do p=$p/$segment; done
        mkdir -p "$p"; printf 'int x;\n' >"$p/main.c"
        measure longpath scan "$dir/t" --by-file --format json
        echo "path of $(json 'len(d["files"][0]["path"].encode())') bytes, $(json 'd["total"]["code"]') line of code (expected 1)"
        ;;
    deep)
        local p=$dir/t
        python3 - "$p" <<'PY'
import os, sys
p = sys.argv[1]
os.makedirs(p)
fd = os.open(p, os.O_RDONLY)
for _ in range(1000):
    os.mkdir("d", dir_fd=fd); nfd = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
with open(os.open("main.c", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f: f.write("int x;\n")
PY
        measure deep scan "$dir/t" --format json
        echo "$(json 'd["total"]["code"]') line of code 1,000 directories down (expected 1); $(grep -c . "$work/err" || true) stderr lines"
        ;;
    sparse)
        truncate -s 4G "$dir/big.c"; printf 'int x;\n' >"$dir/small.c"
        measure sparse scan "$dir" --format json
        echo "$(json 'd["total"]["code"]') line of code (the sparse file is NULs: binary, expected 1); $(grep -c . "$work/err" || true) stderr lines"
        ;;
    bigtext)
        { yes 'int x = 1; // c' || true; } | head -c 4294967296 >"$dir/big.c"
        measure bigtext scan "$dir" --format json
        echo "$(json 'd["total"]["code"]') lines of code (expected $((4294967296 / 16)): 4 GiB of 16-byte lines)"
        ;;
    longline)
        { printf 'int x = 1; /* '; head -c 1073741824 /dev/zero | tr '\0' 'x'; printf ' */'; } >"$dir/line.c"
        measure longline scan "$dir" --format json
        echo "$(json 'd["total"]["code"]') line of code, $(json 'd["total"]["comments"]') comment lines, $(json 'd["total"]["blanks"]') blank (expected 1, 0, 0: one line of code with a trailing comment)"
        ;;
    gittree)
        git -C "$dir" init -q -b main
        local blob
        blob=$(printf 'int x;\n' | git -C "$dir" hash-object -w --stdin)
        python3 - "$blob" <<'PY' | git -C "$dir" update-index --index-info
import sys
blob = sys.argv[1]
for i in range(500_000):
    sys.stdout.write(f"100644 {blob}\tsrc/{i // 1000:03d}/f{i:06d}.c\n")
PY
        local tree commit
        tree=$(git -C "$dir" write-tree)
        commit=$(GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@a GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@a git -C "$dir" commit-tree "$tree" -m big)
        git -C "$dir" update-ref refs/heads/main "$commit"
        rm -f "$dir/.git/index"
        measure gittree scan "$dir/.git" --format json
        echo "$(json 'sum(l["files"] for l in d["languages"])') files, $(json 'd["total"]["code"]') lines of code (expected 500000 and 500000)"
        ;;
    gomod)
        {
            echo "module example.com/big"; echo; echo "go 1.21"; echo; echo "require ("
            for i in $(seq 1 100000); do echo "	example.com/m$i v1.0.$i"; done
            echo ")"
        } >"$dir/go.mod"
        measure gomod gomod "$dir/go.mod"
        echo "$(json 'len(d["Require"])') requirements in the JSON (expected 100000)"
        ;;
    gitdm)
        python3 - "$dir/developers_affiliations.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(500_000):
        f.write(f"dev{i}: dev{i}!example{i % 1000}.com\n\tCompany {i % 5000} until 2020-01-01\n")
PY
        git -C "$dir" init -q -b main; printf 'package main\n' >"$dir/main.go"; git -C "$dir" add -A
        GIT_AUTHOR_NAME=d GIT_AUTHOR_EMAIL=dev7@example7.com GIT_COMMITTER_NAME=d GIT_COMMITTER_EMAIL=d@d \
            GIT_AUTHOR_DATE=2019-06-01T00:00:00Z git -C "$dir" commit -q -m one
        rm -f "$CENSUS_DB"
        measure gitdm history "$dir" --affiliations "$dir/developers_affiliations.txt"
        echo "$(wc -l <"$dir/developers_affiliations.txt") lines read; contributors: $("$census" contributors --format csv | sed -n 2p) (expected 1,Company 7,1,1,1000001,0: the one commit adds main.go and the 1,000,000-line file)"
        ;;
    events)
        local shared=${CENSUS_SHARED:-$ROOT/../shared}
        [ -d "$shared/data/gharchive" ] || { echo "events: no GH Archive hour files under $shared/data/gharchive (set CENSUS_SHARED)"; return 0; }
        # Each copy k of a line is a new event: an Events API line gets id + k * 10^10, a Timeline
        # line (no id) its URL with "#k" appended (the URL is part of its dedupe key). Prints the
        # distinct dedupe keys of the file, counted here (ids; for the Timeline, type, actor,
        # repository, time, URL and action, as docs/events.md defines the key).
        python3 - "$shared/data/gharchive" "$dir/events.json" "${EVENTS_COPIES:-200}" >"$dir/expected" <<'PY'
import gzip, json, os, sys
base, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = []
for name in sorted(os.listdir(base)):
    if name.endswith(".json.gz"):
        with gzip.open(os.path.join(base, name), "rt", encoding="utf-8") as f:
            lines += [l for l in f.read().split("\n") if l.strip()]
lines = lines[:25_000]
templates, keys = [], set()
TOKEN = "CENSUSCOPYTOKEN"
for line in lines:
    event = json.loads(line)
    if "id" in event:
        original = int(event["id"])
        event["id"] = TOKEN
        templates.append((json.dumps(event, separators=(",", ":"), ensure_ascii=False).split('"' + TOKEN + '"'), original))
        keys.add(("id", original))
    else:
        actor = event.get("actor") if isinstance(event.get("actor"), str) else (event.get("actor_attributes") or {}).get("login")
        repo = event.get("repository") or {}
        keys.add((event.get("type"), (actor or "").lower(), (repo.get("owner") or "").lower(), (repo.get("name") or "").lower(),
                  event.get("created_at"), event.get("url"), (event.get("payload") or {}).get("action")))
        event["url"] = (event.get("url") or "") + "#" + TOKEN
        templates.append((json.dumps(event, separators=(",", ":"), ensure_ascii=False).split(TOKEN), None))
with open(out, "w", encoding="utf-8") as f:
    for k in range(copies):
        for parts, original in templates:
            f.write((f'"{original + k * 10**10}"' if original is not None else str(k)).join(parts) + "\n")
print(copies * len(keys))
PY
        rm -f "$CENSUS_DB" "$CENSUS_DB-wal" "$CENSUS_DB-shm"
        measure events events ingest "$dir/events.json" --format json
        echo "$(wc -l <"$dir/events.json") lines ($(du -m "$dir/events.json" | cut -f1) MB), census: $(json 'd["rows"][0]["lines"]') lines, $(json 'd["rows"][0]["events"]') events, $(json 'd["rows"][0]["stored"]') stored, $(json 'd["rows"][0]["malformed"]') malformed; distinct keys counted by the script: $(cat "$dir/expected")"
        rm -f "$CENSUS_DB" "$CENSUS_DB-wal" "$CENSUS_DB-shm"
        ;;
    *) echo "limits.sh: unknown case $1" >&2; return 2 ;;
    esac
    rm -rf "$dir"
}

mkdir -p "$work"
for c in "${cases[@]}"; do run_case "$c"; done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
