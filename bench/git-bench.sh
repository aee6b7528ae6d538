#!/usr/bin/env bash
# Scanning a bare repository at a revision against its floor, `git archive REV > /dev/null` (git
# decompressing every blob of the tree). Repositories: the largest bare Swift package mirror on the
# machine (by object store size) and a repository made from the Go source tree (one commit of
# /usr/share/go-1.19/src, packed). Warm cache; RUNS runs each (default 5), interleaved; prints
# medians of wall time and peak memory as a Markdown table, and census / git archive.
#
#   bench/git-bench.sh
#   RUNS=9 CENSUS=.build-lead/release/census bench/git-bench.sh
#
# Needs: git, time, golang-1.19-src.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
mkdir -p "$WORK"
if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census >&2
    CENSUS=$(swift build -c release --show-bin-path)/census
fi

GIT="git -c core.fsmonitor=false"
GOREPO=$WORK/go-1.19.git
if [ ! -d "$GOREPO" ]; then
    echo "making $GOREPO from /usr/share/go-1.19/src ..." >&2
    tmp=$(mktemp -d)
    cp -a /usr/share/go-1.19/src/. "$tmp/"
    env -i PATH=/usr/bin:/bin HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b \
        GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b sh -c \
        "cd '$tmp' && git init -q && git add -A -f && git commit -q -m snapshot && git gc -q && git clone -q --bare '$tmp' '$GOREPO'"
    rm -rf "$tmp"
fi
LARGEST=$(du -s /opt/swift-packages/*/*.git | sort -n | tail -1 | cut -f2)

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "| repository | files in tree | git archive (s) | census scan (s) | census peak MB | census / git archive |"
echo "|---|---:|---:|---:|---:|---:|"
for repo in "$LARGEST" "$GOREPO"; do
    files=$($GIT -C "$repo" ls-tree -r HEAD | wc -l)
    : > "$WORK/ga.times"; : > "$WORK/cs.times"; : > "$WORK/cs.mem"
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e" -o "$WORK/t" sh -c "$GIT -C '$repo' archive HEAD > /dev/null"
        cat "$WORK/t" >> "$WORK/ga.times"
        /usr/bin/time -f "%e %M" -o "$WORK/t" "$CENSUS" scan "$repo" --format json --no-db > /dev/null
        cut -d' ' -f1 "$WORK/t" >> "$WORK/cs.times"
        cut -d' ' -f2 "$WORK/t" >> "$WORK/cs.mem"
    done
    ga=$(median < "$WORK/ga.times"); cs=$(median < "$WORK/cs.times"); mem=$(median < "$WORK/cs.mem")
    ratio=$(awk -v a="$cs" -v b="$ga" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    echo "| $(basename "$repo") | $files | $ga | $cs | $(awk -v m="$mem" 'BEGIN { printf "%.1f", m / 1024 }') | $ratio |"
done
