#!/usr/bin/env bash
# Times CensusPatterns on the Linux kernel tree (Debian's linux-source-6.1), in release mode:
#   1. vendor.yml + documentation.yml on every path: LiteralSet prefilter + ByteRegex on the
#      candidates, against a naive loop over all the regexps and against Linguist's two union
#      regexps; ns per path.
#   2. the .h heuristic (named patterns objectivec, then cpp) on the first 50 KiB of every .h
#      file, preloaded in memory; ms and MB/s.
#   3. every heuristic regexp on the first 50 KiB of every tenth .h file (worst cases), against
#      Ruby running the same regexps.
# Each benchmark checks that the fast path decides every file as the slow one does and, when
# ruby and github-linguist are installed, as Linguist's own regexps do in Ruby.
#
#   bench/patterns-bench.sh
#
# Needs: apt-get install linux-source-6.1 (ruby github-linguist for the cross-check).
# The benchmarks are tests (Tests/CensusPatternsTests/PatternBenchmarks.swift) that only run
# with CENSUS_BENCH=1, so the package needs no benchmark target.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
KERNEL=$WORK/linux-source-6.1
if [ ! -d "$KERNEL" ]; then
    echo "unpacking the kernel into $WORK ..." >&2
    mkdir -p "$WORK"
    tar -C "$WORK" -xf /usr/src/linux-source-6.1.tar.xz
fi
CENSUS_BENCH=1 CENSUS_BENCH_KERNEL=$KERNEL \
    swift test -c release --scratch-path .build-patterns --filter CensusPatternsTests.PatternBenchmarks 2>&1 |
    grep -E '^(path rules|\.h heuristics|all [0-9]+ heuristic)|^  [A-Za-z(0-9]|✘|error:' || true
