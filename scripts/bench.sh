#!/usr/bin/env bash
# Benchmark: generates the issue's workloads with ledger-gen and prints one table of wall time (median of
# RUNS runs), throughput, the ratio to `wc -l` over the same file in the same run, peak memory per rank and
# in total, bytes on the wire and the time of every stage.
#   scripts/bench.sh            S, M, K (zipf 1.2) and D (2-decimal amounts, string ids, offsets)
#   scripts/bench.sh --quick    a tiny smoke run of every row (what CI runs)
#   WORKLOADS="S K" RUNS=5 scripts/bench.sh
#   PEER_RUNS=1 scripts/bench.sh     the sort|awk peer takes minutes on M and K; run it fewer times
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/mpi-env.sh"
source "$root/scripts/bench/common.sh"
use_build
data="${BENCH_DATA:-/tmp/ledger-bench}"
runs="${RUNS:-3}"
peer_runs="${PEER_RUNS:-$runs}"
workloads="${WORKLOADS:-S M K D}"
quick=0
if [ "${1:-}" = "--quick" ]; then
  quick=1 runs=1 peer_runs=1 workloads="S" data="$(mktemp -d)"
  trap 'rm -rf "$data"' EXIT
fi
mkdir -p "$data"
raw="$data/raw.jsonl"
: >"$raw"

gen_args() {  # workload -> ledger-gen arguments
  local scale=1
  [ "$quick" -eq 1 ] && scale=100
  case "$1" in
    S) echo "--accounts $((10000 / scale)) --countries 100 --transactions $((1000000 / scale)) --decimals 0 --zipf 0" ;;
    M) echo "--accounts 1000000 --countries 100 --transactions 20000000 --decimals 0 --zipf 0" ;;
    K) echo "--accounts 1000000 --countries 100 --transactions 20000000 --decimals 0 --zipf 1.2" ;;
    D) echo "--accounts 1000000 --countries 100 --transactions 20000000 --decimals 2 --zipf 0 --string-ids --offsets" ;;
  esac
}


for w in $workloads; do
  dir="$data/$w"
  args="$(gen_args "$w") --seed 42"
  if [ ! -f "$dir/args" ] || [ "$(cat "$dir/args")" != "$args" ]; then
    mkdir -p "$dir"
    echo "generating $w: ledger-gen $args" >&2
    # shellcheck disable=SC2086
    "$gen" --out-dir "$dir" $args >/dev/null
    echo "$args" >"$dir/args"
  fi
  tx="$dir/transactions.csv"
  bytes=$(stat -c %s "$tx")
  transfers=$(($(wc -l <"$tx") - 1))
  cat "$tx" "$dir/accounts.csv" >/dev/null  # same page-cache state for every row

  wc_runs=()
  for _ in $(seq "$runs"); do wc_runs+=("$( { /usr/bin/time -f %e wc -l "$tx" >/dev/null; } 2>&1)"); done
  wc_s=$(median_of "${wc_runs[@]}")
  echo "{\"workload\":\"$w\",\"row\":\"wc -l (floor)\",\"runs\":[$(IFS=,; echo "${wc_runs[*]}")],\"transfers\":$transfers,\"bytes\":$bytes,\"wc_seconds\":$wc_s}" >>"$raw"

  for ingest in root parallel; do
    for np in 1 2; do
      times=() reports=()
      for i in $(seq "$runs"); do
        rep="$dir/report-$ingest-$np-$i.json"
        t=$( { /usr/bin/time -f %e mpirun -np "$np" "$ledger" --accounts "$dir/accounts.csv" --transactions "$tx" \
          --output "$dir/out-$ingest-$np.csv" --ingest "$ingest" --report "$rep" --log-level error; } 2>&1 | tail -1)
        times+=("$t") reports+=("$t $rep")
      done
      rep=$(printf '%s\n' "${reports[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p" | cut -d' ' -f2)
      echo "{\"workload\":\"$w\",\"row\":\"ledger np $np $ingest\",\"runs\":[$(IFS=,; echo "${times[*]}")],\"transfers\":$transfers,\"bytes\":$bytes,\"wc_seconds\":$wc_s,\"report\":$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$rep")}" >>"$raw"
      cmp -s "$dir/out-root-1.csv" "$dir/out-$ingest-$np.csv" || { echo "bench: $w np $np $ingest output differs from np 1 root" >&2; exit 1; }
    done
  done

  if [ "$w" = S ] || [ "$w" = M ] || [ "$w" = K ]; then
    times=()
    for _ in $(seq "$peer_runs"); do
      times+=("$( { /usr/bin/time -f "%e %M" bash "$root/scripts/bench/peer_sort_awk.sh" "$dir/accounts.csv" "$tx" "$dir/out-peer.csv"; } 2>&1 | tail -1)")
    done
    walls=() ; for t in "${times[@]}"; do walls+=("${t% *}"); done
    rss_kb="${times[0]#* }"
    cmp -s "$dir/out-root-1.csv" "$dir/out-peer.csv" || { echo "bench: the sort|awk peer disagrees with ledger on $w" >&2; exit 1; }
    echo "{\"workload\":\"$w\",\"row\":\"peer sort|awk\",\"runs\":[$(IFS=,; echo "${walls[*]}")],\"transfers\":$transfers,\"bytes\":$bytes,\"wc_seconds\":$wc_s,\"peak_rss_kb\":$rss_kb}" >>"$raw"
  fi
done

echo "machine: $(machine_description); runs per row: $runs (median)"
python3 "$root/scripts/bench/table.py" "$raw"
