#!/usr/bin/env bash
# The whole test suite, with everything it needs installed and started first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export SMARTSPEC_DATA_DIR
.venv/bin/python -m pytest -q "$@"
