#!/usr/bin/env bash
# Replays the inputs a campaign saved (.build-fuzz/findings/TARGET/*: crashes, timeouts, slow
# units), each alone, and prints its verdict, wall time and CPU time (user + sys of the whole
# process, start-up included).
#
#   Fuzz/replay.sh [TARGET...]
#
# libFuzzer's timeouts and "slowest unit" are wall time: on a loaded machine a process waits for a
# core, so an input is slow only if its CPU time is. Needs the targets built (Fuzz/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for dir in .build-fuzz/findings/*/; do [ -d "$dir" ] && targets+=("$(basename "$dir")"); done
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for name in "${targets[@]}"; do
    for input in .build-fuzz/findings/"$name"/*; do
        [ -f "$input" ] || continue
        status=0
        /usr/bin/time -f "%e %U %S" -o "$log.time" .build-fuzz/release/"$name" -runs=1 "$input" >"$log" 2>&1 || status=$?
        read -r wall user sys <"$log.time"
        verdict=ok
        [ "$status" -eq 0 ] || verdict="FAILS ($(grep -m1 -E 'property failed|ERROR' "$log" || echo "exit $status"))"
        printf '%s %s: %s, wall %s s, CPU %.2f s, %d bytes\n' "$name" "$(basename "$input")" "$verdict" "$wall" \
            "$(echo "$user + $sys" | bc)" "$(stat -c %s "$input")"
    done
done
rm -f "$log.time"
