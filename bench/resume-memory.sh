#!/usr/bin/env bash
# Peak memory of a resumed history walk: each census binary walks the first FIRST commits of REPO
# (--max-commits, --no-lines), then is run again and resumes after them; census's own peak
# (VmHWM, polled every half second) of the resumed walk is printed with the rows stored.
#
#   BINARIES="/tmp/census-old /tmp/census-new" REPO=/tmp/census-bench/long-500000-1500-graph.git bench/resume-memory.sh
set -euo pipefail
REPO=${REPO:-/tmp/census-bench/long-500000-1500-graph.git}
FIRST=${FIRST:-1000}
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
for binary in ${BINARIES:?give the census binaries to compare}; do
    db=$WORK/resume-memory.db
    rm -f "$db" "$db-wal" "$db-shm"
    "$binary" history "$REPO" --no-lines --max-commits "$FIRST" --db "$db" --quiet >/dev/null
    "$binary" history "$REPO" --no-lines --db "$db" --quiet >/dev/null &
    pid=$!
    peak=0
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        if [ -n "$v" ] && [ "$v" -gt "$peak" ]; then peak=$v; fi
        sleep 0.5
    done
    status=0
    wait "$pid" || status=$?
    echo "$binary: resumed walk exit $status, census peak $((peak / 1024)) MiB, $(sqlite3 "$db" 'select count(*) from history_commits') commits stored"
done
