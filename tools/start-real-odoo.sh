#!/usr/bin/env bash
# Starts the real Odoo 17 of ../shared/odoo17 (a read-only kit beside the
# checkout) for CI and for people checking parity by hand, and prints where it
# is. `stop` stops it. The kit creates its PostgreSQL role as the postgres user
# but with the odoo role's connection variables in its environment, which fails
# on a fresh machine; the role is created here first, the way the kit would.
#
#   bash tools/start-real-odoo.sh           # http://127.0.0.1:8069, database faultline_ci
#   bash tools/start-real-odoo.sh reset     # drop the database, recreate it from the template, restart
#   bash tools/start-real-odoo.sh stop
# Settings: REAL_ODOO_PORT (8069), REAL_ODOO_DB (faultline_ci), ODOO17_KIT (../shared/odoo17/kit.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
kit="${ODOO17_KIT:-$here/../shared/odoo17/kit.sh}"
port="${REAL_ODOO_PORT:-8069}"
db="${REAL_ODOO_DB:-faultline_ci}"

if [ ! -x "$kit" ] && [ ! -f "$kit" ]; then
  echo "start-real-odoo: no Odoo kit at $kit; set ODOO17_KIT to its kit.sh" >&2
  exit 3
fi
if [ "${1:-}" = stop ]; then
  bash "$kit" stop --port "$port" || true
  exit 0
fi
if [ "${1:-}" = reset ]; then
  # A fresh database from the template, same mode: what the transcript replay runs before each flow.
  exec bash "$kit" reset --port "$port" --db "$db"
fi

if ! PGPASSWORD=odoo timeout 10 psql -X -h 127.0.0.1 -U odoo -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
  if command -v pg_lsclusters >/dev/null 2>&1 && ! pg_lsclusters -h | awk '$4 == "online"' | grep -q .; then
    cluster=$(pg_lsclusters -h | awk '{print $1, $2; exit}')
    [ -n "$cluster" ] && timeout 60 pg_ctlcluster $cluster start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  env -u PGHOST -u PGUSER -u PGPASSWORD -u PGPORT runuser -u postgres -- psql -X -q -d postgres -c \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='odoo') THEN CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'; ELSE ALTER ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'; END IF; END\$\$;"
fi
bash "$kit" install
# Prefork with two HTTP workers, as Odoo runs in production and as the concurrency
# notes were measured: in threaded mode every concurrent request holds a database
# connection, and a chaos run's bursts exhaust the pool ("The Connection Pool Is Full").
bash "$kit" start --port "$port" --db "$db" --workers 2
echo "start-real-odoo: url=http://127.0.0.1:$port db=$db login=admin password=admin master=admin"
