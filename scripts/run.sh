#!/usr/bin/env bash
# The main job: the smartspec platform with the demo region (SE31, Norra Mellansverige:
# Värmland, Dalarna, Gävleborg) on the offline mirror. Prints the address and the demo logins.
set -euo pipefail
export SMARTSPEC_VENV=.venv-platform SMARTSPEC_EXTRAS=platform  # the platform only: no test or benchmark tools
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export SMARTSPEC_DATA_DIR
exec .venv-platform/bin/smartspec serve --demo --host "${SMARTSPEC_HOST:-127.0.0.1}" --port "${SMARTSPEC_PORT:-8000}"
