#!/usr/bin/env bash
# What a URL target costs to clone, by kind, served over file:// (docs/git.md, "Clone cache"):
# `--depth 1` (the scan's tree), `--filter=tree:0` (every commit, no trees: the commit count and
# the first commit), `--filter=blob:none` (commits and trees: attribution-only history) and a full
# clone, each `git clone --bare --no-local --single-branch --no-tags` as the cache makes them. The
# server allows filters through `--upload-pack` (the source repositories are not touched).
# Per kind: bytes fetched (the packs received), wall time (median of RUNS, default 3), disk (du).
#
#   bench/clone-bench.sh [REPO.git ...]
#
# Default repositories: the largest Swift package mirror, and the generated long histories of
# bench/git-bench.sh when they exist ($CENSUS_BENCH_DIR/long-*.git).
set -euo pipefail
RUNS=${RUNS:-3}
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
mkdir -p "$WORK"
if [ $# -gt 0 ]; then
    repos=("$@")
else
    repos=("$(du -s /opt/swift-packages/*/*.git | sort -n | tail -1 | cut -f2)")
    for r in "$WORK"/long-*.git; do [ -d "$r" ] && repos+=("$r"); done
fi
GIT="env -i PATH=/usr/bin:/bin HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 git"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "| repository | commits | kind | fetched (KiB) | time (s) | disk (KiB) | objects |"
echo "|---|---:|---|---:|---:|---:|---:|"
for repo in "${repos[@]}"; do
    commits=$($GIT -C "$repo" rev-list --count HEAD)
    for kind in "--depth=1" "--filter=tree:0" "--filter=blob:none" "full"; do
        : > "$WORK/clone.times"
        for _ in $(seq "$RUNS"); do
            dest=$(mktemp -d "$WORK/clone.XXXXXX")
            args=(clone -q --bare --no-local --single-branch --no-tags --template=)
            [ "$kind" != full ] && args+=("$kind")
            start=$(date +%s.%N)
            $GIT "${args[@]}" --upload-pack="git -c uploadpack.allowFilter=true upload-pack" "file://$repo" "$dest/r.git"
            end=$(date +%s.%N)
            awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }' >> "$WORK/clone.times"
            fetched=$(du -sk --apparent-size "$dest/r.git/objects/pack" | cut -f1)
            disk=$(du -sk "$dest/r.git" | cut -f1)
            objects=$($GIT -C "$dest/r.git" count-objects -v | awk '/^in-pack/ {print $2}')
            rm -rf "$dest"
        done
        echo "| $(basename "$repo") | $commits | ${kind#--} | $fetched | $(median < "$WORK/clone.times") | $disk | $objects |"
    done
done
