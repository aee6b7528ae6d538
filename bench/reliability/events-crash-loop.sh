#!/usr/bin/env bash
# kill -9 at random moments of `census events ingest` into SQLite; after each kill the database must
# pass `PRAGMA integrity_check`, the rerun must complete, and the final `events top` / `events
# timeline` answers must equal an uninterrupted run's byte for byte (docs/reliability.md).
#
#   bench/reliability/events-crash-loop.sh [--census PATH] [--kills N] [--jobs N] [--chunk-events N] [--data DIR] [--work DIR]
#
# Files are read in chunks of --chunk-events events (default 1000, so that each hour file of the
# data, 10,000-40,000 events, is stored in many chunks): a killed run must leave every file whole or
# absent (no `partial` row, and each stored file's row equal to the uninterrupted run's).
#
# The input is the real GH Archive hour files of ../shared/data/gharchive (or $CENSUS_SHARED/data/
# gharchive, or --data): read in place, never copied. Each round deletes the database, starts the
# ingest, sends SIGKILL after a random delay within the uninterrupted ingest's duration, then checks
# the database, reruns the ingest and compares the answers (QUESTIONS below) and the stored events.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

census=$ROOT/.build/debug/census
kills=20
jobs=2
chunk=1000
data=${CENSUS_SHARED:-$ROOT/../shared}/data/gharchive
work=${TMPDIR:-/tmp}/census-events-crash-loop
while [ $# -gt 0 ]; do
    case "$1" in
        --census) census=$2; shift 2 ;;
        --kills) kills=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --chunk-events) chunk=$2; shift 2 ;;
        --data) data=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "events-crash-loop.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$census" ] || { echo "events-crash-loop.sh: no census at $census (swift build first, or --census)" >&2; exit 2; }
ls "$data"/*.json.gz >/dev/null 2>&1 || { echo "events-crash-loop.sh: no GH Archive hour files in $data (see ../shared/README.md, or --data)" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work"

# Every question: (metric, grouping) rankings and (metric, period) timelines, as JSON.
answers() { # db → one file of every answer
    local db=$1
    {
        for q in "events type" "events repo" "events org" "events language" "prs-opened language" \
            "repos language" "events company" "stars repo" "forks repo" \
            "prs-opened org" "prs-merged repo" "issues-opened org" "pushes repo" "actors org" "repos org" \
            "new-repos type"; do
            set -- $q
            echo "# top $1 by $2"
            "$census" events top --metric "$1" --by "$2" --limit 50 --include-bots --db "$db" --format json
        done
        for q in "events year" "events month" "events day" "pushes week" "actors day" "stars quarter" "new-repos month"; do
            set -- $q
            echo "# timeline $1 by $2"
            "$census" events timeline --metric "$1" --by "$2" --include-bots --db "$db" --format json
        done
    } | grep -v '"version"'
}
integrity() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$1"; }
stored() { # db → what the (killed) run left: files by status, events
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def count(sql):
    try: return db.execute(sql).fetchone()[0]
    except sqlite3.Error: return 0
complete = count("select count(*) from github_event_files where status = 'complete'")
partial = count("select count(*) from github_event_files where status = 'partial'")
print(f"{complete} complete files, {partial} partial, {count('select count(*) from github_events')} events")
PY
}
# The stored events themselves, in key order: every column but file_id (which file first stored an
# event depends on which worker finished first).
dump() { # db → sha256 of the events
    python3 - "$1" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
h = hashlib.sha256()
for row in db.execute("select event_id, created_at, type, repo, repo_id, org, actor, action, ref_type, merged, company, "
                      "country, region, is_bot from github_events order by created_at, event_id"):
    h.update(repr(row).encode())
for row in db.execute("select repo, source, language, seen_at from github_repo_languages order by repo, source"):
    h.update(repr(row).encode())
for row in db.execute("select name, size, status, options, lines, events, filtered, malformed from github_event_files order by name"):
    h.update(repr(row).encode())
print(h.hexdigest())
PY
}
ingest_args=(events ingest "$data" --jobs "$jobs" --chunk-events "$chunk" --quiet)
# The files a (killed) run recorded, with what the uninterrupted run recorded for each: a file is
# whole or absent, never partial (the inputs are undamaged).
files() { # db → one line per recorded file
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
try:
    for row in db.execute("select name, status, lines, events, filtered, malformed from github_event_files order by name"):
        print(*row)
except sqlite3.Error:
    pass
PY
}
# Events whose file has no row (none, when every file is stored whole).
orphans() { python3 -c "import sqlite3,sys
db = sqlite3.connect(sys.argv[1])
try: print(db.execute('select count(*) from github_events where file_id not in (select file_id from github_event_files)').fetchone()[0])
except sqlite3.Error: print(0)" "$1"; }
ingest() { "$census" "${ingest_args[@]}" --db "$1" >/dev/null 2>>"$work/stderr.log"; }

# The uninterrupted run, timed.
t0=$(date +%s%N); ingest "$work/reference.db"; t1=$(date +%s%N)
ingest_ms=$(( (t1 - t0) / 1000000 ))
answers "$work/reference.db" >"$work/reference.answers"
reference_dump=$(dump "$work/reference.db")
files "$work/reference.db" >"$work/reference.files"
echo "input: $(ls "$data"/*.json.gz | wc -l) hour files in $data, $(du -cb "$data"/*.json.gz | tail -1 | cut -f1) bytes"
echo "uninterrupted: ingest ${ingest_ms} ms; $(wc -c <"$work/reference.answers") bytes of answers; $(stored "$work/reference.db")"

. "$ROOT/bench/reliability/kill-during.sh"

failures=0
landed=0
for i in $(seq 1 "$kills"); do
    db=$work/run$i.db
    rm -f "$db" "$db-wal" "$db-shm"
    if kill_during "$ingest_ms" "$census" "${ingest_args[@]}" --db "$db"; then landed=$((landed + 1)); how=killed; else how="ended first"; fi
    check=$(integrity "$db")
    left=$(stored "$db")
    files "$db" >"$work/run$i.files"
    # Every file the killed run recorded is recorded as the uninterrupted run did.
    whole=$(LC_ALL=C comm -23 "$work/run$i.files" "$work/reference.files" | wc -l)
    orphaned=$(orphans "$db")
    status=0
    ingest "$db" || status=$?
    answers "$db" >"$work/run$i.answers"
    same=$(cmp -s "$work/reference.answers" "$work/run$i.answers" && echo identical || echo DIFFER)
    rows=$([ "$(dump "$db")" = "$reference_dump" ] && echo identical || echo DIFFER)
    echo "kill $i (${how} after ${last_delay} ms, left $left; $whole files not whole, $orphaned events without a file): integrity $check, rerun exit $status, answers $same, stored rows $rows"
    if [ "$check" != ok ] || [ "$status" -ne 0 ] || [ "$same" != identical ] || [ "$rows" != identical ] \
        || [ "$whole" -ne 0 ] || [ "$orphaned" -ne 0 ]; then failures=$((failures + 1)); fi
done
echo "events crash loop: $kills rounds ($landed SIGKILLs landed while census ran), $failures failures; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$failures" -eq 0 ]
