#!/usr/bin/env bash
# Measures how fast the go.mod parser (CensusGoModules) runs, on one thread, without process
# start-up: the hidden `census gomod --repeat N FILE...` mode reads the files once, parses them all
# N times and prints files/s and MB/s to stderr. Parsing only; the JSON is not written.
#
# Inputs: every go.mod of the Go 1.19 source tree (Debian's golang-1.19-src: 7 small files) and the
# 14 golden go.mod files of etcd and prometheus in the shared data (../shared/data/gomod or
# $CENSUS_SHARED), when present; measured together, and the largest (prometheus, 9.8 kB) alone.
# RUNS runs each (default 5), median printed as a Markdown table.
#
#   bench/gomod-bench.sh
#   ROUNDS=5000 RUNS=3 bench/gomod-bench.sh
#   CENSUS=/path/to/release/census bench/gomod-bench.sh    # use a census already built
#
# Needs: apt-get install golang-1.19-src (and the shared data for the golden files).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2000}
RUNS=${RUNS:-5}
SHARED=${CENSUS_SHARED:-../shared}

gotree=()
if [ -d /usr/share/go-1.19/src ]; then
    while IFS= read -r f; do gotree+=("$f"); done < <(find /usr/share/go-1.19/src -name go.mod | sort)
fi
goldens=()
if [ -d "$SHARED/data/gomod" ]; then
    while IFS= read -r f; do goldens+=("$f"); done < <(find "$SHARED/data/gomod" -name go.mod | sort)
fi
all=("${gotree[@]}" "${goldens[@]}")
[ ${#all[@]} -gt 0 ] || { echo "no go.mod files: apt-get install golang-1.19-src, or set CENSUS_SHARED" >&2; exit 1; }

if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census >&2
    CENSUS=$(swift build -c release --show-bin-path)/census
fi

if ! "$CENSUS" gomod --repeat 1 "${all[0]}" >/dev/null 2>&1; then
    echo "$CENSUS has no working 'gomod --repeat': is GoModCommand registered in Sources/census/Census.swift?" >&2
    exit 1
fi

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure NAME ROUNDS FILE...: RUNS runs; prints a table row with the medians.
measure() {
    local name=$1 rounds=$2; shift 2
    local log; log=$(mktemp)
    for _ in $(seq "$RUNS"); do
        # census: parsed F files (B bytes) N times in T s: X files/s, Y MB/s (R requirements per round)
        "$CENSUS" gomod --repeat "$rounds" "$@" 2>&1 >/dev/null | awk '/ files\/s, / {
            for (i = 1; i <= NF; i++) { if ($(i+1) == "files/s,") fps = $i; if ($(i+1) == "MB/s") mbs = $i }
            print fps, mbs }' >> "$log"
    done
    local bytes; bytes=$(cat "$@" | wc -c)
    echo "| $name | $# | $bytes | $(awk '{print $1}' "$log" | median) | $(awk '{print $2}' "$log" | median) |"
    rm -f "$log"
}

echo "machine: $(nproc) cores, $(uname -sr); $(basename "$CENSUS") at $CENSUS; ROUNDS=$ROUNDS, median of $RUNS runs, one thread"
echo
echo "| input | files | bytes | go.mod files/s | MB/s |"
echo "|---|---:|---:|---:|---:|"
measure "Go tree + shared goldens" "$ROUNDS" "${all[@]}"
[ ${#gotree[@]} -gt 0 ] && measure "Go 1.19 tree" "$((ROUNDS * 3))" "${gotree[@]}"
if [ ${#goldens[@]} -gt 0 ]; then
    largest=$(ls -S "${goldens[@]}" | head -n 1)
    measure "largest ($(basename "$(dirname "$largest")")/go.mod)" "$ROUNDS" "$largest"
fi

# Memory: a 10 MB go.mod of ~180,000 requirements parsed once in a process of its own, peak
# resident size against a one-line go.mod's (the difference is what the requirements hold).
big=$(mktemp --suffix=.mod); small=$(mktemp --suffix=.mod)
python3 - "$big" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("module example.com/big\n\nrequire (\n")
    n = size = 0
    while size < 10 * 1024 * 1024:
        line = f"\texample.com/owner{n % 977}/repository{n} v1.{n % 50}.{n % 7} // indirect\n"
        f.write(line); size += len(line); n += 1
    f.write(")\n")
PY
printf 'module example.com/small\n' > "$small"
peak() { /usr/bin/time -f %M "$CENSUS" gomod --repeat 1 "$1" 2>&1 >/dev/null | tail -n 1; }
requirements=$(grep -c '// indirect' "$big")
big_kib=$(peak "$big"); small_kib=$(peak "$small")
echo
echo "memory: 10 MB go.mod ($requirements requirements): peak ${big_kib} KiB; one-line go.mod: ${small_kib} KiB;" \
     "$(( (big_kib - small_kib) * 1024 / requirements )) bytes per requirement over the empty run"
rm -f "$big" "$small"
