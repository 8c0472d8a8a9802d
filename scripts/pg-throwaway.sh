#!/usr/bin/env bash
# Source this: starts a throwaway PostgreSQL server for the tests when the server
# binaries are installed and HEARTLINE_TEST_POSTGRES_URL is not set, and exports
# HEARTLINE_TEST_POSTGRES_URL.  Stop it with `heartline_pg_stop`.
heartline_pg_stop() { :; }
if [ -n "${HEARTLINE_TEST_POSTGRES_URL:-}" ]; then
  return 0
fi
pg_bin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ]; then pg_bin=$d; break; fi
done
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL server not installed: PostgreSQL tests will be skipped (CI installs it)"
  return 0
fi
pg_dir=$(mktemp -d /tmp/heartline-pg.XXXXXX)
pg_port=$(( 20000 + RANDOM % 20000 ))
as_pg=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home "$pg_dir" postgres
  chown postgres "$pg_dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U heartline -E UTF8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export HEARTLINE_TEST_POSTGRES_URL="postgresql+psycopg://heartline@127.0.0.1:$pg_port/postgres"
echo "throwaway PostgreSQL on port $pg_port"
heartline_pg_stop() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
