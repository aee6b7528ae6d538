#!/usr/bin/env bash
# `census report` against its floor: the report's own SQL run by the sqlite3 shell, each distinct
# statement once (queries.sql, deduplicated), on a synthetic store of 10,000 repositories (5–6
# language rows each, 1–2 cohorts, companies), 1,000,000 commits with about 1.5 million change
# rows, and 10,000 go.mod files with about 110,000 requirements. Target: the report written in at
# most 2× the time of its queries alone, index.html under 2 MB. Prints wall and CPU (user+sys)
# medians of RUNS (default 3), runs interleaved, and the ratio.
#
#   flock /tmp/census-bench.lock env RUNS=3 CENSUS=.build-report/release/census bench/report-bench.sh
#
# REPOS and COMMITS scale the store (COMMITS is rounded to a multiple of REPOS). The store is built
# once with sqlite3 into $CENSUS_BENCH_DIR (default /tmp/census-bench) and reused.
# EVENTS (default 5,000,000) GitHub events are added to it (bench/report-store.sh): the report then
# also draws the events figures and compares the events around the mark.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
REPOS=${REPOS:-10000}
COMMITS=${COMMITS:-1000000}
EVENTS=${EVENTS:-5000000}
PER_REPO=$(( COMMITS / REPOS ))
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
mkdir -p "$WORK"
if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census >&2
    CENSUS=$(swift build -c release --show-bin-path)/census
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }

DB=$WORK/report-$REPOS-$COMMITS.db
[ "$EVENTS" -eq 0 ] || DB=$WORK/report-$REPOS-$COMMITS-e$EVENTS.db
bench/report-store.sh "$DB" "$REPOS" "$COMMITS" "$CENSUS" "$EVENTS"
sqlite3 -readonly "$DB" "SELECT 'store: ' || (SELECT COUNT(*) FROM repositories) || ' repositories, ' || (SELECT COUNT(*) FROM repository_languages) \
    || ' language rows, ' || (SELECT COUNT(*) FROM history_commits) || ' commits, ' || (SELECT COUNT(*) FROM history_changes) \
    || ' change rows, ' || (SELECT COUNT(*) FROM go_requirements) || ' requirements'" >&2
[ "$EVENTS" -eq 0 ] || sqlite3 -readonly "$DB" "SELECT 'events: ' || COUNT(*) FROM github_events" >&2

# Each run: census report (timed), then the sqlite3 shell running the report's SQL (queries.sql,
# each distinct statement once, taken from the first run) on the same file (timed): the floor.
OUT=$WORK/report-out
REPORT_ARGS=(--mark 2018-01-01=Mark --compare commits:language=Go,authors:language=Go)
TIME=/usr/bin/time
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$WORK/sqlite.times"
: > "$WORK/census.times"
: > "$WORK/report.err"
for run in $(seq 1 "$RUNS"); do
    rm -rf "$OUT"
    $TIME -f "%e %U %S" -o "$WORK/t" "$CENSUS" report --db "$DB" --out "$OUT" "${REPORT_ARGS[@]}" 2>>"$WORK/report.err"
    cat "$WORK/t" >> "$WORK/census.times"
    echo "census report: $(cat "$WORK/t")" >&2
    if [ "$run" -eq 1 ]; then
        python3 - "$OUT/queries.sql" "$WORK/queries-once.sql" <<'PY'
import sys
seen, out = set(), []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("--") or not line.strip():
        continue
    statement = line.rstrip("\n")
    if statement not in seen:
        seen.add(statement)
        out.append(statement)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
print(f"{len(out)} distinct statements", file=sys.stderr)
PY
    fi
    $TIME -f "%e %U %S" -o "$WORK/t" sqlite3 -readonly "$DB" < "$WORK/queries-once.sql" > /dev/null
    cat "$WORK/t" >> "$WORK/sqlite.times"
    echo "sqlite3: $(cat "$WORK/t")" >&2
done
sw=$(awk '{print $1}' "$WORK/sqlite.times" | median)
sc=$(awk '{print $2 + $3}' "$WORK/sqlite.times" | median)
cw=$(awk '{print $1}' "$WORK/census.times" | median)
cc=$(awk '{print $2 + $3}' "$WORK/census.times" | median)
html=$(stat -c %s "$OUT/index.html")
echo "| store | queries alone: sqlite3 wall (s) | CPU (s) | census report wall (s) | CPU (s) | report / queries (wall) | index.html |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '| %s repositories, %s commits, %s events | %.2f | %.2f | %.2f | %.2f | %.2f | %s KiB |\n' "$REPOS" "$COMMITS" "$EVENTS" "$sw" "$sc" "$cw" "$cc" \
    "$(echo "$cw / $sw" | bc -l)" "$(( html / 1024 ))"
echo "census's own split (last run): $(tail -1 "$WORK/report.err")" >&2
