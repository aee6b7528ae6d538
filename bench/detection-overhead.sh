#!/usr/bin/env bash
# Detection overhead on the kernel: N interleaved runs of the counting-only scan (--detection names)
# and the full Linguist strategy (--detection linguist), both --no-db; prints the sorted wall times
# and the medians' ratio. Target (issue 3): at most +15%.
#
#   N=11 CENSUS=.build-lead/release/census bench/detection-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-7}
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
K=$WORK/linux-source-6.1
if [ ! -d "$K" ]; then
    mkdir -p "$WORK"
    tar -C "$WORK" -xf /usr/src/linux-source-6.1.tar.xz
fi
if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census >&2
    CENSUS=$(swift build -c release --show-bin-path)/census
fi
for _ in $(seq "$N"); do
    for d in names linguist; do
        /usr/bin/time -f "$d %e" "$CENSUS" scan "$K" --detection "$d" --format json --no-db > /dev/null
    done
done 2>&1 | python3 -c "
import sys, statistics
r = {}
for line in sys.stdin:
    a = line.split()
    if len(a) == 2 and a[0] in ('names', 'linguist'):
        r.setdefault(a[0], []).append(float(a[1]))
n = statistics.median(r['names']); g = statistics.median(r['linguist'])
print('names', sorted(r['names'])); print('linguist', sorted(r['linguist']))
print('median names %.3f s, linguist %.3f s, overhead %+.1f%%' % (n, g, (g / n - 1) * 100))"
