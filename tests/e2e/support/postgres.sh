# Sourced by the tests/e2e/db_*.sh tests (after lib.sh): a real PostgreSQL 15 of the test's own, in a
# temporary directory, listening only on a unix socket there (no TCP port to collide with anything), run
# as an unprivileged user (the server refuses root; CI runs as root, so as `nobody` there), stopped and
# removed however the test ends. Fast rather than durable (fsync off): the tests kill the job, never the
# server (PG_SERVER_OPTIONS replaces those settings: the benchmark wants a durable server). The test is
# skipped (77) only when the server is not installed.
#   pg_start            starts it; sets DB (the job's --db) and loads db/schema.sql into database ledger_test
#   psql_do ARGS...     psql on that database, stopping at the first error
#   load_accounts CSV   empties the schema's tables and loads CSV into ledger.accounts with \copy
#   dump_accounts FILE  COPY ledger.accounts TO STDOUT, as it is stored
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PG_BIN/postgres" ] || [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  echo "SKIP: PostgreSQL 15 server not installed ($PG_BIN); scripts/install-deps.sh installs it" >&2
  exit 77
fi
PG_DIR=""
PG_AS=()
if [ "$(id -u)" -eq 0 ]; then PG_AS=(runuser -u nobody --); fi

pg_stop() {
  if [ -n "$PG_DIR" ]; then
    (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}
trap 'pg_stop; rm -rf "$WORK"' EXIT

pg_start() {
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ledger-pg.XXXXXX")"
  [ "$(id -u)" -eq 0 ] && chown nobody "$PG_DIR"
  # From inside PG_DIR: the unprivileged user may not enter the test's own working directory.
  if ! (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U ledger --auth=trust -E UTF8 \
    --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1); then
    cat "$PG_DIR/initdb.log" >&2
    echo "FAIL: initdb failed" >&2
    exit 1
  fi
  if ! (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $PG_DIR ${PG_SERVER_OPTIONS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off}" \
    start >/dev/null); then
    cat "$PG_DIR/server.log" >&2
    echo "FAIL: the PostgreSQL server did not start" >&2
    exit 1
  fi
  export PGHOST="$PG_DIR" PGUSER=ledger
  unset PGPASSWORD PGDATABASE PGSERVICE PGPORT
  psql -X -q -d postgres -v ON_ERROR_STOP=1 -c 'CREATE DATABASE ledger_test' >/dev/null
  DB="host=$PG_DIR user=ledger dbname=ledger_test"
  psql_do -f "$LEDGER_SOURCE_DIR/db/schema.sql" >/dev/null
}

psql_do() { psql -X -q -v ON_ERROR_STOP=1 -d ledger_test "$@"; }

load_accounts() {
  psql_do -c 'TRUNCATE ledger.accounts, ledger.runs, ledger.rejected_transfers' \
    -c "\\copy ledger.accounts FROM '$1' CSV HEADER" >/dev/null
}

dump_accounts() { psql_do -c 'COPY ledger.accounts TO STDOUT' >"$1"; }

# sorted_accounts IN OUT: the accounts CSV in the order a database run reads them (byte order of the
# account number), to run CSV mode on the same order. For unquoted files, as the tests' data are.
sorted_accounts() {
  head -n 1 "$1" >"$2"
  tail -n +2 "$1" | LC_ALL=C sort -t, -k1,1 >>"$2"
}

# table_balances FILE: ledger.accounts as a balances CSV in key order (what --output holds).
table_balances() {
  { echo "accountNumber,country,balance"
    psql_do -c 'COPY (SELECT account_number, country, balance FROM ledger.accounts ORDER BY account_number COLLATE "C") TO STDOUT (FORMAT csv)'
  } >"$1"
}

# table_rejected RUN_ID FILE: that run's rejected transfers as a rejected CSV in replay order.
table_rejected() {
  { echo "date,fromAccountNumber,transferAmount,toAccountNumber,reason"
    # psql does not substitute variables in -c: the statement comes on stdin.
    echo "COPY (SELECT date, from_account_number, transfer_amount, to_account_number, reason
      FROM ledger.rejected_transfers JOIN ledger.runs USING (run_number) WHERE run_id = :'run' ORDER BY seq)
      TO STDOUT (FORMAT csv)" | psql_do -v run="$1"
  } >"$2"
}
