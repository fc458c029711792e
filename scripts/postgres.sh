#!/usr/bin/env bash
# Start a local PostgreSQL server (Debian's packages) for the test suite and print a DATABASE_URL.
# The password is random for each run; nothing is stored in the repository.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed (Debian package: postgresql)" >&2; exit 3
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
password=$(python3 -c "import secrets; print(secrets.token_hex(16))")
su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'smartspec') THEN CREATE ROLE smartspec LOGIN CREATEDB; END IF;
END \$\$;
ALTER ROLE smartspec PASSWORD '$password';
SQL
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='smartspec'\"" | grep -q 1 || \
  su postgres -c "createdb -O smartspec smartspec"
echo "postgres://smartspec:$password@127.0.0.1:5432/smartspec"
