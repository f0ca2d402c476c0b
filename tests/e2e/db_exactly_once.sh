#!/usr/bin/env bash
# A run is applied exactly once (spec: Database mode), on a real PostgreSQL 15:
#  1. a run applies; the same transactions again change nothing (COPY ledger.accounts TO STDOUT identical,
#     one runs row, the rejected rows once), exit 0, say "already applied at" the recorded time, write
#     no --output, and report no transfers;
#  2. --run-id names a run: the same transactions under a new id are another run (the user said so), and
#     that id is refused again once applied; --output /dev/stdout gets the table's new balances;
#  3. the command line: --accounts with --db, neither, --run-id without --db, an empty --db: exit 2; the
#     run report's command line shows --db without its password.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/postgres.sh"
cd "$WORK"
pg_start
"$LEDGER_GEN" --out-dir gen --accounts 500 --countries 5 --transactions 20000 --decimals 2 --seed 5 >/dev/null
load_accounts gen/accounts.csv
tx=gen/transactions.csv
run_id=$(sha256sum "$tx" | cut -d' ' -f1)
runs() { psql_do -At -c 'SELECT count(*) FROM ledger.runs'; }

# --- 1. applied once.
dump_accounts opening.txt
ledger_np 2 --db "$DB" --transactions "$tx" --output first.csv --log-level error && pass || fail "first run failed"
dump_accounts applied.txt
cmp -s opening.txt applied.txt && fail "the first run changed nothing" || pass
rejected=$(psql_do -At -c 'SELECT count(*) FROM ledger.rejected_transfers')
[ "$rejected" -gt 0 ] && pass || fail "no rejected transfers recorded"
recorded=$(psql_do -At -c "SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM ledger.runs WHERE run_id = '$run_id'")
[ -n "$recorded" ] && pass || fail "the run is not recorded under the SHA-256 of its transactions file"
got=0
ledger_np 2 --db "$DB" --transactions "$tx" --output again.csv --report again.json 2>again.err || got=$?
[ "$got" -eq 0 ] && pass || fail "the re-run exited $got, expected 0"
# On a machine with no core to spare for the hash during the read, the re-run learns it after the job:
# either way its report counts nothing applied.
python3 -c 'import json, sys; c = json.load(open(sys.argv[1]))["counts"]; sys.exit(c["transfers"] != 0 or c["accepted"] != 0 or sum(c["rejected"].values()) != 0)' again.json &&
  pass || { fail "the re-run's report counts transfers"; cat again.json >&2; }
grep -q "already applied at $recorded" again.err && grep -q "$run_id" again.err && pass ||
  { fail "the re-run does not say the run was already applied at $recorded"; cat again.err >&2; }
dump_accounts rerun.txt
expect_same_file applied.txt rerun.txt "ledger.accounts after the re-run"
[ "$(runs)" = 1 ] && pass || fail "the re-run recorded a run"
[ "$(psql_do -At -c 'SELECT count(*) FROM ledger.rejected_transfers')" = "$rejected" ] && pass || fail "the re-run added rejected rows"
[ ! -e again.csv ] && pass || fail "the re-run wrote --output"

# --- 2. --run-id.
ledger_np 1 --db "$DB" --transactions "$tx" --run-id "day 2, again" --log-level error && pass || fail "a named run failed"
[ "$(runs)" = 2 ] && pass || fail "the named run is not recorded"
dump_accounts named.txt
cmp -s applied.txt named.txt && fail "the named run changed nothing" || pass
ledger_np 1 --db "$DB" --transactions "$tx" --run-id "day 2, again" 2>named.err && pass || fail "the named re-run exited non-zero"
grep -q "already applied" named.err && pass || fail "the named re-run does not say already applied"
dump_accounts named-again.txt
expect_same_file named.txt named-again.txt "ledger.accounts after the named re-run"
# --output to a device: written through, the staging directory in the working directory instead.
ledger_np 2 --db "$DB" --transactions "$tx" --run-id "day 2, third time" --output /dev/stdout --log-level error \
  >stdout.csv && pass || fail "a run with --output /dev/stdout failed"
table_balances table.csv
expect_same_file table.csv stdout.csv "--output /dev/stdout"
ls -d .ledger-db-* >/dev/null 2>&1 && fail "--output /dev/stdout: staging directory left" || pass

# --- 3. the command line.
expect_usage() {  # what args...
  local what="$1" got=0
  shift
  ledger_np 1 "$@" 2>usage.err || got=$?
  [ "$got" -eq 2 ] && pass || { fail "$what: exit $got, expected 2"; cat usage.err >&2; }
}
expect_usage "--accounts with --db" --db "$DB" --accounts gen/accounts.csv --transactions "$tx" --output x.csv
expect_usage "neither --accounts nor --db" --transactions "$tx" --output x.csv
expect_usage "--run-id without --db" --accounts gen/accounts.csv --transactions "$tx" --output x.csv --run-id r
expect_usage "an empty --db" --db "" --transactions "$tx"
expect_usage "an empty --run-id" --db "$DB" --transactions "$tx" --run-id ""
ledger_np 1 --db "$DB password=pa55word" --transactions "$tx" --report report.json 2>/dev/null && pass || fail "a run with a password in --db failed"
grep -q pa55word report.json && fail "the report shows the password" || pass
grep -q "dbname='ledger_test'" report.json && pass || fail "the report's command line does not show the database"
finish
