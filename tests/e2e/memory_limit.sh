#!/usr/bin/env bash
# Resource limits: a run that will not fit in memory is refused before any heavy work, with exit 4, one
# line naming the need, the limit and what to do, no output (an older one untouched) and a report that
# says it failed; a run that fits is never refused. Without the check, a rank could be killed mid-run by
# the OOM killer (signal 9), which no program can report; an allocation that fails is reported (case 6).
#   1. LEDGER_MEMORY_LIMIT_BYTES below even the accounts table: refused at np 1 and np 2 (one line, not
#      one per rank), told that more ranks will not help;
#   2. the advice is true: a per-rank budget that np 1 exceeds fits at np 2 with the parallel ingest, while
#      --ingest root still needs everything on rank 0 and is told to use --ingest parallel;
#   3. a real limit the kernel enforces (RLIMIT_AS via prlimit on the rank): refused when too low, and the
#      same input runs to the same balances under a limit that fits. The limit is set on the rank, not on
#      mpirun: under ulimit -v of about 200 MiB, Open MPI's own start-up fails at np 2 and mpirun hangs
#      (measured; nothing ledger can catch), so every run here is also bounded by `timeout`;
#   4. LEDGER_MEMORY_LIMIT_BYTES=0 turns the check off;
#   5. the model still matches the job: the estimate covers the peak the run report measures (a budget of
#      that peak minus one byte is refused) without being far above it (1.5 x the peak fits), at np 1
#      and np 2. A change to the job's memory use that outgrows the fitted constants fails here;
#   6. with the check off, a mapping or allocation that fails mid-run (RLIMIT_AS of 65 MiB on the rank) is
#      still exit 4 with one line of advice, not a crash.
# The input is 250,000 transfers (about 11 MiB): per the model in src/app/memory_budget.cpp it needs
# about 42 MiB resident at np 1, 37 MiB per rank at np 2 (parallel), 44 MiB on rank 0 with --ingest root,
# and about 280 MiB of address space at np 1.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$LEDGER_GEN" --out-dir in --accounts 10000 --countries 50 --transactions 250000 --seed 5 >/dev/null
IN=(--accounts in/accounts.csv --transactions in/transactions.csv)
MiB=1048576
RANK_WRAP=()  # runs between mpirun and the ledger binary, on each rank

ledger_np 1 "${IN[@]}" --output expected.csv --log-level error || fail "the input does not run without a limit"

# expect_refused NAME NP PATTERN ENV_OR_PREFIX... -- ARGS...: exit 4, one line matching, no output, report failed.
expect_refused() {
  local name="$1" n="$2" pattern="$3"
  shift 3
  local prefix=()
  while [ "$1" != "--" ]; do prefix+=("$1"); shift; done
  shift
  printf 'yesterday\n' >out.csv
  rm -f report.json
  local got=0
  "${prefix[@]}" timeout -k 10 120 "$MPIEXEC" -np "$n" "${RANK_WRAP[@]}" "$LEDGER_BIN" "${IN[@]}" --output out.csv \
    --report report.json "$@" >stdout.txt 2>stderr.txt || got=$?
  [ "$got" -eq 4 ] && pass || fail "$name: exit $got, expected 4"
  [ "$(wc -l <stderr.txt)" -eq 1 ] && pass || { fail "$name: $(wc -l <stderr.txt) lines on stderr, expected 1"; cat stderr.txt >&2; }
  grep -qE -- "^ledger: error: not enough memory: $pattern" stderr.txt && pass ||
    { fail "$name: stderr does not match /$pattern/"; cat stderr.txt >&2; }
  [ "$(cat out.csv)" = yesterday ] && pass || fail "$name: the older out.csv was changed"
  if find . -maxdepth 1 -name '*ledger-tmp*' | grep -q .; then fail "$name: a temporary file was left"; else pass; fi
  python3 -c "
import json, sys
r = json.load(open('report.json'))
sys.exit(0 if r['status'] == 'failed' and r['exit_code'] == 4 and 'not enough memory' in r['error'] else 1)" &&
    pass || fail "$name: the report does not say the run failed for lack of memory"
}

# expect_fits NAME NP PREFIX... -- ARGS...: exit 0, silent, the same balances as without a limit.
expect_fits() {
  local name="$1" n="$2"
  shift 2
  local prefix=()
  while [ "$1" != "--" ]; do prefix+=("$1"); shift; done
  shift
  rm -f out.csv
  if "${prefix[@]}" timeout -k 10 120 "$MPIEXEC" -np "$n" "${RANK_WRAP[@]}" "$LEDGER_BIN" "${IN[@]}" --output out.csv \
    --log-level error "$@" 2>stderr.txt; then
    pass
    expect_same_file expected.csv out.csv "$name balances"
  else
    fail "$name: refused or failed: $(head -c 600 stderr.txt)"
  fi
}

# 1. An override far below the need.
for n in 1 2; do
  expect_refused "1 MiB override, np $n" "$n" \
    "this run \(1 MiB of accounts, 12 MiB of transactions, $n ranks?\) needs about [0-9]+ MiB on rank 0, 1 MiB available \(LEDGER_MEMORY_LIMIT_BYTES\); the accounts table alone needs about 28 MiB on every rank; use nodes with more memory per rank$" \
    env LEDGER_MEMORY_LIMIT_BYTES=$MiB -- --ingest parallel
done

# 2. 39 MiB per rank: np 1 does not fit, np 2 does; root ingest does not, and is told why.
expect_refused "39 MiB at np 1" 1 "this run .* needs about 4[0-9] MiB on rank 0, 39 MiB available .*; use more ranks or nodes$" \
  env LEDGER_MEMORY_LIMIT_BYTES=$((39 * MiB)) --
expect_fits "39 MiB at np 2 (parallel)" 2 env LEDGER_MEMORY_LIMIT_BYTES=$((39 * MiB)) -- --ingest parallel
expect_refused "39 MiB at np 2 (root)" 2 "this run .*--ingest root\) needs about 4[0-9] MiB on rank 0, .*; use --ingest parallel with more ranks or nodes$" \
  env LEDGER_MEMORY_LIMIT_BYTES=$((39 * MiB)) -- --ingest root

# 3. A limit the kernel enforces: the address space (ulimit -v) of each rank.
RANK_WRAP=(prlimit --as=$((200 * MiB)))
for n in 1 2; do
  expect_refused "RLIMIT_AS 200 MiB, np $n" "$n" "this run .* needs about [0-9]+ MiB of address space on rank 0, 200 MiB allowed \(RLIMIT_AS, ulimit -v\); raise ulimit -v or use more ranks or nodes$" \
    env -u LEDGER_MEMORY_LIMIT_BYTES -- --ingest parallel
done
RANK_WRAP=(prlimit --as=$((400 * MiB)))
expect_fits "RLIMIT_AS 400 MiB" 1 env -u LEDGER_MEMORY_LIMIT_BYTES --
RANK_WRAP=()

# 4. Off.
expect_fits "check turned off" 1 env LEDGER_MEMORY_LIMIT_BYTES=0 --

# 5. The estimate against the measured peak.
for n in 1 2; do
  rm -f peak.json
  ledger_np "$n" "${IN[@]}" --output out.csv --report peak.json --ingest parallel --log-level error ||
    fail "np $n: the run for the peak failed"
  peak=$(python3 -c "import json; print(max(r['peak_rss_bytes'] for r in json.load(open('peak.json'))['ranks']))")
  expect_refused "budget of the measured peak minus one byte, np $n" "$n" ".* MiB on rank 0, [0-9]+ MiB available \(LEDGER_MEMORY_LIMIT_BYTES\)" \
    env LEDGER_MEMORY_LIMIT_BYTES=$((peak - 1)) -- --ingest parallel
  expect_fits "budget of 1.5 x the measured peak, np $n" "$n" env LEDGER_MEMORY_LIMIT_BYTES=$((peak * 3 / 2)) -- --ingest parallel
done
# 6. The check off and a kernel limit the job cannot fit in: the failed allocation is reported, not a crash.
# Measured on this input at np 1: below about 45 MiB MPI_Init itself fails (Open MPI's message, nothing
# ledger can word); up to about 70 MiB mapping the input fails, up to about 85 MiB an allocation does.
RANK_WRAP=(prlimit --as=$((65 * MiB)))
expect_refused "allocation failure mid-run, check off" 1 "(an allocation failed on rank 0|cannot map input '[^']*' \([0-9]+ MiB\)); raise the memory limit or use more ranks or nodes" \
  env LEDGER_MEMORY_LIMIT_BYTES=0 --
RANK_WRAP=()

finish
