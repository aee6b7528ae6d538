#!/usr/bin/env bash
# kill -9 at random moments of a manifest scan and of a history walk into SQLite; after each kill
# the database must pass `PRAGMA integrity_check`, the rerun must complete, and the final answers
# must equal an uninterrupted run's byte for byte (docs/reliability.md).
#
#   bench/reliability/crash-loop.sh [--census PATH] [--kills N] [--repos N] [--work DIR]
#
# The corpus comes from make-corpus.sh (N repositories, default 24). Answers compared:
# `top --by org`, `top --by company`, `repos`, `share --by cohort`, `contributors --by author`,
# `contributors --by domain` (all --format json).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

census=$ROOT/.build/debug/census
kills=20
repos=24
work=${TMPDIR:-/tmp}/census-crash-loop
while [ $# -gt 0 ]; do
    case "$1" in
        --census) census=$2; shift 2 ;;
        --kills) kills=$2; shift 2 ;;
        --repos) repos=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "crash-loop.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$census" ] || { echo "crash-loop.sh: no census at $census (swift build first, or --census)" >&2; exit 2; }

rm -rf "$work"
"$ROOT/bench/reliability/make-corpus.sh" "$work" "$repos"

answers() { # db → one file of every answer
    local db=$1
    {
        for by in org company; do CENSUS_DB=$db "$census" top --language Go --by "$by" --format json; done
        CENSUS_DB=$db "$census" repos --format json | grep -v '"scanned_at"\|"duration'
        CENSUS_DB=$db "$census" share --language Go --by cohort --threshold 50% --format json
        for by in author domain; do CENSUS_DB=$db "$census" contributors --by "$by" --format json; done
    } | grep -v '"version"'
}
integrity() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$1"; }

scan_args=(scan --manifest "$work/manifest.csv" --files --jobs 2)
history_args=(history --manifest "$work/manifest.csv")
scan() { CENSUS_DB=$1 "$census" "${scan_args[@]}" >/dev/null 2>>"$work/stderr.log"; }
history() { CENSUS_DB=$1 "$census" "${history_args[@]}" >/dev/null 2>>"$work/stderr.log"; }
stored() { # db → "repositories scanned, commits walked" as the killed run left them
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def count(sql):
    try: return db.execute(sql).fetchone()[0]
    except sqlite3.Error: return 0
print(f"{count('select count(*) from repositories')} repositories, {count('select count(*) from history_walks')} walks, {count('select count(*) from history_commits')} commits")
PY
}

# The uninterrupted run, timed.
t0=$(date +%s%N); scan "$work/reference.db"; t1=$(date +%s%N); history "$work/reference.db"; t2=$(date +%s%N)
scan_ms=$(( (t1 - t0) / 1000000 )); history_ms=$(( (t2 - t1) / 1000000 ))
answers "$work/reference.db" >"$work/reference.answers"
echo "uninterrupted: scan ${scan_ms} ms, history ${history_ms} ms; $(wc -c <"$work/reference.answers") bytes of answers; $(stored "$work/reference.db")"

. "$ROOT/bench/reliability/kill-during.sh"

failures=0
landed=0
for i in $(seq 1 "$kills"); do
    db=$work/run$i.db
    rm -f "$db" "$db-wal" "$db-shm"
    # Odd rounds kill the scan; even rounds complete the scan and kill the history walk.
    if [ $((i % 2)) -eq 1 ]; then
        phase=scan
        if kill_during "$scan_ms" env CENSUS_DB="$db" "$census" "${scan_args[@]}"; then landed=$((landed + 1)); how=killed; else how="ended first"; fi
    else
        phase=history
        scan "$db"
        if kill_during "$history_ms" env CENSUS_DB="$db" "$census" "${history_args[@]}"; then landed=$((landed + 1)); how=killed; else how="ended first"; fi
    fi
    check=$(integrity "$db")
    left=$(stored "$db")
    scan "$db"; history "$db"
    answers "$db" >"$work/run$i.answers"
    same=$(cmp -s "$work/reference.answers" "$work/run$i.answers" && echo identical || echo DIFFER)
    echo "kill $i ($phase, ${how} after ${last_delay} ms, left $left): integrity $check, rerun answers $same"
    if [ "$check" != ok ] || [ "$same" != identical ]; then failures=$((failures + 1)); fi
done
locked=$(grep -c "database is locked" "$work/stderr.log" || true)
echo "crash loop: $kills rounds ($landed SIGKILLs landed while census ran), $failures failures; 'database is locked' $locked times; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$failures" -eq 0 ]
