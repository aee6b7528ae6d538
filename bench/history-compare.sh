#!/usr/bin/env bash
# Two census binaries (BEFORE and AFTER) against git on one history, interleaved in one run:
# `census history` against `git log --numstat -z`, and `census history --no-lines` against
# `git log -z --use-mailmap --format=<census's format>` (the references of bench/history-bench.sh).
# Prints median wall and CPU (user + sys, children included) seconds of RUNS runs (default 3), and
# the ratios to git's from the same run.
#
#   BEFORE=/tmp/census-main AFTER=.build-gs2/release/census REPO=/tmp/census-bench/long-82000.git \
#     MODES="no-lines lines" RUNS=3 flock /tmp/census-bench.lock bench/history-compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
MODES=${MODES:-"no-lines lines"}
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}/compare
mkdir -p "$WORK"
: "${BEFORE:?BEFORE=census binary}" "${AFTER:?AFTER=census binary}" "${REPO:?REPO=a repository}"
DB=$WORK/history.db
FORMAT='%x01%H%x00%P%x00%aN%x00%aE%x00%at %ai%x00%cN%x00%cE%x00%ct %ci%x00'
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
fresh() { rm -f "$DB" "$DB-wal" "$DB-shm"; }
timed() { # file, command...: appends "wall cpu"
    local out=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$WORK/t" "$@" > /dev/null 2>&1 || true
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$WORK/t" >> "$out"
}
col() { cut -d' ' -f"$2" "$WORK/$1.runs" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
commits=$(git -C "$REPO" rev-list --count HEAD)
echo "$(basename "$REPO"), $commits commits, $RUNS runs, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| work | git wall / CPU (s) | before wall / CPU (s) | after wall / CPU (s) | before / git (wall, CPU) | after / git (wall, CPU) |"
echo "|---|---:|---:|---:|---:|---:|"
for mode in $MODES; do
    for f in git before after; do : > "$WORK/$f.runs"; done
    if [ "$mode" = lines ]; then
        reference=(sh -c "git -C '$REPO' log --numstat -z HEAD > /dev/null"); flags=()
    else
        reference=(sh -c "git -C '$REPO' log -z --use-mailmap '--format=$FORMAT' HEAD > /dev/null"); flags=(--no-lines)
    fi
    for _ in $(seq "$RUNS"); do
        timed "$WORK/git.runs" "${reference[@]}"
        fresh; timed "$WORK/before.runs" "$BEFORE" history "$REPO" "${flags[@]}" --db "$DB" --quiet
        fresh; timed "$WORK/after.runs" "$AFTER" history "$REPO" "${flags[@]}" --db "$DB" --quiet
    done
    echo "| $mode | $(col git 1) / $(col git 2) | $(col before 1) / $(col before 2) | $(col after 1) / $(col after 2) |" \
        "$(ratio "$(col before 1)" "$(col git 1)"), $(ratio "$(col before 2)" "$(col git 2)") |" \
        "$(ratio "$(col after 1)" "$(col git 1)"), $(ratio "$(col after 2)" "$(col git 2)") |"
done
fresh
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
