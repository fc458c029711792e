#!/usr/bin/env bash
# Shared set-up for the README's two commands: a virtual environment with smartspec and the
# extras the command needs, the system packages, and the data directory.
#   SMARTSPEC_VENV    the environment (default .venv)
#   SMARTSPEC_EXTRAS  smartspec's extras to install (default test,bench: everything the tests use)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VENV=${SMARTSPEC_VENV:-.venv}
EXTRAS=${SMARTSPEC_EXTRAS:-test,bench}
need_apt=()
if [ "${SMARTSPEC_WITH_BROWSER:-0}" = 1 ]; then  # the browser tests and the PDF pages' checks
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
  command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)  # the translation catalogue is checked against its source
fi
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
if [ "${SMARTSPEC_WITH_POSTGRES:-0}" = 1 ] && ! command -v pg_ctlcluster >/dev/null 2>&1; then need_apt+=(postgresql); fi
# Spark (the microdata engine's second backend) needs Java 17 or newer
if [ "${SMARTSPEC_WITH_JAVA:-0}" = 1 ] && ! { command -v java >/dev/null 2>&1 && \
   java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; }; then need_apt+=(openjdk-17-jre-headless); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "… installing Debian packages: ${need_apt[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "… please install these Debian packages (as root): ${need_apt[*]}" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "… creating the virtual environment $VENV" >&2
  python3 -m venv "$VENV"
fi
stamp=$VENV/.installed-$( (cat pyproject.toml; echo "$EXTRAS") | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "… installing smartspec[$EXTRAS] and its dependencies into $VENV" >&2
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null
  "$VENV/bin/pip" install -q -e ".[$EXTRAS]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

if [ -z "${SMARTSPEC_DATA_DIR:-}" ] && [ -f "$ROOT/../shared/data/README.md" ]; then
  export SMARTSPEC_DATA_DIR="$ROOT/../shared/data"
fi
