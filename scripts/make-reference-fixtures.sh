#!/usr/bin/env bash
# Regenerate tests/fixtures/reference/ from the anchor libraries, each run in a throwaway venv.
# The input is the real SBS 2014 NUTS2 × NACE division matrix from the data layer.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "pandas<3" "ecomplexity==0.5.3" "economic-complexity==0.3.0" "econcomplex==1.0.1"
PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$here/.venv/bin/python" - "$work/input.csv" <<'PY'
import sys
from tests.reference import sbs_reference_matrix
sbs_reference_matrix().to_csv(sys.argv[1])
PY
"$work/venv/bin/python" "$here/scripts/reference_anchors.py" "$work/input.csv" "$here/tests/fixtures/reference"
"$work/venv/bin/pip" freeze | grep -i -E "complex|pandas|numpy" > "$here/tests/fixtures/reference/VERSIONS.txt"
rm -rf "$work"
