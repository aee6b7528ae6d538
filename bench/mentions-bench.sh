#!/usr/bin/env bash
# Measures `census mentions` against GNU grep -P finding the documents that mention each pattern,
# on a synthetic corpus of dated Markdown documents (English and Chinese, UTF-8), and checks that
# both find the same number of documents per pattern (grep -P in a UTF-8 locale has ASCII \b and
# \w, as census; the generated front matter names no pattern, so both search the same text).
#
# grep does less: no dates, no periods, no counting of matches, one pass per pattern. It is the
# floor for "read every file and run the patterns". Runs are interleaved (census, grep, census, …);
# medians of RUNS runs; wall time and CPU time (user+sys) from /usr/bin/time.
#
#   bench/mentions-bench.sh                       # 20,000 documents, 5 runs
#   DOCS=50000 RUNS=7 bench/mentions-bench.sh
#   CENSUS=/path/to/release/census bench/mentions-bench.sh
#
# Run it under `flock /tmp/census-bench.lock` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${DOCS:-20000}
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/census-mentions-bench}
export LC_ALL=C.UTF-8

if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census --scratch-path .build-release >&2
    CENSUS=$(swift build -c release --scratch-path .build-release --show-bin-path)/census
fi

corpus="$WORK/corpus-$DOCS"
if [ ! -d "$corpus" ]; then
    rm -rf "$WORK" && mkdir -p "$corpus"
    python3 - "$corpus" "$DOCS" <<'EOF'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(12)
# Sentences that mention a pattern are rare; the others hold near misses (Google, JavaScript,
# Gopher, Golangci, Javanese), so documents differ and the boundaries are exercised.
mentions = [
    "We build services in Go and some Java.", "Experience with Golang generics is a plus.",
    "Java 17 or later.", "招聘Go语言工程师，熟悉Go和Kubernetes。", "要求三年以上Java开发经验。",
    "基于Golang的分布式存储平台。",
]
neutral = [
    "Google Cloud and AWS are both used.", "JavaScript and TypeScript on the front end.",
    "The team writes Rust, Python and C++.", "Gophers welcome.", "No travel required.",
    "We use golangci-lint in CI.", "Javanese and Sundanese speakers welcome.", "GoGo Squeez for lunch.",
    "本项目使用Python和C++开发。", "熟悉微服务架构和云原生技术。", "工作地点：北京、上海。", "欢迎应届毕业生。",
]
for i in range(count):
    year = 2020 + i % 5
    month = 1 + (i // 5) % 12
    day = 1 + i % 28
    sub = os.path.join(root, str(year))
    os.makedirs(sub, exist_ok=True)
    lines = [f"---\ntitle: posting {i}\ndate: {year}-{month:02d}-{day:02d}\n---\n"]
    while sum(len(l.encode()) for l in lines) < 3000:
        pool = mentions if rng.random() < 0.01 else neutral
        lines.append(" ".join(rng.choice(pool) for _ in range(rng.randint(1, 4))) + "\n")
    with open(os.path.join(sub, f"post-{i}.md"), "w", encoding="utf-8") as f:
        f.write("".join(lines))
EOF
fi
bytes=$(du -sb "$corpus" | cut -f1)
go='\bGo\b|Golang|Go语言'
java='\bJava\b'

# Agreement: documents per pattern, summed over periods, against grep -l.
census_json=$("$CENSUS" mentions "$corpus" --pattern "go=$go" --pattern "java=$java" --by year --format json 2>/dev/null)
census_go=$(echo "$census_json" | jq '[.rows[] | select(.pattern == "go") | .documents] | add')
census_java=$(echo "$census_json" | jq '[.rows[] | select(.pattern == "java") | .documents] | add')
grep_go=$(grep -rlP --include='*.md' "$go" "$corpus" | wc -l)
grep_java=$(grep -rlP --include='*.md' "$java" "$corpus" | wc -l)
echo "documents mentioning go: census $census_go, grep $grep_go; java: census $census_java, grep $grep_java" >&2
[ "$census_go" = "$grep_go" ] && [ "$census_java" = "$grep_java" ] || { echo "census and grep disagree" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
log=$(mktemp)
for _ in $(seq "$RUNS"); do
    for jobs in 1 2; do
        /usr/bin/time -f "census$jobs %e %U %S" -a -o "$log" \
            "$CENSUS" mentions "$corpus" --pattern "go=$go" --pattern "java=$java" --jobs "$jobs" --format json >/dev/null 2>&1
    done
    /usr/bin/time -f "grep %e %U %S" -a -o "$log" \
        sh -c 'grep -rlP --include="*.md" "$1" "$3" >/dev/null; grep -rlP --include="*.md" "$2" "$3" >/dev/null' sh "$go" "$java" "$corpus"
done
row() {
    local name=$1 label=$2
    local wall cpu
    wall=$(awk -v n="$name" '$1 == n {print $2}' "$log" | median)
    cpu=$(awk -v n="$name" '$1 == n {print $3 + $4}' "$log" | median)
    echo "| $label | $wall | $cpu |"
}
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); $DOCS documents, $bytes bytes; median of $RUNS interleaved runs"
echo
echo "| command | wall s | CPU s (user+sys) |"
echo "|---|---:|---:|"
row census1 "census mentions, 2 patterns, --jobs 1"
row census2 "census mentions, 2 patterns, --jobs 2"
row grep "grep -rlP, one pass per pattern (2 passes)"
rm -f "$log"
