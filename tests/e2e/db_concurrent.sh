#!/usr/bin/env bash
# Two runs against one database at the same time never lose an update (spec: Database mode), with real
# concurrent jobs on a real PostgreSQL 15. Two different days of transfers A and B on the same accounts:
#  1. A holds the write-back transaction open (the test-only pause before its commit) while B starts: B
#     says it waits, and once both are done the table holds A then B, byte for byte what CSV mode gives
#     for A and then B on A's balances; both runs are recorded. Meanwhile a writer from outside (psql)
#     cannot change ledger.accounts either (its lock times out).
#  2. A and B started at the same instant, no pause: both applied, and the table is one of the two
#     sequential results (A then B, or B then A; which one won the lock is free).
#  3. the same day started twice at once: one applies it, the other waits and then says "already applied"
#     and exits 0; the table is that of the day applied once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/postgres.sh"
cd "$WORK"
pg_start

# One workload cut in two: two days of transfers on the same accounts.
"$LEDGER_GEN" --out-dir gen --accounts 2000 --countries 6 --transactions 80000 --files 2 --decimals 2 --seed 21 >/dev/null
accounts=gen/accounts.csv A=gen/transactions-1.csv B=gen/transactions-2.csv

# The two sequential results, by CSV mode.
sorted_accounts "$accounts" sorted.csv
csv_run() { ledger_np 1 --accounts "$1" --transactions "$2" --output "$3" --log-level error; }
csv_run sorted.csv "$A" after-a.csv && csv_run after-a.csv "$B" want-ab.csv
csv_run sorted.csv "$B" after-b.csv && csv_run after-b.csv "$A" want-ba.csv
cmp -s want-ab.csv want-ba.csv && fail "A then B and B then A give the same balances: the test could not tell a lost update" || pass

db_run() {  # log transactions [env...]: a 2-rank database run in the background; its pid in $!
  local log="$1" tx="$2"
  shift 2
  env "$@" "$MPIEXEC" -np 2 "$LEDGER_BIN" --db "$DB" --transactions "$tx" --log-level info >/dev/null 2>"$log" &
}

wait_ok() {  # pid what
  local got=0
  wait "$1" || got=$?
  [ "$got" -eq 0 ] && pass || fail "$2 exited $got"
}

# --- 1. B starts while A holds the lock.
load_accounts "$accounts"
db_run a.log "$A" LEDGER_TEST_PAUSE_BEFORE_COMMIT_SECONDS=4
pid_a=$!
for _ in $(seq 300); do grep -q "test pause before commit" a.log && break; sleep 0.1; done
grep -q "test pause before commit" a.log && pass || { fail "A never reached its commit"; cat a.log >&2; }
db_run b.log "$B"
pid_b=$!
if psql_do -c "SET lock_timeout = '1s'" -c "UPDATE ledger.accounts SET balance = balance + 1" >/dev/null 2>psql.err; then
  fail "an outside UPDATE went through while a run held ledger.accounts"
else
  grep -q "lock timeout" psql.err && pass || { fail "the outside UPDATE failed, but not on the lock"; cat psql.err >&2; }
fi
wait_ok "$pid_a" "run A"
wait_ok "$pid_b" "run B"
grep -q "waiting for it to finish" b.log && pass || { fail "run B did not say it waited"; cat b.log >&2; }
table_balances table.csv
expect_same_file want-ab.csv table.csv "A then B (B waited)"
[ "$(psql_do -At -c 'SELECT count(*) FROM ledger.runs')" = 2 ] && pass || fail "not both runs recorded"

# --- 2. both at once.
load_accounts "$accounts"
db_run a.log "$A"
pid_a=$!
db_run b.log "$B"
pid_b=$!
wait_ok "$pid_a" "run A (at once)"
wait_ok "$pid_b" "run B (at once)"
table_balances table.csv
if cmp -s want-ab.csv table.csv || cmp -s want-ba.csv table.csv; then pass; else
  fail "A and B at once: the table is neither A then B nor B then A (an update was lost)"
fi
[ "$(psql_do -At -c 'SELECT count(*) FROM ledger.runs')" = 2 ] && pass || fail "A and B at once: not both runs recorded"

# --- 3. the same day twice at once.
load_accounts "$accounts"
db_run a1.log "$A" LEDGER_TEST_PAUSE_BEFORE_COMMIT_SECONDS=2
pid_1=$!
for _ in $(seq 300); do grep -q "test pause before commit" a1.log && break; sleep 0.1; done
db_run a2.log "$A"
pid_2=$!
wait_ok "$pid_1" "first run of A"
wait_ok "$pid_2" "second run of A"
grep -q "already applied at" a2.log && pass || { fail "the second run of A did not say already applied"; cat a2.log >&2; }
table_balances table.csv
expect_same_file after-a.csv table.csv "A applied twice at once"
[ "$(psql_do -At -c 'SELECT count(*) FROM ledger.runs')" = 1 ] && pass || fail "A applied twice at once: not one run recorded"
finish
