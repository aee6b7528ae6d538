#!/usr/bin/env bash
# `census history` against its floor, `git log --numstat` over the same range (git computing the
# diffs), on a repository of 20,000+ commits made here with git fast-import (commits by 50 authors
# over 5 years, each changing 1–3 files among Go, Python, Markdown and vendored paths). Prints wall
# times (median of RUNS, default 5), the ratio (target ≤ 1.3) and census's peak memory.
#
#   RUNS=5 CENSUS=.build-lead/release/census bench/history-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
COMMITS=${COMMITS:-20000}
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
mkdir -p "$WORK"
if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census >&2
    CENSUS=$(swift build -c release --show-bin-path)/census
fi
REPO=$WORK/history-$COMMITS.git
if [ ! -d "$REPO" ]; then
    echo "making $REPO ($COMMITS commits) ..." >&2
    git init -q --bare -b main "$REPO"
    python3 - "$COMMITS" <<'EOF' | git -C "$REPO" fast-import --quiet
import sys, random
random.seed(7)
n = int(sys.argv[1])
files = [f"pkg/p{i}/f{i}.go" for i in range(60)] + [f"tools/t{i}.py" for i in range(20)] + \
        [f"docs/d{i}.md" for i in range(10)] + [f"vendor/github.com/x/y/v{i}.go" for i in range(10)]
contents = {f: [f"line {k}" for k in range(20)] for f in files}
t = 1_500_000_000
for c in range(1, n + 1):
    t += random.randint(60, 9000)
    a = random.randint(0, 49)
    print("commit refs/heads/main")
    print(f"mark :{c}")
    print(f"author Dev{a} <dev{a}@company{a % 7}.example> {t} +0000")
    print(f"committer Dev{a} <dev{a}@company{a % 7}.example> {t} +0000")
    msg = f"change {c}"
    print(f"data {len(msg)}\n{msg}")
    if c > 1:
        print(f"from :{c-1}")
    for f in random.sample(files, random.randint(1, 3)):
        lines = contents[f]
        for _ in range(random.randint(1, 5)):
            lines.insert(random.randint(0, len(lines)), f"added {c} {random.random()}")
        if len(lines) > 40:
            del lines[random.randint(0, len(lines) - 1)]
        body = "\n".join(lines) + "\n"
        data = body.encode()
        print(f"M 100644 inline {f}")
        print(f"data {len(data)}")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        print()
EOF
fi
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
: > "$WORK/gl.times"; : > "$WORK/ch.times"; : > "$WORK/ch.mem"
for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e" -o "$WORK/t" sh -c "git -C '$REPO' log --numstat -z HEAD > /dev/null"
    cat "$WORK/t" >> "$WORK/gl.times"
    rm -f "$WORK/history.db"*
    /usr/bin/time -f "%e" -o "$WORK/t" "$CENSUS" history "$REPO" --db "$WORK/history.db" > /dev/null 2>&1
    cat "$WORK/t" >> "$WORK/ch.times"
done
# census's own peak (VmHWM, polled, in a run of its own): /usr/bin/time's %M would include the git
# log child, whose revision walk grows with history on its own.
rm -f "$WORK/history.db"*
"$CENSUS" history "$REPO" --db "$WORK/history.db" > /dev/null 2>&1 &
pid=$!
hwm=0
while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.1
done
wait "$pid" || true
echo "$hwm" > "$WORK/ch.mem"
gitmem=$( { /usr/bin/time -f "%M" git -C "$REPO" log --numstat -z HEAD > /dev/null; } 2>&1 )
gl=$(median < "$WORK/gl.times"); ch=$(median < "$WORK/ch.times"); mem=$(median < "$WORK/ch.mem")
echo "| commits | git log --numstat (s) | census history (s) | census / git | census's own peak MB | git log's peak MB |"
echo "|---:|---:|---:|---:|---:|---:|"
echo "| $(git -C "$REPO" rev-list --count HEAD) | $gl | $ch | $(awk -v a="$ch" -v b="$gl" 'BEGIN { printf "%.2f", a / b }') | $(awk -v m="$mem" 'BEGIN { printf "%.1f", m / 1024 }') | $(awk -v m="$gitmem" 'BEGIN { printf "%.1f", m / 1024 }') |"
