#!/usr/bin/env bash
# End-to-end test against a real Slurm (not a mock): starts a 4-node cluster on this machine with
# scripts/slurm/cluster-up.sh, and checks that
#   - slurm/ledger.sbatch runs ledger at 1 node, at 3 nodes x 2 ranks, and with the mpirun launcher at
#     2 nodes, each exiting 0 and writing balances byte-identical to `mpirun -np 1` of the same binary,
#     with its report beside the output;
#   - a job whose input is missing ends with ledger's exit code (4) as the job's exit code, and no output;
#   - a tiny scaling study through srun steps in one allocation writes its CSV (every point measured,
#     oversubscribed points marked, the calibration runs, the parallel ingest's stages and per-rank
#     bytes) and non-trivial PNG plots and the MODEL table with the new stages.
# Why: users run ledger under sbatch and study its scaling there; the cluster machinery, the job script
# and the study are only trustworthy if they are exercised on the real thing.
# Skips (exit 77) only when Slurm cannot start here at all (not installed, or not root), saying why.
#
# Environment (set by CTest): LEDGER_BIN, LEDGER_GEN, MPIEXEC, LEDGER_SOURCE_DIR.
# LEDGER_TEST_KEEP=1 keeps the work directory (cluster logs, job outputs) for a look afterwards.
set -euo pipefail

: "${LEDGER_BIN:?}" "${LEDGER_GEN:?}" "${LEDGER_SOURCE_DIR:?}"
mpiexec="${MPIEXEC:-mpirun}"
src="$LEDGER_SOURCE_DIR"
started_seconds=$SECONDS

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "[$((SECONDS - started_seconds))s] $*"; }

# A test run from inside a Slurm job must not mistake that job's allocation for the test cluster's.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^SLURM_' || true)

[[ "$(id -u)" == 0 ]] || skip "the test cluster's slurmd must run as root to start job steps; run as root"

work="$(mktemp -d /tmp/ledger-slurm-test.XXXXXX)"
state="$work/cluster"
cleanup() {
  "$src/scripts/slurm/cluster-down.sh" "$state" >/dev/null 2>&1 || true
  if [[ "${LEDGER_TEST_KEEP:-0}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step "starting a 4-node Slurm cluster in $state"
set +e
LEDGER_SLURM_NODES=4 LEDGER_SLURM_CPUS_PER_NODE=2 "$src/scripts/slurm/cluster-up.sh" "$state"
rc=$?
set -e
case "$rc" in
  0) ;;
  3) skip "Slurm cannot start here (the reason is on the line above)" ;;
  *) fail "cluster-up.sh exited $rc; Slurm is installed, so this is a failure (logs above)" ;;
esac
# shellcheck source=/dev/null
source "$state/env.sh"
sinfo -N

step "generating the workload"
"$LEDGER_GEN" --out-dir "$work/in" --accounts 3000 --countries 24 --transactions 60000 --seed 11 >/dev/null
step "reference: $mpiexec -np 1"
mkdir -p "$work/ref"
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "$mpiexec" -np 1 "$LEDGER_BIN" \
  --accounts "$work/in/accounts.csv" --transactions "$work/in/transactions.csv" \
  --output "$work/ref/balances.csv" --progress off
[[ -s "$work/ref/balances.csv" ]] || fail "the reference run wrote no balances"

submit() { # submit NAME SBATCH-OPTIONS... -- ENV=VALUE...: submits ledger.sbatch, prints the job id
  local name="$1" opts=() envs=()
  shift
  while (($#)) && [[ "$1" != -- ]]; do opts+=("$1"); shift; done
  shift
  envs=("$@")
  mkdir -p "$work/$name"
  env LEDGER_BIN="$LEDGER_BIN" LEDGER_ACCOUNTS="$work/in/accounts.csv" \
    LEDGER_TRANSACTIONS="$work/in/transactions.csv" LEDGER_OUTPUT="$work/$name/balances.csv" \
    LEDGER_METRICS_FILE="$work/$name/ledger.prom" "${envs[@]}" \
    sbatch --parsable --job-name="$name" --chdir="$work" --output="$work/$name/job.out" "${opts[@]}" \
    "$src/slurm/ledger.sbatch" --progress off
}

step "submitting ledger.sbatch jobs"
# 1 + 3 nodes run at once; the mpirun and failing jobs queue behind them, which Slurm must handle too.
job_one="$(submit one-node --nodes=1 --)"
job_six="$(submit three-nodes --nodes=3 --ntasks-per-node=2 -- LEDGER_INGEST=parallel)"
job_mpirun="$(submit mpirun --nodes=2 -- LEDGER_LAUNCHER=mpirun LEDGER_INGEST=root)"
job_bad="$(submit missing-input --nodes=2 -- LEDGER_ACCOUNTS="$work/in/no-such-accounts.csv")"

check_job() { # check_job NAME JOBID EXPECTED_EXIT RANKS
  local name="$1" job="$2" expected="$3" ranks="$4" rc
  set +e
  "$src/scripts/slurm/wait-job.sh" "$job" 120
  rc=$?
  set -e
  if [[ "$rc" != "$expected" ]]; then
    cat "$work/$name/job.out" >&2 || true
    fail "job $name ($job) exited $rc, expected $expected"
  fi
  local report="$work/$name/balances.report.json"
  [[ -s "$report" ]] || fail "job $name left no report beside its output ($report)"
  if ((expected == 0)); then
    cmp "$work/ref/balances.csv" "$work/$name/balances.csv" ||
      fail "job $name: balances differ from mpirun -np 1"
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "ok" and r["exit_code"] == 0, "status " + r["status"]
assert len(r["ranks"]) == int(sys.argv[2]), "%d ranks in the report" % len(r["ranks"])' "$report" "$ranks" ||
      fail "job $name: its report is wrong"
    [[ -s "$work/$name/ledger.prom" ]] || fail "job $name: no metrics file"
  else
    [[ ! -e "$work/$name/balances.csv" ]] || fail "failed job $name left a balances file"
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "failed" and r["exit_code"] == int(sys.argv[2]), r["status"]' "$report" "$expected" ||
      fail "job $name: its report does not say it failed with $expected"
  fi
  echo "ok: job $name"
}
check_job one-node "$job_one" 0 1
check_job three-nodes "$job_six" 0 6
check_job mpirun "$job_mpirun" 0 2
check_job missing-input "$job_bad" 4 2
step "ledger.sbatch jobs checked"

step "scaling study through srun steps in one 4-node allocation"
set +e
timeout 240 salloc --nodes=4 --quiet --chdir="$work" \
  "$src/scripts/scaling/study.sh" --launcher srun --out "$work/study" --sizes "1 2 4" \
  --transfers 40000 --transfers-per-rank 20000 --countries 32 \
  --ledger "$LEDGER_BIN" --gen "$LEDGER_GEN" >"$work/study.log" 2>&1
rc=$?
set -e
if ((rc != 0)); then
  tail -n 40 "$work/study.log" >&2
  fail "the scaling study exited $rc"
fi
csv="$work/study/scaling.csv"
[[ -s "$csv" ]] || fail "the study wrote no CSV"
python3 - "$csv" <<'EOF' || fail "the study's CSV is not what it should be"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 14, f"{len(rows)} points, expected 2 studies x 2 ingests x 3 sizes + 2 calibration runs = 14"
for r in rows:
    assert r["exit_code"] == "0", r
    assert float(r["wall_seconds"]) > 0 and float(r["transfers_per_second"]) > 0, r
    assert float(r["speedup"]) > 0 and float(r["efficiency"]) > 0, r
    assert r["launcher"] == "srun" and r["ingest"] in ("root", "parallel"), r
    assert any(k.startswith("stage_") and r[k] for k in r), r
    # The parallel ingest's own stages, and its per-rank bytes, reach the CSV.
    if r["ingest"] == "parallel":
        assert float(r["stage_resolve_ids_seconds"]) > 0 and float(r["stage_collect_seconds"]) > 0, r
        assert int(r["input_bytes_parsed_max_rank"]) > 0 and int(r["output_bytes_written_max_rank"]) > 0, r
        assert int(r["accounts_held_max_rank"]) > 0, r
    # All four fake nodes share this machine's cores; 4 ranks there are more than it has.
    over = int(r["ranks"]) > int(r["host_cores"])
    assert r["oversubscribed"] == ("yes" if over else "no"), r
    if r["study"] == "strong":
        assert r["output_matches"] in ("reference", "yes"), r
assert {r["ranks"] for r in rows} == {"1", "2", "4"}
calibration = [r for r in rows if r["study"] == "calib0.5"]
assert len(calibration) == 2 and all(r["ranks"] == "1" for r in calibration), calibration
assert all(int(r["accounts"]) == 20000 for r in calibration), calibration
print("ok: scaling.csv has 14 measured points")
EOF
for png in strong_stages strong_speedup strong_efficiency weak_stages weak_speedup weak_efficiency \
  model_strong model_weak; do
  f="$work/study/plots/$png.png"
  [[ -s "$f" ]] || fail "no plot $png.png"
  [[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" == '211PNG' ]] || fail "$png.png is not a PNG"
  (($(stat -c %s "$f") > 10000)) || fail "$png.png is only $(stat -c %s "$f") bytes"
done
grep -q '^MODEL - strong scaling' "$work/study/model.txt" || fail "no MODEL table"
grep -q '^ingest .* resolve_i .* collect ' "$work/study/model.txt" || fail "the MODEL table lacks the new stages"
step "scaling study checked"
echo "PASS"
