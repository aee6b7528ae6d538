#!/usr/bin/env bash
# The database on a small tmpfs that fills in the middle of a manifest scan (docs/reliability.md).
# Expected: a clear error naming the database, a non-zero exit status, a database that passes
# `PRAGMA integrity_check`, and every repository stored before the disk filled complete (its
# language rows equal to an unconstrained run's).
#
#   bench/reliability/full-disk.sh [--census PATH] [--repos N] [--work DIR]    (as root: it mounts)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
census=$ROOT/.build/debug/census
repos=40
work=${TMPDIR:-/tmp}/census-full-disk
while [ $# -gt 0 ]; do
    case "$1" in
        --census) census=$2; shift 2 ;;
        --repos) repos=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "full-disk.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "full-disk.sh: needs root to mount a tmpfs" >&2; exit 2; }
[ -x "$census" ] || { echo "full-disk.sh: no census at $census" >&2; exit 2; }
mountpoint -q "$work/disk" 2>/dev/null && umount "$work/disk"
rm -rf "$work"
"$ROOT/bench/reliability/make-corpus.sh" "$work" "$repos"

# The unconstrained run: how large the database (with its -wal and -shm files) grows; and how
# large it is holding the schema and one repository. The tmpfs leaves room for the schema and
# about half of the rest, so the disk fills in the middle of the scan, not while creating tables.
disk_use() { du -sk --apparent-size "$@" | awk '{ s += $1 } END { print s }'; }
CENSUS_DB=$work/reference.db "$census" scan --manifest "$work/manifest.csv" --files --jobs 1 >/dev/null 2>&1
head -n 2 "$work/manifest.csv" >"$work/one.csv"
CENSUS_DB=$work/one.db "$census" scan --manifest "$work/one.csv" --files --jobs 1 >/dev/null 2>&1
full=$(disk_use "$work"/reference.db*)
base=$(disk_use "$work"/one.db*)
size_kb=$(( base + (full - base) / 2 ))
mkdir -p "$work/disk"
mount -t tmpfs -o size=${size_kb}k tmpfs "$work/disk"
trap 'umount "$work/disk" 2>/dev/null || true' EXIT
echo "reference database with -wal and -shm: $full KiB (schema and one repository: $base KiB); tmpfs of ${size_kb} KiB"

set +e
CENSUS_DB=$work/disk/census.db "$census" scan --manifest "$work/manifest.csv" --files --jobs 1 >/dev/null 2>"$work/stderr.log"
status=$?
set -e
echo "exit status $status; stderr:"
head -n 12 "$work/stderr.log" | sed 's/^/    /'
check=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$work/disk/census.db")
# Every stored repository's language rows, from both databases, compared.
compare_dbs() { python3 - "$work/reference.db" "$work/disk/census.db" <<'PY'
import sqlite3, sys
def rows(path):
    db = sqlite3.connect(path)
    out = {}
    for (rid, key) in db.execute("select repository_id, repository_key from repositories"):
        langs = db.execute("select language, category, files, code, comment, blank, bytes from repository_languages "
                           "where repository_id = ? order by language, category", (rid,)).fetchall()
        files = db.execute("select count(*) from repository_files where repository_id = ?", (rid,)).fetchone()[0]
        out[key] = (langs, files)
    return out
ref, got = rows(sys.argv[1]), rows(sys.argv[2])
bad = [k for k in got if got[k] != ref.get(k)]
print(f"{len(got)} of {len(ref)} repositories stored; {len(bad)} differ from the reference")
PY
}
compare=$(compare_dbs)
names_db=$(grep -c "$work/disk/census.db" "$work/stderr.log" || true)
echo "integrity_check: $check; $compare; the database is named in $names_db stderr lines"
ok=0
[ "$status" -ne 0 ] && [ "$check" = ok ] && [ "$names_db" -gt 0 ] && echo "$compare" | grep -q "; 0 differ" || ok=1

# Space freed (the tmpfs grown to four times the reference): the rerun stores the rest.
mount -o remount,size=$(( full * 4 ))k "$work/disk"
set +e
CENSUS_DB=$work/disk/census.db "$census" scan --manifest "$work/manifest.csv" --files --jobs 1 >/dev/null 2>"$work/rerun.log"
rerun_status=$?
set -e
rerun=$(compare_dbs)
echo "after freeing space: rerun exit status $rerun_status; $rerun"
[ "$rerun_status" -eq 0 ] && echo "$rerun" | grep -q "^$repos of $repos" && echo "$rerun" | grep -q "; 0 differ" || ok=1
exit $ok
