#!/usr/bin/env bash
# Start-up of census on an empty directory, dynamic and static builds side by side, with a C
# program's start (/bin/true, /bin/ls) as the floor of any process. Results: docs/benchmarks.md.
#
#   bench/startup-bench.sh [DYNAMIC_BINARY] [STATIC_BINARY]
#   (defaults: .build-rel/release/census, .build-dist/release/census; ROUNDS=40)
set -euo pipefail
cd "$(dirname "$0")/.."
dynamic=${1:-.build-rel/release/census}
static=${2:-.build-dist/release/census}
rounds=${ROUNDS:-40}
commands=("true=/bin/true" "ls=/bin/ls {empty}")
for kind in dynamic static; do
    binary=${!kind}
    [ -x "$binary" ] || { echo "skipping $kind: no $binary" >&2; continue; }
    binary=$(realpath "$binary")
    commands+=(
        "$kind --version=$binary --version"
        "$kind scan --no-db empty=$binary scan --no-db {empty}"
        "$kind scan empty (new db)=$binary scan --db {db} {empty}"
    )
done
echo "machine: $(nproc) cores, $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"
flock /tmp/census-bench.lock python3 bench/startup-bench.py "$rounds" "${commands[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
