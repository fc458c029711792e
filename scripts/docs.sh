#!/usr/bin/env bash
# Build the documentation site strictly into out/site (any warning fails the build).
# The tutorial's code runs during the build, on the offline data mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SMARTSPEC_DATA_DIR:-}" ] && [ -d ../shared/data ]; then
    export SMARTSPEC_DATA_DIR="$(cd ../shared/data && pwd)"
fi
: "${SMARTSPEC_DATA_DIR:?set SMARTSPEC_DATA_DIR to the offline data mirror (the tutorial runs on it)}"
export SMARTSPEC_DATA_DIR
export NO_MKDOCS_2_WARNING=1   # Material's end-of-life banner
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
if ! "$PY" -c "import mkdocs, mkdocstrings, markdown_exec, material" 2>/dev/null; then
    "$PY" -m pip install -q -e ".[docs]"
fi
start=$(date +%s)
"$PY" -m mkdocs build --strict -d out/site "$@"
echo "docs built in $(( $(date +%s) - start )) s: out/site/index.html"
