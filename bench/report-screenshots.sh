#!/usr/bin/env bash
# The documentation's pictures of `census report` (docs/report-390.png, docs/report-1280.png):
# a report over a small synthetic store (bench/report-store.sh: 400 repositories, 40,000 commits),
# rendered by headless Chromium at a phone's and a desktop's width. With Pillow (python3-pil) the
# PNGs are reduced to 64 colours to keep them small.
#
#   CENSUS=.build-report/release/census bench/report-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${CENSUS_BENCH_DIR:-/tmp/census-bench}
if [ -z "${CENSUS:-}" ]; then
    swift build -c release --product census >&2
    CENSUS=$(swift build -c release --show-bin-path)/census
fi
DB=$WORK/report-400-40000.db
bench/report-store.sh "$DB" 400 40000 "$CENSUS"
OUT=$WORK/report-pictures
rm -rf "$OUT"
"$CENSUS" report --db "$DB" --out "$OUT" --cohort cncf-graduated cncf-incubating cncf-sandbox \
    --title "Go in a synthetic corpus" --period year --mark 2018-01-01=GopherCon >&2
for size in 390,2200 1280,1500; do
    width=${size%,*}
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-background-networking \
        --disable-component-update --force-device-scale-factor=1 --user-data-dir="$WORK/chromium-profile" \
        --window-size="$size" --screenshot="docs/report-$width.png" "file://$OUT/index.html" 2>/dev/null
done
/usr/bin/python3 - <<'PY' || echo "Pillow not found: pictures left as Chromium wrote them" >&2
from PIL import Image
for name in ("docs/report-390.png", "docs/report-1280.png"):
    image = Image.open(name).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    image.save(name, optimize=True)
PY
ls -l docs/report-390.png docs/report-1280.png >&2
