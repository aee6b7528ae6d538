#!/usr/bin/env bash
# Several census processes writing one SQLite database at once, and a reader querying meanwhile
# (docs/reliability.md): two scans of halves of a manifest, and a history walk, all started
# together, while a loop runs `top` and `repos`. Expected: every process exits 0, no "database is
# locked", no lost repository, and final answers equal to a sequential run's.
#
#   bench/reliability/concurrent-writers.sh [--census PATH] [--repos N] [--rounds N] [--work DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
census=$ROOT/.build/debug/census
repos=40
rounds=5
work=${TMPDIR:-/tmp}/census-concurrent
while [ $# -gt 0 ]; do
    case "$1" in
        --census) census=$2; shift 2 ;;
        --repos) repos=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "concurrent-writers.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$census" ] || { echo "concurrent-writers.sh: no census at $census" >&2; exit 2; }
rm -rf "$work"
"$ROOT/bench/reliability/make-corpus.sh" "$work" "$repos"
head -n 1 "$work/manifest.csv" | tee "$work/a.csv" >"$work/b.csv"
tail -n +2 "$work/manifest.csv" | awk 'NR % 2 == 1' >>"$work/a.csv"
tail -n +2 "$work/manifest.csv" | awk 'NR % 2 == 0' >>"$work/b.csv"

answers() {
    local db=$1
    {
        for by in org company; do CENSUS_DB=$db "$census" top --language Go --by "$by" --format json; done
        CENSUS_DB=$db "$census" repos --format json | grep -v '"scanned_at"\|"duration'
        for by in author domain; do CENSUS_DB=$db "$census" contributors --by "$by" --format json; done
    } | grep -v '"version"'
}

# Sequential reference.
CENSUS_DB=$work/reference.db "$census" scan --manifest "$work/a.csv" --files >/dev/null 2>&1
CENSUS_DB=$work/reference.db "$census" scan --manifest "$work/b.csv" --files >/dev/null 2>&1
CENSUS_DB=$work/reference.db "$census" history --manifest "$work/manifest.csv" >/dev/null 2>&1
answers "$work/reference.db" >"$work/reference.answers"

failures=0
for round in $(seq 1 "$rounds"); do
    db=$work/round$round.db
    log=$work/round$round.log
    : >"$log"
    CENSUS_DB=$db "$census" scan --manifest "$work/a.csv" --files >/dev/null 2>>"$log" & a=$!
    CENSUS_DB=$db "$census" scan --manifest "$work/b.csv" --files >/dev/null 2>>"$log" & b=$!
    CENSUS_DB=$db "$census" history --manifest "$work/manifest.csv" >/dev/null 2>>"$log" & h=$!
    queries=0; query_failures=0
    while kill -0 $a 2>/dev/null || kill -0 $b 2>/dev/null || kill -0 $h 2>/dev/null; do
        if [ -e "$db" ]; then
            queries=$((queries + 1))
            CENSUS_DB=$db "$census" top --language Go --by org >/dev/null 2>>"$log" || query_failures=$((query_failures + 1))
            CENSUS_DB=$db "$census" repos >/dev/null 2>>"$log" || query_failures=$((query_failures + 1))
        fi
        sleep 0.05
    done
    status=0
    wait $a || status=$?; wait $b || status=$((status + $?)); wait $h || status=$((status + $?))
    answers "$db" >"$work/round$round.answers"
    locked=$(grep -c -i "locked\|busy" "$log" || true)
    same=$(cmp -s "$work/reference.answers" "$work/round$round.answers" && echo identical || echo DIFFER)
    echo "round $round: writers' status sum $status, $queries query rounds ($query_failures failed), 'locked'/'busy' $locked, answers $same"
    if [ "$status" -ne 0 ] || [ "$locked" -ne 0 ] || [ "$same" != identical ]; then failures=$((failures + 1)); fi
done
echo "concurrent writers: $rounds rounds, $failures failed; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$failures" -eq 0 ]
