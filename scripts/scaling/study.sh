#!/usr/bin/env bash
# Scaling study of ledger: strong scaling (one fixed workload over more and more ranks) and weak scaling
# (a fixed workload per rank), each with both ingest strategies, so the plots show where rank-0 ingest
# levels off and parallel ingest does not. Results: one CSV, PNG plots, and the performance model's
# prediction beside the measured points.
#
# Two launchers, one script:
#   inside a Slurm allocation, every size is an `srun` step of that one allocation:
#     salloc --nodes=8 --exclusive scripts/scaling/study.sh --launcher srun --out results/
#     sbatch --nodes=8 --exclusive --wrap "scripts/scaling/study.sh --launcher srun --out results/"
#   on a workstation, every size is an `mpirun -np R`:
#     scripts/scaling/study.sh --launcher mpirun --out results/
#
# Why steps in one allocation rather than one sbatch per size: every size then runs on the same nodes,
# back to back, with the inputs generated once, and the study's wall time is the sum of the runs rather
# than of queue waits. On a busy cluster where a big allocation waits long, one `sbatch --nodes=K
# slurm/ledger.sbatch` per size (inputs generated beforehand, `LEDGER_REPORT` per size) gives the same
# reports; point collect.py at them (see slurm/README.md).
#
# Options (defaults in brackets):
#   --launcher srun|mpirun       [srun inside an allocation, else mpirun]
#   --out DIR                    results directory [scaling-results]
#   --sizes "1 2 4"              node counts (srun) or rank counts (mpirun)
#                                [srun: 1 2 4 .. the allocation's nodes; mpirun: 1 2 4]
#   --ranks-per-node K           srun only [1]
#   --studies "strong weak"      [both]
#   --ingest "root parallel"     [both]
#   --transfers N                strong-scaling workload [2000000]
#   --transfers-per-rank N       weak-scaling workload per rank [500000]
#   --accounts-per-transfer F    accounts = F x transfers [0.05]
#   --calibration-accounts "F.." extra 1-rank runs of the strong workload with accounts = F x transfers,
#                                each ingest, study "calibF" [0.5; "" for none]: with a second ratio
#                                the model can tell a stage's cost per transfer from its cost per
#                                account id (the parallel ingest's directory), which the strong and weak
#                                runs, all at one ratio, cannot
#   --countries N --zipf S       [256, 0.5] country count and size skew of the generated workload
#   --seed S                     [42]
#   --repeat R                   runs per point; the CSV keeps the fastest (noise only adds time) [1]
#   --run-timeout S              seconds after which one run is stopped and counted as failed [900]
#   --ledger PATH --gen PATH     [$LEDGER_BIN or build/ledger, $LEDGER_GEN or build/tools/ledger-gen]
#   --no-model                   skip model.py
#
# In the strong study every run's balances and rejected transfers are compared with the first run's
# (smallest size, first ingest): the study also checks that the result depends on neither rank count
# nor ingest (column output_matches).
# Exit: 0 when every run succeeded and matched; 1 otherwise (the CSV and plots are still written).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

launcher=""
out_dir="scaling-results"
sizes=""
ranks_per_node=1
studies="strong weak"
ingests="root parallel"
strong_transfers=2000000
weak_transfers_per_rank=500000
accounts_per_transfer=0.05
calibration_accounts="0.5"
countries=256
zipf=0.5
seed=42
repeat=1
run_timeout=900
ledger="${LEDGER_BIN:-$repo/build/ledger}"
gen="${LEDGER_GEN:-$repo/build/tools/ledger-gen}"
run_model=1

die() { echo "study: $*" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --launcher) launcher="$2"; shift 2 ;;
    --out) out_dir="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --ranks-per-node) ranks_per_node="$2"; shift 2 ;;
    --studies) studies="$2"; shift 2 ;;
    --ingest) ingests="$2"; shift 2 ;;
    --transfers) strong_transfers="$2"; shift 2 ;;
    --transfers-per-rank) weak_transfers_per_rank="$2"; shift 2 ;;
    --accounts-per-transfer) accounts_per_transfer="$2"; shift 2 ;;
    --calibration-accounts) calibration_accounts="$2"; shift 2 ;;
    --countries) countries="$2"; shift 2 ;;
    --zipf) zipf="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --run-timeout) run_timeout="$2"; shift 2 ;;
    --ledger) ledger="$2"; shift 2 ;;
    --gen) gen="$2"; shift 2 ;;
    --no-model) run_model=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[[ -n "$launcher" ]] || { [[ -n "${SLURM_JOB_ID:-}" ]] && launcher=srun || launcher=mpirun; }
[[ "$launcher" == srun || "$launcher" == mpirun ]] || die "--launcher must be srun or mpirun"
[[ "$launcher" != srun || -n "${SLURM_JOB_ID:-}" ]] ||
  die "--launcher srun runs inside an allocation: salloc --nodes=N $0 --launcher srun ..."
[[ -x "$ledger" ]] || die "ledger binary '$ledger' not found; build it or pass --ledger"
[[ -x "$gen" ]] || die "ledger-gen '$gen' not found; build it or pass --gen"
for v in "$ranks_per_node" "$strong_transfers" "$weak_transfers_per_rank" "$countries" "$repeat" "$run_timeout"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || die "'$v' is not a positive integer"
done
for f in $accounts_per_transfer $calibration_accounts; do
  [[ "$f" =~ ^[0-9]*\.?[0-9]+$ ]] || die "'$f' is not an accounts-per-transfer ratio"
done
for s in $studies; do [[ "$s" == strong || "$s" == weak ]] || die "unknown study '$s'"; done
for i in $ingests; do [[ "$i" == root || "$i" == parallel ]] || die "unknown ingest '$i'"; done

if [[ -z "$sizes" ]]; then
  if [[ "$launcher" == srun ]]; then
    sizes=""
    for ((n = 1; n <= SLURM_JOB_NUM_NODES; n *= 2)); do sizes+="$n "; done
  else
    sizes="1 2 4"
  fi
fi
for n in $sizes; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "size '$n' is not a positive integer"
  [[ "$launcher" != srun ]] || ((n <= SLURM_JOB_NUM_NODES)) ||
    die "size $n is more nodes than the allocation's $SLURM_JOB_NUM_NODES"
done
[[ "$launcher" == srun ]] || ranks_per_node=1  # a size is then a rank count on this one machine

mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
mkdir -p "$out_dir"/{inputs,runs,plots}
manifest="$out_dir/runs.tsv"
printf 'study\tlauncher\tingest\tnodes\tranks\tranks_per_node\thost_cores\tranks_on_busiest_host\tlaunch_seconds\texit_code\treport\toutput\toutput_matches\n' >"$manifest"

# --- where ranks land, to tell oversubscribed points: ranks > cores of one physical host ----------------
# Slurm nodes are usually hosts of their own, but the test cluster's fake nodes share one host; asking
# each allocated node for its hostname and core count covers both.
declare -A host_of_node=() cores_of_host=()
allocation_nodes=()
# shellcheck disable=SC2016 # the probe's $(...) are expanded by the shell on each node, not here
if [[ "$launcher" == srun ]]; then
  mapfile -t allocation_nodes < <(scontrol show hostnames "$SLURM_JOB_NODELIST")
  while read -r node host cores; do
    host_of_node[$node]="$host"
    cores_of_host[$host]="$cores"
  done < <(srun --mpi=none --ntasks-per-node=1 --overcommit --quiet \
    sh -c 'echo "$SLURMD_NODENAME $(hostname) $(getconf _NPROCESSORS_ONLN)"')
  # The smallest CPU count a node of the allocation has, e.g. from "8(x3),4": steps asking for more
  # ranks than that per node need --overcommit.
  min_cpus_per_node="$(tr ',' '\n' <<<"$SLURM_JOB_CPUS_PER_NODE" | sed 's/(.*//' | sort -n | head -n 1)"
else
  host="$(hostname)"
  cores_of_host[$host]="$(getconf _NPROCESSORS_ONLN)"
fi

busiest_host() { # busiest_host NODES RANKS: prints "cores ranks" of the most loaded host
  local nodes="$1" ranks="$2" rpn=$(($2 / $1)) k host
  declare -A ranks_on=()
  if [[ "$launcher" == srun ]]; then
    for ((k = 0; k < nodes; k++)); do
      host="${host_of_node[${allocation_nodes[$k]}]}"
      ranks_on[$host]=$((${ranks_on[$host]:-0} + rpn))
    done
  else
    ranks_on[$(hostname)]="$ranks"
  fi
  local best_host="" best=0
  for host in "${!ranks_on[@]}"; do
    ((ranks_on[$host] > best)) && { best="${ranks_on[$host]}"; best_host="$host"; }
  done
  echo "${cores_of_host[$best_host]} $best"
}

# --- inputs, generated once per workload and kept for reruns ----------------------------------------
workload() { # workload TRANSFERS [RATIO]: prints the directory holding accounts.csv and transactions.csv
  local transfers="$1" ratio="${2:-$accounts_per_transfer}" accounts dir
  accounts="$(awk -v t="$transfers" -v f="$ratio" -v c="$countries" \
    'BEGIN { a = int(t * f); if (a < c) a = c; print a }')"
  dir="$out_dir/inputs/t${transfers}-a${accounts}-c${countries}-z${zipf}-s${seed}"
  if [[ ! -s "$dir/transactions.csv" ]]; then
    echo "study: generating $transfers transfers, $accounts accounts, $countries countries" >&2
    mkdir -p "$dir.tmp"
    "$gen" --out-dir "$dir.tmp" --accounts "$accounts" --countries "$countries" \
      --transactions "$transfers" --seed "$seed" --zipf "$zipf" >&2
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

launch() { # launch NODES RANKS LOGFILE LEDGER-ARGS...: runs ledger on NODES nodes with RANKS ranks
  local nodes="$1" ranks="$2" log="$3"
  shift 3
  if [[ "$launcher" == srun ]]; then
    local extra=()
    ((ranks_per_node <= min_cpus_per_node)) || extra=(--overcommit)
    # A crashed rank must end the step, not leave the others waiting for it (see ledger.sbatch).
    timeout --kill-after=10 "$run_timeout" \
      srun --mpi=pmix --kill-on-bad-exit=1 --nodes="$nodes" --ntasks-per-node="$ranks_per_node" "${extra[@]}" \
      "$ledger" "$@" >"$log" 2>&1
  else
    local extra=()
    ((ranks <= ${cores_of_host[$(hostname)]})) || extra=(--oversubscribe)
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout --kill-after=10 "$run_timeout" \
      "${MPIEXEC:-mpirun}" -np "$ranks" "${extra[@]}" "$ledger" "$@" >"$log" 2>&1
  fi
}

failures=0
# Each study, then the calibration runs: one rank (one node, one rank on it) of the strong workload with
# another accounts-per-transfer ratio.
runs=()
for study in $studies; do
  for ingest in $ingests; do
    for size in $sizes; do runs+=("$study $ingest $size $accounts_per_transfer"); done
  done
done
for f in $calibration_accounts; do
  for ingest in $ingests; do runs+=("calib$f $ingest 1 $f"); done
done
reference=""  # strong scaling: the first run's balances, which every other run must reproduce
step_rpn="$ranks_per_node"
for run in "${runs[@]}"; do
  read -r study ingest size ratio <<<"$run"
  ranks_per_node="$step_rpn"
  [[ "$study" != calib* ]] || ranks_per_node=1
  if [[ "$launcher" == srun ]]; then nodes="$size"; ranks=$((size * ranks_per_node)); else nodes=1; ranks="$size"; fi
  if [[ "$study" == weak ]]; then transfers=$((weak_transfers_per_rank * ranks)); else transfers="$strong_transfers"; fi
  inputs="$(workload "$transfers" "$ratio")"
  read -r host_cores busiest <<<"$(busiest_host "$nodes" "$ranks")"
  for ((rep = 1; rep <= repeat; rep++)); do
    dir="$out_dir/runs/$study-$ingest-n$nodes-r$ranks-rep$rep"
    rm -rf "$dir"
    mkdir -p "$dir"
    started="$(date +%s.%N)"
    set +e
    launch "$nodes" "$ranks" "$dir/ledger.log" --accounts "$inputs/accounts.csv" \
      --transactions "$inputs/transactions.csv" --output "$dir/balances.csv" --rejected "$dir/rejected.csv" \
      --report "$dir/report.json" --ingest "$ingest" --progress off
    rc=$?
    set -e
    seconds="$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')"
    echo "study: $study $ingest nodes=$nodes ranks=$ranks transfers=$transfers rep=$rep: exit $rc, ${seconds}s" >&2
    if ((rc != 0)); then
      failures=$((failures + 1))
      tail -n 5 "$dir/ledger.log" >&2
    fi
    # Strong scaling: every run has the same input, so the same bytes must come out, whatever the
    # rank count or ingest. Weak scaling changes the input with the size: nothing to compare with.
    matches="n/a"
    if [[ "$study" == strong && "$rc" == 0 ]]; then
      if [[ -z "$reference" ]]; then
        reference="$dir/balances.csv"
        matches="reference"
      elif cmp -s "$reference" "$dir/balances.csv" &&
        cmp -s "$(dirname "$reference")/rejected.csv" "$dir/rejected.csv"; then
        matches="yes"
      else
        matches="no"
        failures=$((failures + 1))
        echo "study: $dir/balances.csv or rejected.csv differs from $(dirname "$reference")" >&2
      fi
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$study" "$launcher" "$ingest" \
      "$nodes" "$ranks" "$ranks_per_node" "$host_cores" "$busiest" "$seconds" "$rc" \
      "$dir/report.json" "$dir/balances.csv" "$matches" >>"$manifest"
  done
done
ranks_per_node="$step_rpn"

python3 "$here/collect.py" --manifest "$manifest" --csv "$out_dir/scaling.csv" --plots "$out_dir/plots" ||
  failures=$((failures + 1))
if ((run_model)); then
  python3 "$here/model.py" --csv "$out_dir/scaling.csv" --plots "$out_dir/plots" >"$out_dir/model.txt" ||
    failures=$((failures + 1))
  cat "$out_dir/model.txt"
fi
if command -v gnuplot >/dev/null 2>&1; then
  for gp in "$out_dir"/plots/*.gp; do
    (cd "$out_dir/plots" && gnuplot "$(basename "$gp")") || failures=$((failures + 1))
  done
  echo "study: plots in $out_dir/plots" >&2
else
  echo "study: gnuplot not installed; the plot scripts are in $out_dir/plots" >&2
  failures=$((failures + 1))
fi
echo "study: results in $out_dir/scaling.csv" >&2
((failures == 0)) || { echo "study: $failures run(s) failed or differed" >&2; exit 1; }
