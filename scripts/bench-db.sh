#!/usr/bin/env bash
# Benchmark of database mode against CSV mode, in the same run, on the same generated workload: by default
# the issue's 20M transfers on 1M accounts (100 countries, integer amounts, as bench.sh's M) at 2 ranks,
# with a PostgreSQL 15 of its own (temporary directory, unix socket only, durable settings: fsync on).
# Prints one table: wall time end to end (median of RUNS) and where it goes: hashing the transactions
# (the run id), reading the table (connect, lock, COPY out), the job (read and parse, sort, replay, ...;
# replay apart), the write-back (COPY in, UPDATE, check, runs and rejected rows) and the commit.
#   scripts/bench-db.sh
#   ACCOUNTS=100000 TRANSFERS=2000000 RUNS=3 NP=2 scripts/bench-db.sh     a smaller workload
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/mpi-env.sh"
source "$root/scripts/bench/common.sh"
use_build
accounts_n="${ACCOUNTS:-1000000}" transfers_n="${TRANSFERS:-20000000}" runs="${RUNS:-1}" np="${NP:-2}"
data="${BENCH_DATA:-/tmp/ledger-bench-db}"
mkdir -p "$data"

args="--accounts $accounts_n --countries 100 --transactions $transfers_n --decimals 0 --zipf 0 --seed 42"
if [ ! -f "$data/args" ] || [ "$(cat "$data/args")" != "$args" ]; then
  echo "generating: ledger-gen $args" >&2
  # shellcheck disable=SC2086
  "$gen" --out-dir "$data" $args >/dev/null
  echo "$args" >"$data/args"
fi
tx="$data/transactions.csv"

# The server, as the tests start it (tests/e2e/support/postgres.sh), but durable and with room for a
# million-row update. WORK is its scratch directory, removed at the end with the server.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ledger-bench-db.XXXXXX")"
LEDGER_SOURCE_DIR="$root"
PG_SERVER_OPTIONS="-c shared_buffers=512MB -c max_wal_size=4GB -c checkpoint_timeout=30min"
source "$root/tests/e2e/support/postgres.sh"
pg_start
cd "$WORK"
sorted_accounts "$data/accounts.csv" sorted.csv
cat "$tx" sorted.csv >/dev/null  # the same page-cache state for both modes

stage() {  # report stage -> seconds (0 if absent)
  python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["stages_seconds"].get(sys.argv[2], 0))' "$1" "$2"
}
job_seconds() {  # report -> the job's own stages (everything but db_*)
  python3 -c 'import json,sys; print("%.2f" % sum(v for k, v in json.load(open(sys.argv[1]))["stages_seconds"].items() if not k.startswith("db_")))' "$1"
}

declare -A wall report
for mode in csv db; do
  times=() reps=()
  for i in $(seq "$runs"); do
    rep="$WORK/$mode-$i.json"
    if [ "$mode" = csv ]; then
      set -- --accounts sorted.csv
    else
      load_accounts "$data/accounts.csv"
      psql_do -c 'VACUUM ANALYZE ledger.accounts' >/dev/null
      set -- --db "$DB"
    fi
    t=$( { /usr/bin/time -f %e mpirun -np "$np" "$ledger" "$@" --transactions "$tx" --output "$mode.csv" \
      --rejected "$mode-rejected.csv" --report "$rep" --log-level error; } 2>&1 | tail -1)
    times+=("$t") reps+=("$t $rep")
  done
  wall[$mode]=$(median_of "${times[@]}")
  report[$mode]=$(printf '%s\n' "${reps[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p" | cut -d' ' -f2)
done
cmp -s csv.csv db.csv && cmp -s csv-rejected.csv db-rejected.csv ||
  { echo "bench-db: database mode and CSV mode gave different outputs" >&2; exit 1; }

echo "ledger database mode vs CSV mode: $transfers_n transfers, $accounts_n accounts, np $np, median of $runs run(s)"
echo "machine: $(machine_description); PostgreSQL $(psql_do -At -c 'SHOW server_version')"
echo
printf '| %-4s | %8s | %8s | %10s | %8s | %8s | %10s | %8s | %8s |\n' mode "wall s" "hash s" "db read s" "job s" \
  "replay s" "write-back" "commit s" "vs CSV"
printf '|%s|\n' "------|----------|----------|------------|----------|----------|------------|----------|----------"
for mode in csv db; do
  r="${report[$mode]}"
  printf '| %-4s | %8s | %8s | %10s | %8s | %8s | %10s | %8s | %8s |\n' "$mode" "${wall[$mode]}" "$(stage "$r" db_hash)" \
    "$(stage "$r" db_read)" "$(job_seconds "$r")" "$(stage "$r" replay)" "$(stage "$r" db_write_back)" \
    "$(stage "$r" db_commit)" "$(python3 -c 'import sys; print("%.2fx" % (float(sys.argv[1]) / float(sys.argv[2])))' "${wall[$mode]}" "${wall[csv]}")"
done
