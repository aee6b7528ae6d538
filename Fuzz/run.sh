#!/usr/bin/env bash
# Builds the libFuzzer targets under Fuzz/Targets and runs each for a given time.
#
#   Fuzz/run.sh [--time SECONDS] [--timeout SECONDS] [--debug] [--build-only | --no-build] [--coverage] [--nice N] [--seed N] [TARGET...]
#
# - Builds every target (or those named) with `-sanitize=fuzzer,address` for Swift and
#   `-fsanitize=fuzzer-no-link,address,undefined` for the C modules, optimised (-c release keeps
#   Swift's overflow, bounds and unwrap checks), into .build-fuzz/; --debug builds unoptimised
#   (quicker to build, slower to run: what CI uses). --no-build runs the targets already built
#   (while others build into the same scratch path).
# - Writes each target's seed corpus from the test fixtures (`TARGET --census-seeds`) into
#   .build-fuzz/corpus/TARGET (kept between runs, so later runs start where earlier ones ended).
# - Replays every file under Fuzz/Regressions/TARGET/ (inputs that once failed), then fuzzes for
#   SECONDS (default 60) with a 1 s limit per input (--timeout: libFuzzer measures wall time, so a
#   long campaign on a loaded machine uses a larger limit and checks the slowest input instead;
#   every input of 1 s or more is reported as slow either way), niced, one target at a time.
#   --seed N fixes libFuzzer's random seed (0, the default, lets libFuzzer pick one): CI uses a
#   fixed seed so that its short runs explore the same inputs each time and a failure reproduces.
# - Prints one summary line per target (executions, executions per second, slowest input, peak RSS,
#   the load average at the end) and keeps the log in .build-fuzz/logs/TARGET.log; crashing inputs
#   go to .build-fuzz/findings/TARGET/ (not artifacts/: SwiftPM owns that directory of the scratch
#   path and empties it on every build).
# - --coverage: builds the same targets with `-profile-generate -profile-coverage-mapping` (no
#   ASan) into .build-fuzz-cov/, runs each over its corpus once, and prints llvm-cov's line and
#   region coverage of the modules it exercises.
# Exit status: 0 when every target built, replayed and fuzzed without a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# target:module directories whose coverage is reported
TARGETS=(
    "FuzzLineCounter:Sources/CensusCounting"
    "FuzzLanguageDetector:Sources/CensusLanguages"
    "FuzzRuleFiles:Sources/CensusScan/IgnoreRules.swift Sources/CensusScan/IgnoreRules+Glob.swift Sources/CensusScan/IgnoreRules+Table.swift Sources/CensusScan/GitAttributes.swift"
    "FuzzRegexSyntax:Sources/CensusPatterns"
    "FuzzRegexReference:Sources/CensusPatterns"
    "FuzzRegexData:Sources/CensusPatterns"
    "FuzzGoModules:Sources/CensusGoModules"
    "FuzzManifests:Sources/CensusCorpus"
    "FuzzGitdm:Sources/CensusPeople"
    "FuzzGzip:Sources/CensusEvents/GzipStream.swift Sources/CCensusZlib"
    "FuzzDocuments:Sources/CensusDocuments"
    "FuzzGoSource:Sources/CensusGoSource"
    "FuzzEventLines:Sources/CensusEvents/EventLineParser.swift Sources/CensusEvents/EventFileReader.swift Sources/CensusEvents/EventBatch.swift Sources/CensusEvents/EventTime.swift"
)

seconds=60
timeout=1
build_only=0
no_build=0
coverage=0
config=release
niceness=10
seed=0
selected=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time) seconds=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --build-only) build_only=1; shift ;;
        --no-build) no_build=1; shift ;;
        --coverage) coverage=1; shift ;;
        --debug) config=debug; shift ;;
        --nice) niceness=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) selected+=("$1"); shift ;;
    esac
done

names=()
declare -A modules
for entry in "${TARGETS[@]}"; do
    name=${entry%%:*}
    modules[$name]=${entry#*:}
    if [ ${#selected[@]} -eq 0 ] || printf '%s\n' "${selected[@]}" | grep -qx "$name"; then names+=("$name"); fi
done
if [ ${#names[@]} -eq 0 ]; then echo "run.sh: no such target: ${selected[*]}" >&2; exit 2; fi

SCRATCH=${CENSUS_FUZZ_SCRATCH:-$ROOT/.build-fuzz}   # another scratch path: a run apart from the campaigns
build() { # scratch-path, extra flags...
    local scratch=$1; shift
    for name in "${names[@]}"; do
        echo "== building $name ($scratch)"
        CENSUS_FUZZ=1 nice -n "$niceness" swift build -c "$config" --scratch-path "$scratch" --product "$name" "$@" 2>&1 \
            | grep -v -e "Cannot export local symbol" -e "^\[" || true
        [ -x "$scratch/$config/$name" ] || { echo "run.sh: $name did not build" >&2; exit 1; }
    done
}
if [ "$no_build" = 1 ]; then
    for name in "${names[@]}"; do [ -x "$SCRATCH/$config/$name" ] || { echo "run.sh: $name is not built" >&2; exit 1; }; done
else
    build "$SCRATCH" -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address,undefined
fi
[ "$build_only" = 1 ] && exit 0

export SWIFT_BACKTRACE=enable=no   # let libFuzzer, not Swift's backtracer, handle a trap
# No leak check: LeakSanitizer reports, at exit, the tables global initialisers build once (Linguist's rules).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

if [ "$coverage" = 1 ]; then
    COV=$ROOT/.build-fuzz-cov
    build "$COV" -Xswiftc -sanitize=fuzzer -Xswiftc -profile-generate -Xswiftc -profile-coverage-mapping \
        -Xcc -fsanitize=fuzzer-no-link -Xcc -fprofile-instr-generate -Xcc -fcoverage-mapping
    BIN=$(dirname "$(readlink -f "$(command -v swift)")")
    for name in "${names[@]}"; do
        corpus=$SCRATCH/corpus/$name
        mkdir -p "$corpus" "$COV/profiles"
        LLVM_PROFILE_FILE="$COV/profiles/seeds.profraw" "$COV/$config/$name" --census-seeds "$ROOT" "$corpus" >/dev/null
        rm -f "$COV/profiles/$name".*.profraw
        LLVM_PROFILE_FILE="$COV/profiles/$name.%p.profraw" "$COV/$config/$name" -runs=0 "$corpus" \
            >"$COV/profiles/$name.log" 2>&1 || true
        "$BIN/llvm-profdata" merge -o "$COV/profiles/$name.profdata" "$COV/profiles/$name".*.profraw
        echo "== coverage of $name over $(ls "$corpus" | wc -l) corpus inputs (${modules[$name]})"
        # shellcheck disable=SC2086
        "$BIN/llvm-cov" report "$COV/$config/$name" -instr-profile="$COV/profiles/$name.profdata" \
            ${modules[$name]} | tail -n 1 | awk -v t="$name" '{ printf "%s: regions %s (%s of %s missed), lines %s (%s of %s missed)\n", t, $4, $3, $2, $10, $9, $8 }'
    done
    exit 0
fi

status=0
mkdir -p "$SCRATCH/logs"
for name in "${names[@]}"; do
    bin=$SCRATCH/$config/$name
    corpus=$SCRATCH/corpus/$name
    artifacts=$SCRATCH/findings/$name/
    log=$SCRATCH/logs/$name.log
    mkdir -p "$corpus" "$artifacts"
    "$bin" --census-seeds "$ROOT" "$corpus" >/dev/null
    if [ -d "Fuzz/Regressions/$name" ] && [ -n "$(ls -A "Fuzz/Regressions/$name")" ]; then
        if ! nice -n "$niceness" "$bin" -timeout="$timeout" "Fuzz/Regressions/$name"/* >"$log.regressions" 2>&1; then
            echo "$name: a regression input fails again (see $log.regressions)"
            status=1
            continue
        fi
    fi
    started=$(date +%s)
    if nice -n "$niceness" "$bin" -max_total_time="$seconds" -seed="$seed" -timeout="$timeout" -report_slow_units=1 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    elapsed=$(( $(date +%s) - started ))
    stat() { grep -o "stat::$1: *[0-9]*" "$log" | awk '{ print $2 }' | tail -n 1; }
    slow=$(grep -c "^Slowest unit" "$log" || true)
    echo "$name: $result in ${elapsed}s: $(stat number_of_executed_units) executions," \
        "$(stat average_exec_per_sec)/s, slowest $(stat slowest_unit_time_sec) s, $slow slow (>= 1 s)," \
        "peak RSS $(stat peak_rss_mb) MB, corpus $(ls "$corpus" | wc -l), load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$result" = FAILED ]; then grep -E "ERROR|property failed|Fatal error|deadly|timeout|Test unit written" "$log" | head -n 8; fi
done
exit $status
