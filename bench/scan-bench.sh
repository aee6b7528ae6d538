#!/usr/bin/env bash
# Times `census scan` against the floor (bench/floor.c: one thread, read + memchr) and against
# tokei, scc and cloc when they are on PATH, on the Linux kernel (Debian's linux-source-6.1) and the Go
# tree (Debian's golang-1.19-src). Warm cache; RUNS runs each (default 5); prints medians of wall time
# and peak resident memory as a Markdown table, and the ratios to the floor.
#
#   bench/scan-bench.sh                # kernel and Go tree
#   RUNS=3 WITH_CLOC=1 bench/scan-bench.sh
#
# Needs: apt-get install linux-source-6.1 golang-1.19-src time (and cloc for WITH_CLOC=1).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
mkdir -p "$WORK" bench/out

KERNEL=$WORK/linux-source-6.1
if [ ! -d "$KERNEL" ]; then
    echo "unpacking the kernel into $WORK ..." >&2
    tar -C "$WORK" -xf /usr/src/linux-source-6.1.tar.xz
fi
GOTREE=/usr/share/go-1.19/src
[ -d "$GOTREE" ] || { echo "missing $GOTREE: apt-get install golang-1.19-src" >&2; exit 1; }

swift build -c release --product census >&2
CENSUS=$(swift build -c release --show-bin-path)/census
cc -O2 -o bench/out/floor bench/floor.c

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# run NAME TREE CMD...: RUNS timed runs after one warm-up (WARMUP=0 skips it); prints
# "name wall_s peak_mb"
run() {
    local name=$1 tree=$2; shift 2
    if [ "${WARMUP:-1}" = 1 ]; then "$@" "$tree" >/dev/null 2>&1 || true; fi
    local log; log=$(mktemp)
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -a -o "$log" "$@" "$tree" >/dev/null 2>/dev/null || true
    done
    local wall mem
    wall=$(awk '{print $1}' "$log" | median)
    mem=$(awk '{print $2}' "$log" | median)
    rm -f "$log"
    echo "$name $wall $(awk -v k="$mem" 'BEGIN {printf "%.1f", k/1024}')"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); runs: $RUNS (median), warm cache"
echo
for tree in "$KERNEL" "$GOTREE"; do
    echo "### $tree"
    echo
    echo "| tool | wall (s) | peak memory (MB) | wall / floor |"
    echo "|---|---:|---:|---:|"
    results=()
    results+=("$(run floor "$tree" bench/out/floor)")
    results+=("$(run census "$tree" "$CENSUS" scan)")
    results+=("$(run "census --jobs 1" "$tree" "$CENSUS" scan --jobs 1)")
    if command -v tokei >/dev/null; then results+=("$(run tokei "$tree" tokei --no-ignore)"); fi
    if command -v scc >/dev/null; then results+=("$(run scc "$tree" scc --no-gitignore --no-ignore)"); fi
    if [ "${WITH_CLOC:-0}" = 1 ] && command -v cloc >/dev/null; then
        results+=("$(RUNS=1 WARMUP=0 run "cloc (1 run)" "$tree" cloc --quiet)")
    fi
    floor=$(echo "${results[0]}" | awk '{print $2}')
    for r in "${results[@]}"; do
        name=${r% * *}; rest=${r#"$name "}  # names may contain spaces
        wall=${rest% *}; mem=${rest#* }
        echo "| $name | $wall | $mem | $(awk -v a="$wall" -v b="$floor" 'BEGIN {printf "%.2f", a/b}') |"
    done
    echo
done
