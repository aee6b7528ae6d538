#!/usr/bin/env bash
# Scanning a bare repository at a revision against its floor, `git archive REV > /dev/null` (git
# decompressing every blob of the tree). Repositories: the largest bare Swift package mirror on the
# machine (by object store size), a repository made from the Go source tree (one commit of
# /usr/share/go-1.19/src, packed), and long histories made here with git fast-import
# (bench/make-history.py: LONG commits, default 82,000 as git's own repository has, and a tree of
# 5,200 files; packed by git gc): once without a commit-graph (a repository census does not own,
# where it must not write one), once with one (what the clone cache writes after every clone and
# fetch, and what `git gc` writes by default). Warm cache; RUNS runs each (default 5),
# interleaved; prints medians of wall and CPU time (user + sys) and peak memory as a Markdown table,
# and census / git archive.
#
#   bench/git-bench.sh
#   RUNS=9 CENSUS=.build-lead/release/census bench/git-bench.sh
#   EXTRA=/tmp/census-bench/long-500000-1500.git bench/git-bench.sh   # and these, with and without a commit-graph
#
# Needs: git, time, golang-1.19-src, python3.
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
LONG=${LONG:-82000}
LONGREPO=$WORK/long-$LONG.git
if [ ! -d "$LONGREPO" ]; then
    echo "making $LONGREPO ($LONG commits, 5,200 files) ..." >&2
    git init -q --bare -b main "$LONGREPO"
    python3 bench/make-history.py "$LONG" 5200 | git -C "$LONGREPO" fast-import --quiet
    git -C "$LONGREPO" update-ref -d refs/heads/side || true
    git -C "$LONGREPO" -c gc.writeCommitGraph=false gc -q
    rm -f "$LONGREPO/objects/info/commit-graph"
fi
GRAPHREPO=$WORK/long-$LONG-graph.git
if [ ! -d "$GRAPHREPO" ]; then
    git clone -q --bare --shared "$LONGREPO" "$GRAPHREPO"
    git -C "$GRAPHREPO" commit-graph write --reachable
fi

# EXTRA: more repositories (paths), each measured as it is and, like the long history above, as a
# --shared clone with a commit-graph written (REPO-graph.git beside it, made once).
extra=()
for repo in ${EXTRA:-}; do
    graph=${repo%.git}-graph.git
    if [ ! -d "$graph" ]; then
        git clone -q --bare --shared "$repo" "$graph"
        git -C "$graph" commit-graph write --reachable
    fi
    extra+=("$repo" "$graph")
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "| repository | commits | files in tree | git archive (s) | census scan (s) | census / git archive | git archive CPU (s) | census CPU (s) | census peak MB | metadata from |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for repo in "$LARGEST" "$GOREPO" "$LONGREPO" "$GRAPHREPO" "${extra[@]}"; do
    files=$($GIT -C "$repo" ls-tree -r HEAD | wc -l)
    commits=$($GIT -C "$repo" rev-list --count HEAD)
    : > "$WORK/ga.times"; : > "$WORK/cs.times"; : > "$WORK/cs.mem"; : > "$WORK/ga.cpu"; : > "$WORK/cs.cpu"
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %U %S" -o "$WORK/t" sh -c "$GIT -C '$repo' archive HEAD > /dev/null"
        cut -d' ' -f1 "$WORK/t" >> "$WORK/ga.times"
        awk '{ printf "%.2f\n", $2 + $3 }' "$WORK/t" >> "$WORK/ga.cpu"
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$CENSUS" scan "$repo" --rev HEAD --format json --no-db > "$WORK/scan.json"
        cut -d' ' -f1 "$WORK/t" >> "$WORK/cs.times"
        awk '{ printf "%.2f\n", $2 + $3 }' "$WORK/t" >> "$WORK/cs.cpu"
        cut -d' ' -f4 "$WORK/t" >> "$WORK/cs.mem"
    done
    # The figures must be exact: the scan's commit count is git's.
    counted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["repository"]["commit_count"])' "$WORK/scan.json")
    [ "$counted" = "$commits" ] || echo "MISMATCH: census counted $counted commits, git $commits" >&2
    source=$([ -e "$repo/objects/info/commit-graph" ] && echo commit-graph || echo rev-list)
    ga=$(median < "$WORK/ga.times"); cs=$(median < "$WORK/cs.times"); mem=$(median < "$WORK/cs.mem")
    gacpu=$(median < "$WORK/ga.cpu"); cscpu=$(median < "$WORK/cs.cpu")
    ratio=$(awk -v a="$cs" -v b="$ga" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    echo "| $(basename "$repo") | $commits | $files | $ga | $cs | $ratio | $gacpu | $cscpu | $(awk -v m="$mem" 'BEGIN { printf "%.1f", m / 1024 }') | $source |"
done
