#!/usr/bin/env bash
# PostgreSQL for the platform tests, from Debian's packages: install if missing, start a
# cluster, make a `hegui` role that may create databases and a `hegui` database it owns.
# Prints the URL to test against.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  as_root pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  as_root pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
as_root su postgres -c "psql -q -p $port" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hegui') THEN
    CREATE ROLE hegui LOGIN CREATEDB PASSWORD 'hegui';
  END IF;
END $$;
SELECT 'CREATE DATABASE hegui OWNER hegui'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hegui') \gexec
SQL
# Tests make their own databases from here; `hegui serve --db …/hegui` and the platform
# benchmark can use the `hegui` one.
echo "postgres://hegui:hegui@127.0.0.1:$port/postgres"
