#!/usr/bin/env bash
# The whole test suite, with everything it needs installed and started first:
# Python packages, Chromium, poppler, Java (for Spark), PostgreSQL. The suite runs on SQLite, then the
# platform's tests run again against a real PostgreSQL server.
set -euo pipefail
export SMARTSPEC_WITH_POSTGRES=1 SMARTSPEC_WITH_JAVA=1 SMARTSPEC_WITH_BROWSER=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export SMARTSPEC_DATA_DIR
export SMARTSPEC_HOME=${SMARTSPEC_TEST_HOME:-$(mktemp -d -t smartspec-test-XXXXXX)}
export SMARTSPEC_SCREENSHOTS=${SMARTSPEC_SCREENSHOTS:-$ROOT/out/screenshots}
.venv/bin/python -m pytest -q "$@"
url=${SMARTSPEC_TEST_DATABASE_URL:-}
if [ -z "$url" ] && [ "$(id -u)" = 0 ]; then url=$(./scripts/postgres.sh | tail -n 1); fi
if [ -n "$url" ]; then
  echo "… the platform's tests again, on PostgreSQL" >&2
  DATABASE_URL="$url" .venv/bin/python -m pytest -q tests/platform "$@"
else
  echo "… cannot start PostgreSQL without root: set SMARTSPEC_TEST_DATABASE_URL to a server's URL" >&2
  exit 1
fi
