#!/usr/bin/env bash
# Faults of the cluster rather than of the input:
#  1. a rank killed with SIGKILL in the middle of a run (rank 1, then rank 0, on a 12-million-transfer
#     workload) makes the whole job stop with a non-zero exit within 60 s, and leaves neither the output
#     nor a temporary file: a job that hung in a collective, or exited 0, or left half a balances file,
#     would be believed by whatever runs after it;
#  2. SIGTERM mid-run, to mpirun and to every rank (Slurm's way at a time limit): the job stops, leaves no
#     output, and the report and metrics it was asked for say that it failed and why; also while the run
#     waits for a reader of a FIFO given as --output;
#  3. more ranks than countries (np 4, 2 countries): idle ranks take part in every collective and the
#     result is byte-identical to np 1 with both ingests, and the report shows the idle ranks;
#  4. one rank and a million countries (1,000,000 accounts in 1,000,000 countries, 1,000,000 transfers):
#     per-country structures at that size work; with one account per country no transfer can be accepted,
#     so the balances file must be the accounts file itself (zero written as 0.00, not -0.00) and every
#     transfer must be in the rejected file, as the report counts them.
# The killed rank is found among the children of this test's own mpirun (never by name: other jobs may
# be running the same binary), and picked by its OMPI_COMM_WORLD_RANK.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# --- 1. a rank killed mid-run.
"$LEDGER_GEN" --out-dir big --accounts 100000 --countries 50 --transactions 12000000 --seed 1 >/dev/null

# rank_pid LAUNCHER_PID RANK: the pid of that rank among the children of the mpirun under the launcher.
rank_pid() {
  local launcher="$1" rank="$2" mpirun pid
  for mpirun in $(pgrep -P "$launcher" || true); do
    for pid in $(pgrep -P "$mpirun" || true); do
      if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$rank"; then
        echo "$pid"
        return 0
      fi
    done
  done
  return 1
}

# wait_for_rank LAUNCHER_PID RANK: rank_pid, allowing mpirun up to 10 s to start the rank.
wait_for_rank() {
  local pid
  for _ in $(seq 1 100); do
    pid=$(rank_pid "$1" "$2") && echo "$pid" && return 0
    sleep 0.1
  done
  return 1
}

# wait_until_parsing PID: returns once the rank's resident set passes 100 MiB (or it has exited), at most
# 30 s. Mid-run means while the rank parses: its record vector (6M transfers of 32 bytes, populated in one
# go when its parse starts) takes its resident set past 100 MiB, and sorting, replay and writing are
# still to come. Watching for that, rather than sleeping a fixed time, holds on a faster or slower
# machine alike (a fixed second outlasted the whole run once the parse got faster).
wait_until_parsing() {
  local rss_kib
  for _ in $(seq 1 1500); do
    rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)
    [ -z "$rss_kib" ] || [ "$rss_kib" -ge 102400 ] && return 0
    sleep 0.02
  done
}

for victim_rank in 1 0; do
  what="rank $victim_rank killed"
  rm -f out.csv
  started=$SECONDS
  timeout -k 10 60 "$MPIEXEC" -np 2 "$LEDGER_BIN" --accounts big/accounts.csv --transactions big/transactions.csv \
    --output out.csv --log-level error >stdout.txt 2>stderr.txt &
  launcher=$!
  if ! victim=$(wait_for_rank "$launcher" "$victim_rank"); then
    fail "$what: rank $victim_rank never appeared under mpirun"
    wait "$launcher" || true
    continue
  fi
  wait_until_parsing "$victim"
  # The run must still be going, or this test killed nothing.
  kill -9 "$victim" && pass || fail "$what: the rank had already exited before the kill"
  got=0
  wait "$launcher" || got=$?
  elapsed=$((SECONDS - started))
  [ "$got" -ne 0 ] && pass || fail "$what: the job exited 0"
  # timeout ends a hung job (mpirun then takes its ranks down) with 124, or 137 if mpirun ignored it.
  [ "$got" -ne 124 ] && [ "$elapsed" -lt 60 ] && pass || fail "$what: the job did not stop within 60 s"
  [ ! -e out.csv ] && pass || fail "$what: out.csv was created"
  if find . -maxdepth 1 -name '*ledger-tmp*' | grep -q .; then fail "$what: a temporary file was left"; else pass; fi
  echo "$what: exit $got after ${elapsed} s"
done

# --- 2. the job ended by SIGTERM mid-run: to mpirun (a Ctrl-C, or a batch script's mpirun cancelled),
# which passes it on to the ranks, and to every rank at once (Slurm at a job's time limit). No output,
# no temporary file, and the report and metrics asked for say the run failed and why.
# mpirun passes the signal on about a second after it gets it (measured here), so that case runs the root
# ingest, whose run is the longer by seconds, to be sure the signal comes while the ranks are at work.
for target_ingest in "mpirun root" "ranks parallel"; do
  target="${target_ingest% *}" ingest="${target_ingest#* }"
  what="SIGTERM to $target ($ingest ingest)"
  rm -f out.csv report.json metrics.prom
  started=$SECONDS
  timeout -k 10 60 "$MPIEXEC" -np 2 "$LEDGER_BIN" --accounts big/accounts.csv --transactions big/transactions.csv \
    --output out.csv --report report.json --metrics-file metrics.prom --ingest "$ingest" --log-level error \
    >stdout.txt 2>stderr.txt &
  launcher=$!
  if ! rank0=$(wait_for_rank "$launcher" 0) || ! rank1=$(wait_for_rank "$launcher" 1); then
    fail "$what: the ranks never appeared under mpirun"
    wait "$launcher" || true
    continue
  fi
  wait_until_parsing "$rank0"
  if [ "$target" = mpirun ]; then victims=$(pgrep -P "$launcher"); else victims="$rank0 $rank1"; fi
  # shellcheck disable=SC2086
  kill -TERM $victims && pass || fail "$what: the job had already exited before the signal"
  got=0
  wait "$launcher" || got=$?
  elapsed=$((SECONDS - started))
  [ "$got" -ne 0 ] && [ "$got" -ne 124 ] && [ "$elapsed" -lt 60 ] && pass ||
    fail "$what: exit $got after $elapsed s, expected a failure within 60 s"
  [ ! -e out.csv ] && pass || fail "$what: out.csv was created"
  left=$(find . -maxdepth 1 -name "*ledger-tmp*")
  [ -z "$left" ] && pass || fail "$what: temporary files were left: $left"
  grep -q "^ledger: error: terminated by SIGTERM before the run finished$" stderr.txt && pass ||
    { fail "$what: stderr does not say the run was terminated"; head -5 stderr.txt >&2; }
  python3 - report.json <<'PY' && pass || fail "$what: the report does not say the run failed by SIGTERM"
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["status"] == "failed" and r["exit_code"] == 143 and "SIGTERM" in r["error"] else 1)
PY
  grep -qx "ledger_last_run_success 0" metrics.prom && pass || fail "$what: the metrics do not say the run failed"
  echo "$what: exit $got after ${elapsed} s"
done
rm -rf big

# A run held up writing its balances to a FIFO that nobody reads still ends on SIGTERM, with its report.
mkfifo unread.fifo
"$LEDGER_GEN" --out-dir small --accounts 100 --countries 2 --transactions 1000 --seed 2 >/dev/null
rm -f report.json
timeout -k 5 30 "$MPIEXEC" -np 1 "$LEDGER_BIN" --accounts small/accounts.csv --transactions small/transactions.csv \
  --output unread.fifo --report report.json --log-level error >stdout.txt 2>stderr.txt &
launcher=$!
rank0=$(wait_for_rank "$launcher" 0) || rank0=""
# The signal must come while the rank waits in open(2) for the FIFO's reader (the kernel's wait_for_partner).
blocked=no
for _ in $(seq 1 100); do
  [ -n "$rank0" ] && grep -q wait_for_partner "/proc/$rank0/wchan" 2>/dev/null && blocked=yes && break
  sleep 0.1
done
[ "$blocked" = yes ] && pass || fail "SIGTERM while writing to a FIFO: the rank never waited for the FIFO's reader"
[ -n "$rank0" ] && kill -TERM "$rank0" && pass || fail "SIGTERM while writing to a FIFO: the rank was not running"
got=0
wait "$launcher" || got=$?
[ "$got" -ne 0 ] && [ "$got" -ne 124 ] && [ "$got" -ne 137 ] && pass ||
  fail "SIGTERM while writing to a FIFO: exit $got, expected the signal's (124/137: it hung)"
python3 - report.json <<'PY' && pass || fail "SIGTERM while writing to a FIFO: the report does not say the run failed by it"
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["status"] == "failed" and r["exit_code"] == 143 and r["error"] == "terminated by SIGTERM before the run finished" else 1)
PY
rm -f unread.fifo

# --- 3. more ranks than countries.
"$LEDGER_GEN" --out-dir two --accounts 300 --countries 2 --transactions 6000 --seed 21 --decimals 2 >/dev/null
run_two() {  # NAME NP INGEST
  ledger_np "$2" --accounts two/accounts.csv --transactions two/transactions.csv --output "$1.csv" \
    --rejected "$1-rejected.csv" --report "$1.json" --ingest "$3" --log-level error || fail "$1: exit non-zero"
}
run_two np1 1 parallel
for mode in root parallel; do
  run_two "np4-$mode" 4 "$mode"
  expect_same_file np1.csv "np4-$mode.csv" "np 4 ($mode) balances vs np 1"
  expect_same_file np1-rejected.csv "np4-$mode-rejected.csv" "np 4 ($mode) rejected vs np 1"
  python3 - "np4-$mode.json" <<'PY' && pass || fail "np 4 ($mode): the report does not show 4 ranks, 2 of them idle"
import json, sys
ranks = json.load(open(sys.argv[1]))["ranks"]
idle = [r for r in ranks if r["countries"] == 0 and r["transfers"] == 0]
sys.exit(0 if len(ranks) == 4 and len(idle) == 2 and sum(r["countries"] for r in ranks) == 2 else 1)
PY
done
[ "$(grep -c , np1-rejected.csv)" -gt 1 ] && [ "$(wc -l <np1.csv)" -eq 301 ] && pass || fail "np 1: unexpected output size"

# --- 4. one rank, a million countries.
"$LEDGER_GEN" --out-dir many --accounts 1000000 --countries 1000000 --transactions 1000000 --seed 3 >/dev/null
if ledger_np 1 --accounts many/accounts.csv --transactions many/transactions.csv --output many.csv \
  --rejected many-rejected.csv --report many.json --log-level error 2>stderr.txt; then
  pass
  # The generator writes a zero balance as -0.00 now and then; the job writes zero unsigned.
  sed -E 's/,-(0(\.0+)?)$/,\1/' many/accounts.csv >many-expected.csv
  expect_same_file many-expected.csv many.csv "million countries: balances vs the opening balances"
  [ "$(wc -l <many-rejected.csv)" -eq 1000001 ] && pass ||
    fail "million countries: $(wc -l <many-rejected.csv) rejected lines, expected 1000001"
  python3 - many.json <<'PY' && pass || fail "million countries: report counts"
import json, sys
c = json.load(open(sys.argv[1]))["counts"]
ok = c["countries"] == 1000000 and c["accounts"] == 1000000 and c["transfers"] == 1000000
ok = ok and c["accepted"] == 0 and sum(c["rejected"].values()) == 1000000
sys.exit(0 if ok else 1)
PY
else
  fail "million countries: exit non-zero: $(head -c 600 stderr.txt)"
fi
finish
