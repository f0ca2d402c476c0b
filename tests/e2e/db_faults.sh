#!/usr/bin/env bash
# Database mode when things go wrong, against a real PostgreSQL 15 (spec: Database mode). After each,
# ledger.accounts must be byte for byte what it was (COPY ledger.accounts TO STDOUT before and after) and
# no run recorded:
#  1. the database unreachable (key=value and URI forms, each with a password): exit 4, one line, and
#     the password nowhere in stderr or the run report;
#  2. a bad value in the table (NULL country, a balance with 19 fraction digits, NaN): exit 3 naming the
#     account;
#  3. a write that fails half way (a balance column declared with 2 fraction digits, a run at scale 3,
#     found after the UPDATE): exit 3 naming the account, everything rolled back;
#  4. a bad transactions row: the job's own exit 3, and no staging directory left;
#  5. the run killed inside the write-back transaction (held open by the test-only pause before the
#     commit): SIGKILL to rank 0, SIGKILL to mpirun, SIGTERM to mpirun; each time nothing is applied and
#     the lock is gone: the same run then goes through.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/postgres.sh"
cd "$WORK"
pg_start
accounts="$LEDGER_SOURCE_DIR/data/accounts.csv"
transactions="$LEDGER_SOURCE_DIR/data/transactions.csv"
load_accounts "$accounts"
dump_accounts before.txt

expect_unchanged() {  # what
  dump_accounts now.txt
  expect_same_file before.txt now.txt "$1: ledger.accounts"
  local runs
  runs=$(psql_do -At -c 'SELECT count(*) FROM ledger.runs')
  [ "$runs" = 0 ] && pass || fail "$1: $runs run(s) recorded"
}

expect_exit() {  # want what command...
  local want="$1" what="$2" got=0
  shift 2
  "$@" >out.txt 2>err.txt || got=$?
  [ "$got" -eq "$want" ] && pass || { fail "$what: exit $got, expected $want"; cat err.txt >&2; }
}

# --- 1. unreachable: nothing listens at that socket directory.
for conninfo in "host=$WORK/nowhere user=ledger password=s3cret-word dbname=ledger_test" \
  "postgresql://ledger:s3cret-word@/ledger_test?host=$WORK/nowhere"; do
  what="unreachable ($conninfo)"
  expect_exit 4 "$what" ledger_np 2 --db "$conninfo" --transactions "$transactions" --report report.json
  cp err.txt "unreachable-$checks.txt"
  [ "$(wc -l <err.txt)" -eq 1 ] && pass || { fail "$what: $(wc -l <err.txt) lines on stderr, expected 1"; cat err.txt >&2; }
  grep -q "cannot connect" err.txt && pass || fail "$what: stderr does not say it cannot connect"
  grep -q s3cret err.txt report.json && fail "$what: the password was printed" || pass
  grep -q '"status": *"failed"' report.json && pass || fail "$what: the report does not say failed"
done
expect_exit 2 "a connection string libpq cannot parse" ledger_np 1 --db "host='unterminated" --transactions "$transactions"
expect_unchanged "unreachable"

# --- 2. bad values in the table; each is put back before the next.
bad_value() {  # what, SQL that spoils account 100000007, expected text in the message
  psql_do -c "$2" >/dev/null
  expect_exit 3 "$1" ledger_np 2 --db "$DB" --transactions "$transactions"
  grep -q "100000007" err.txt && grep -q "$3" err.txt && pass || { fail "$1: message does not name the account and '$3'"; cat err.txt >&2; }
  load_accounts "$accounts"
  expect_unchanged "$1"
}
psql_do -c 'ALTER TABLE ledger.accounts ALTER COLUMN country DROP NOT NULL' >/dev/null
bad_value "NULL country" "UPDATE ledger.accounts SET country = NULL WHERE account_number = '100000007'" "country is NULL"
psql_do -c 'ALTER TABLE ledger.accounts ALTER COLUMN country SET NOT NULL' >/dev/null
bad_value "19 fraction digits" "UPDATE ledger.accounts SET balance = 1.0000000000000000001 WHERE account_number = '100000007'" \
  "not a valid amount"
bad_value "NaN balance" "UPDATE ledger.accounts SET balance = 'NaN' WHERE account_number = '100000007'" "not a valid amount"

# --- 3. the write fails half way: the column rounds to 2 digits, the run is at scale 3.
psql_do -c 'ALTER TABLE ledger.accounts ALTER COLUMN balance TYPE numeric(20, 2)' >/dev/null
dump_accounts before.txt
{ cat "$transactions"; echo "2030-01-01T00:00:00,100000001,0.001,100000002"; } >scale3.csv
expect_exit 3 "a column that rounds" ledger_np 2 --db "$DB" --transactions scale3.csv
grep -q "cannot hold" err.txt && grep -q "ledger.accounts: account '1" err.txt && pass ||
  { fail "a column that rounds: message does not name the account"; cat err.txt >&2; }
expect_unchanged "a column that rounds"
psql_do -c 'ALTER TABLE ledger.accounts ALTER COLUMN balance TYPE numeric' >/dev/null
dump_accounts before.txt

# --- 4. a bad row: the job fails as in CSV mode, and nothing stays behind.
{ cat "$transactions"; echo "not-a-date,100000001,5,100000002"; } >badrow.csv
expect_exit 3 "a bad transactions row" ledger_np 2 --db "$DB" --transactions badrow.csv --output out.csv
grep -q "badrow.csv:3009" err.txt && pass || { fail "a bad row: message does not name badrow.csv:3009"; cat err.txt >&2; }
[ ! -e out.csv ] && pass || fail "a bad row: --output written"
ls -d .ledger-db-* >/dev/null 2>&1 && fail "a bad row: staging directory left" || pass
expect_unchanged "a bad row"

# --- 5. killed inside the write-back transaction.
rank0_of() {  # launcher pid -> rank 0's pid
  local pid
  for pid in $(pgrep -P "$1" || true); do
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=0 && { echo "$pid"; return 0; }
  done
  return 1
}
killed_in_write() {  # what, signal, target (rank0 | launcher)
  local what="$1" launcher victim got=0
  LEDGER_TEST_PAUSE_BEFORE_COMMIT_SECONDS=30 "$MPIEXEC" -np 2 "$LEDGER_BIN" --db "$DB" --transactions "$transactions" \
    --output out.csv --log-level error >/dev/null 2>kill-err.txt &
  launcher=$!
  for _ in $(seq 300); do grep -q "test pause before commit" kill-err.txt && break; sleep 0.1; done
  if ! grep -q "test pause before commit" kill-err.txt; then
    fail "$what: the run never reached its commit"; cat kill-err.txt >&2; kill -9 "$launcher" || true; return
  fi
  victim="$launcher"
  [ "$3" = rank0 ] && victim=$(rank0_of "$launcher")
  kill "-$2" "$victim" && pass || fail "$what: nothing to kill"
  wait "$launcher" || got=$?
  [ "$got" -ne 0 ] && pass || fail "$what: the launcher exited 0"
  # Whatever is left of the job must not commit later on: wait for every rank to be gone.
  for _ in $(seq 100); do pgrep -f "$DB" >/dev/null || break; sleep 0.1; done
  pgrep -f "$DB" >/dev/null && fail "$what: a rank outlived the launcher" || pass
  [ ! -e out.csv ] && pass || fail "$what: --output written"
  expect_unchanged "$what"
  rm -rf .ledger-db-*  # a killed run's staging directory stays (docs/database.md)
}
killed_in_write "SIGKILL to rank 0" KILL rank0
killed_in_write "SIGKILL to mpirun" KILL launcher
killed_in_write "SIGTERM to mpirun" TERM launcher
# The lock died with the killed sessions: the run now goes through, promptly.
if timeout 60 "$MPIEXEC" -np 2 "$LEDGER_BIN" --db "$DB" --transactions "$transactions" --log-level error 2>err.txt; then pass; else
  fail "the run after the kills failed"; cat err.txt >&2
fi
[ "$(psql_do -At -c 'SELECT count(*) FROM ledger.runs')" = 1 ] && pass || fail "the run after the kills is not recorded"
finish
