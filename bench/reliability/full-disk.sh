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

# The unconstrained run: how large the database grows.
CENSUS_DB=$work/reference.db "$census" scan --manifest "$work/manifest.csv" --files --jobs 1 >/dev/null 2>&1
full=$(stat -c %s "$work/reference.db")
size_kb=$(( full / 1024 / 2 ))
[ "$size_kb" -ge 64 ] || size_kb=64
mkdir -p "$work/disk"
mount -t tmpfs -o size=${size_kb}k tmpfs "$work/disk"
trap 'umount "$work/disk" 2>/dev/null || true' EXIT
echo "reference database: $full bytes; tmpfs of ${size_kb} KiB"

set +e
CENSUS_DB=$work/disk/census.db "$census" scan --manifest "$work/manifest.csv" --files --jobs 1 >/dev/null 2>"$work/stderr.log"
status=$?
set -e
echo "exit status $status; stderr:"
sed 's/^/    /' "$work/stderr.log" | head -n 12
check=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$work/disk/census.db")
# Every stored repository's language rows, from both databases, compared.
compare=$(python3 - "$work/reference.db" "$work/disk/census.db" <<'PY'
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
)
names_db=$(grep -c "$work/disk/census.db" "$work/stderr.log" || true)
echo "integrity_check: $check; $compare; the database is named in $names_db stderr lines"
[ "$status" -ne 0 ] && [ "$check" = ok ] && [ "$names_db" -gt 0 ] && echo "$compare" | grep -q "; 0 differ"
