#!/usr/bin/env bash
# Detection overhead on the kernel: N interleaved runs of the counting-only scan (--detection names)
# and the full Linguist strategy (--detection linguist), both --no-db; prints the sorted wall times,
# the medians' ratio, the median of the paired ratios (robust to the machine's drift during the
# run) and the CPU times' ratio. Target (issue 3): at most +15%.
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
# One unmeasured run of each first: the tree's pages come back into the cache (the machine's
# memory balloon evicts them between benchmarks, and a cold first run takes seconds).
for d in names linguist; do "$CENSUS" scan "$K" --detection "$d" --format json --no-db > /dev/null; done
for _ in $(seq "$N"); do
    for d in names linguist; do
        /usr/bin/time -f "$d %e %U %S" "$CENSUS" scan "$K" --detection "$d" --format json --no-db > /dev/null
    done
done 2>&1 | python3 -c "
import sys, statistics
r = {}; cpu = {}
for line in sys.stdin:
    a = line.split()
    if len(a) == 4 and a[0] in ('names', 'linguist'):
        r.setdefault(a[0], []).append(float(a[1]))
        cpu.setdefault(a[0], []).append(float(a[2]) + float(a[3]))
n = statistics.median(r['names']); g = statistics.median(r['linguist'])
pairs = [b / a for a, b in zip(r['names'], r['linguist'])]
print('names', sorted(r['names'])); print('linguist', sorted(r['linguist']))
print('median names %.3f s, linguist %.3f s, overhead %+.1f%%' % (n, g, (g / n - 1) * 100))
print('median of the %d paired ratios (each linguist run over the names run before it): %+.1f%%' % (len(pairs), (statistics.median(pairs) - 1) * 100))
cn = statistics.median(cpu['names']); cg = statistics.median(cpu['linguist'])
print('CPU time (user + system), medians: names %.2f s, linguist %.2f s, overhead %+.1f%%' % (cn, cg, (cg / cn - 1) * 100))"
