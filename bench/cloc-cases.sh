#!/usr/bin/env bash
# Runs census and cloc on each minimal example in bench/cloc-cases/ and prints both counts as a
# Markdown table: the reproducible evidence for "Agreement with cloc" in docs/counting.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# CENSUS=PATH uses a census binary already built; otherwise the release build is made here.
if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census >&2
    CENSUS=$(swift build -c release --show-bin-path)/census
fi
echo "| example | census code / comments / blanks | cloc code / comments / blanks |"
echo "|---|---|---|"
for f in bench/cloc-cases/*; do
    c=$("$CENSUS" scan "$f" --format csv | awk -F, 'NR==2 {print $5" / "$6" / "$7}')
    l=$(cloc --quiet --csv "$f" 2>/dev/null | awk -F, '$2 != "" && $1 ~ /^[0-9]+$/ {print $5" / "$4" / "$3}' | head -1)
    echo "| \`$(basename "$f")\` | $c | ${l:-not counted} |"
done
