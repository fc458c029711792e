#!/usr/bin/env bash
# The main job: the regional S3 analysis of the demo region SE31 (Norra Mellansverige:
# Värmland, Dalarna, Gävleborg) on the offline mirror, as HTML, PDF, JSON and XLSX, in
# English and Swedish. Without the mirror, smartspec fetches the Eurostat tables it needs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
OUT=${SMARTSPEC_OUT:-$ROOT/out}
mkdir -p "$OUT"
for lang in en sv; do
  .venv/bin/smartspec analyse SE31 --lang "$lang" \
    --out "$OUT/SE31-$lang.html" --out "$OUT/SE31-$lang.pdf" --out "$OUT/SE31-$lang.json" --out "$OUT/SE31-$lang.xlsx"
done
echo "Open $OUT/SE31-en.html (or SE31-sv.html) in a browser; it works offline."
