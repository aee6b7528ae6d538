#!/usr/bin/env bash
# What each dependency costs to build: for swift-argument-parser, Yams and GRDB, a package of one
# empty target that imports only that library is built in release from a fresh scratch directory
# (sources from SwiftPM's cache, as for the project); wall, user and sys time from /usr/bin/time.
# Run the project's own release build the same way for the total (see docs/benchmarks.md).
#
#   bench/dependency-build.sh            (CONFIG=debug for debug builds)
set -euo pipefail
config=${CONFIG:-release}
work=$(mktemp -d /tmp/census-depbuild-XXXXXX)
trap 'rm -rf "$work"' EXIT
measure() { # name url version product module
    local dir="$work/probe-$1"
    mkdir -p "$dir/Sources/Probe"
    cat > "$dir/Package.swift" <<PKG
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "Probe$1",
    dependencies: [.package(url: "$2", exact: "$3")],
    targets: [.executableTarget(name: "Probe", dependencies: [.product(name: "$4", package: "$5")])])
PKG
    printf 'import %s\nprint("ok")\n' "$4" > "$dir/Sources/Probe/main.swift"
    (cd "$dir" && swift package resolve > /dev/null 2>&1)
    /usr/bin/time -f "$1: %e s wall, %U s user, %S s sys" \
        swift build -c "$config" --package-path "$dir" > "$dir/build.log" 2> "$dir/time.txt" \
        || { cat "$dir/build.log" "$dir/time.txt" >&2; exit 1; }
    tail -n 1 "$dir/time.txt"
}
echo "machine: $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg); $config"
measure swift-argument-parser https://github.com/apple/swift-argument-parser 1.8.2 ArgumentParser swift-argument-parser
measure Yams https://github.com/jpsim/Yams 6.2.2 Yams Yams
measure GRDB https://github.com/groue/GRDB.swift 7.10.0 GRDB GRDB.swift
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
