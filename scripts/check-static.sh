#!/usr/bin/env bash
# Proves that a census binary runs without the Swift toolchain: ldd lists no Swift library, and in
# a mount namespace of its own, with the toolchain hidden under an empty tmpfs and an empty
# LD_LIBRARY_PATH, it prints its version and scans a small tree correctly.
#
#   scripts/check-static.sh .build-dist/release/census      (make check-static)
#
# Needs root (or user namespaces) for `unshare --mount`.
set -euo pipefail
binary=$(realpath "${1:?usage: check-static.sh BINARY}")

swiftc=$(command -v swiftc || true)
if [ -z "$swiftc" ]; then
    echo "check-static: no swiftc on PATH: nothing to hide, the check would prove nothing" >&2
    exit 2
fi
# /opt/swift/usr/bin/swiftc → /opt/swift/usr: the runtime libraries are in its lib/swift/linux.
toolchain=$(dirname "$(dirname "$(realpath "$swiftc")")")

echo "== ldd $binary"
libraries=$(ldd "$binary" || true)
echo "$libraries"
if echo "$libraries" | grep -Eq 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|not found'; then
    echo "check-static: FAIL: $binary needs Swift's (or missing) shared libraries" >&2
    exit 1
fi
# SQLite, zlib, libstdc++ and libgcc are linked in (make release); libcurl is loaded only by
# `events fetch` (dlopen), so the binary names nothing but glibc.
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
echo "== NEEDED: $needed"
if [ "$needed" != "ld-linux-x86-64.so.2 libc.so.6 libm.so.6 " ]; then
    echo "check-static: FAIL: $binary should name only glibc (libc, libm), not: $needed" >&2
    exit 1
fi

# No RUNPATH/RPATH: with SwiftPM's default $ORIGIN, a copy of census in a directory others can
# write to (/tmp, a shared download folder) would load a libc.so.6 planted beside it.
search=$(readelf -d "$binary" | grep -E '\((RUNPATH|RPATH)\)' || true)
if [ -n "$search" ]; then
    echo "check-static: FAIL: $binary has a library search path: $search" >&2
    exit 1
fi
echo "== no RUNPATH or RPATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree/src"
# main.c: 3 lines of code, 1 comment, 1 blank.
printf 'int main(void) {\n  // hi\n\n  return 0;\n}\n' > "$work/tree/src/main.c"
cp "$binary" "$work/census"

echo "== in a mount namespace with $toolchain hidden and LD_LIBRARY_PATH empty"
unshare --mount --propagation private -- env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH= \
    TOOLCHAIN="$toolchain" WORK="$work" bash -euo pipefail -c '
    mount -t tmpfs none "$TOOLCHAIN"
    if ls "$TOOLCHAIN"/lib/swift/linux/libswiftCore.so >/dev/null 2>&1; then
        echo "check-static: the toolchain is still visible" >&2; exit 1
    fi
    "$WORK/census" --version
    "$WORK/census" scan --no-db --format csv "$WORK/tree" > "$WORK/out.csv"
    cat "$WORK/out.csv"
    # name,type,files,lines,code,comments,blanks,…: C, 1 file, 5 lines, 3 code, 1 comment, 1 blank.
    grep -q "^C,programming,1,5,3,1,1," "$WORK/out.csv" || { echo "check-static: unexpected counts" >&2; exit 1; }
    # Without libcurl (each copy hidden under /dev/null) everything but `events fetch` works, and
    # fetch fails per hour saying what to install, without retrying.
    for library in /usr/lib/x86_64-linux-gnu/libcurl*.so* /lib/x86_64-linux-gnu/libcurl*.so*; do
        if [ -f "$library" ] && [ ! -L "$library" ]; then mount --bind /dev/null "$library"; fi
    done
    "$WORK/census" scan --no-db --format csv "$WORK/tree" | grep -q "^C,programming,1,5,3,1,1," \
        || { echo "check-static: scan failed with libcurl hidden" >&2; exit 1; }
    status=0
    "$WORK/census" events fetch --from 2024-01-01-0 --to 2024-01-01-0 --cache "$WORK/hours" \
        --base-url http://127.0.0.1:9/ --attempts 3 > "$WORK/fetch.out" 2> "$WORK/fetch.err" || status=$?
    cat "$WORK/fetch.err"
    [ "$status" = 1 ] || { echo "check-static: events fetch without libcurl exited $status, not 1" >&2; exit 1; }
    grep -q "cannot load libcurl" "$WORK/fetch.err" || { echo "check-static: no word of the missing libcurl" >&2; exit 1; }
'
echo "check-static: OK: $binary runs without the Swift toolchain"
