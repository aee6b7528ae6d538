#!/usr/bin/env bash
# Before/after speed of a change to counting (issue 14: the kernel scan must stay within 5%).
# BASE and NEW are two census binaries (build the base from main's commit into a scratch path);
# N interleaved runs of `census scan TREE --format json --no-db` each, after one unmeasured warm-up
# run of each; prints the sorted wall times, the medians' ratio, the median of the paired ratios
# and the CPU (user + system) medians' ratio. Run it under the shared benchmark lock:
#
#   flock /tmp/census-bench.lock env BASE=/tmp/base/census NEW=.build-rel/release/census \
#       N=11 TREE=/tmp/census-bench/linux-source-6.1 bench/counting-rules-bench.sh
#
# SCAN_ARGS (default empty) adds arguments to every census run, e.g. SCAN_ARGS="--detection names"
# for the counting-only scan (names, shebangs and extensions; no content heuristics).
#
# CLOC_RUNS=K (default 0) also runs the reference, Debian's cloc, in the first K rounds, interleaved
# with the two census runs: `cloc --quiet --skip-uniqueness --timeout 0 --by-file --csv TREE` (the
# flags bench/compare-cloc.py uses; the last run's CSV is kept in CLOC_CSV if set, for
# `bench/compare-cloc.py TREE --cloc-csv FILE`). cloc is much slower, so K is usually small.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-7}
: "${BASE:?set BASE to the census binary built from the base commit}"
: "${NEW:?set NEW to the census binary under test}"
TREE=${TREE:-${CENSUS_BENCH_DIR:-/tmp/census-bench}/linux-source-6.1}
read -r -a EXTRA <<< "${SCAN_ARGS:-}"
[ -d "$TREE" ] || { echo "missing $TREE (tar -xf /usr/src/linux-source-6.1.tar.xz)" >&2; exit 1; }
for b in "$BASE" "$NEW"; do "$b" scan "$TREE" ${EXTRA[@]+"${EXTRA[@]}"} --format json --no-db > /dev/null; done
CLOC_RUNS=${CLOC_RUNS:-0}
for i in $(seq "$N"); do
    /usr/bin/time -f "base %e %U %S" "$BASE" scan "$TREE" ${EXTRA[@]+"${EXTRA[@]}"} --format json --no-db > /dev/null
    /usr/bin/time -f "new %e %U %S" "$NEW" scan "$TREE" ${EXTRA[@]+"${EXTRA[@]}"} --format json --no-db > /dev/null
    if [ "$i" -le "$CLOC_RUNS" ]; then
        /usr/bin/time -f "cloc %e %U %S" cloc --quiet --skip-uniqueness --timeout 0 --by-file --csv "$TREE" \
            > "${CLOC_CSV:-/dev/null}"
    fi
done 2>&1 | python3 -c "
import sys, statistics
r = {}; cpu = {}
for line in sys.stdin:
    a = line.split()
    if len(a) == 4 and a[0] in ('base', 'new', 'cloc'):
        r.setdefault(a[0], []).append(float(a[1]))
        cpu.setdefault(a[0], []).append(float(a[2]) + float(a[3]))
b = statistics.median(r['base']); n = statistics.median(r['new'])
pairs = [y / x for x, y in zip(r['base'], r['new'])]
print('base', sorted(r['base'])); print('new ', sorted(r['new']))
print('median base %.3f s, new %.3f s, change %+.1f%%' % (b, n, (n / b - 1) * 100))
print('median of the %d paired ratios: %+.1f%%' % (len(pairs), (statistics.median(pairs) - 1) * 100))
cb = statistics.median(cpu['base']); cn = statistics.median(cpu['new'])
print('CPU time (user + system), medians: base %.2f s, new %.2f s, change %+.1f%%' % (cb, cn, (cn / cb - 1) * 100))
if 'cloc' in r:
    c = statistics.median(r['cloc']); cc = statistics.median(cpu['cloc'])
    print('cloc', sorted(r['cloc']))
    print('cloc median %.2f s wall, %.2f s CPU; census (new) takes %.3f of its wall time, %.3f of its CPU time' % (c, cc, n / c, cn / cc))"
