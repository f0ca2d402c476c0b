#!/usr/bin/env bash
# Benchmark of the parallel ingest's scale-out (no serial stage): prints three tables.
#  1. Accounts-heavy (A: 5M accounts in 100 countries, 2M transfers), parallel ingest at 1, 2, 3, 4 and 8
#     ranks: peak memory per rank and over all ranks, and each rank's share of the accounts it held, of
#     the input bytes it parsed and of the output bytes it wrote, against the goals (total peak over 4
#     ranks <= 1.3x the 1-rank peak; each rank's bytes <= 1.3x total/ranks + 1 MiB; accounts held
#     <= 1.3x accounts/ranks). Outputs must equal the root ingest's on 1 rank.
#  2. The 20M-transfer workload (M: 1M accounts, 100 countries) at 2 ranks, this build against a
#     baseline build (BASELINE=path/to/ledger, e.g. built from an older commit), runs alternating:
#     median wall time and total peak memory over the ranks, and the stage times of the median run;
#     once writing the balances alone, once with the rejected file as well.
#   scripts/bench-scale-out.sh                 both tables
#   BASELINE=/tmp/base/build/ledger RUNS=5 scripts/bench-scale-out.sh
#   scripts/bench-scale-out.sh --quick         tiny sizes, every row (what CI runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/mpi-env.sh"
source "$root/scripts/bench/common.sh"
use_build
data="${BENCH_DATA:-/tmp/ledger-bench}"
runs="${RUNS:-3}"
baseline="${BASELINE:-}"
accounts=5000000 transfers=2000000 m_accounts=1000000 m_transfers=20000000
if [ "${1:-}" = "--quick" ]; then
  accounts=5000 transfers=2000 m_accounts=1000 m_transfers=20000 runs=1
  data="$(mktemp -d)"
  trap 'rm -rf "$data"' EXIT
fi

# generate DIR ARGS...: ledger-gen into DIR unless it already holds these arguments' output.
generate() {
  local dir="$1"
  shift
  if [ ! -f "$dir/args" ] || [ "$(cat "$dir/args")" != "$*" ]; then
    mkdir -p "$dir"
    "$gen" --out-dir "$dir" "$@" 2>/dev/null
    echo "$*" >"$dir/args"
  fi
}

# --- 1. accounts-heavy.
a="$data/A-$accounts-$transfers"
generate "$a" --accounts "$accounts" --countries 100 --transactions "$transfers" --decimals 0 --zipf 0 --seed 42
cat "$a/accounts.csv" "$a/transactions.csv" >/dev/null
mpirun -np 1 "$ledger" --accounts "$a/accounts.csv" --transactions "$a/transactions.csv" --output "$a/ref.csv" \
  --rejected "$a/ref-rej.csv" --ingest root --log-level error
for np in 1 2 3 4 8; do
  mpirun -np "$np" "$ledger" --accounts "$a/accounts.csv" --transactions "$a/transactions.csv" --output "$a/out-$np.csv" \
    --rejected "$a/rej-$np.csv" --report "$a/report-$np.json" --log-level error
  cmp -s "$a/ref.csv" "$a/out-$np.csv" && cmp -s "$a/ref-rej.csv" "$a/rej-$np.csv" ||
    { echo "bench-scale-out: np $np parallel differs from np 1 root" >&2; exit 1; }
done
echo "machine: $(machine_description)"
echo "A: $accounts accounts, 100 countries, $transfers transfers; parallel ingest, one run per rank count"
python3 - "$a" <<'PY'
import json, sys
d = sys.argv[1]
reports = {np: json.load(open(f"{d}/report-{np}.json")) for np in (1, 2, 3, 4, 8)}
one_peak = reports[1]["ranks"][0]["peak_rss_bytes"]
print("ranks | stages_s | peak_MiB max | peak_MiB total | total/1-rank | held max/(A/P) | parsed max/(in/P) | written max/(out/P) | goals")
print("--- | --- | --- | --- | --- | --- | --- | --- | ---")
for np, r in reports.items():
    ranks = r["ranks"]
    peaks = [k["peak_rss_bytes"] for k in ranks]
    accounts = r["counts"]["accounts"]
    parsed = [k["input_bytes_parsed"] for k in ranks]
    written = [k["output_bytes_written"] for k in ranks]
    fair = lambda xs: sum(xs) / np
    ok_bytes = all(max(xs) <= 1.3 * fair(xs) + 2**20 for xs in (parsed, written))
    ok_held = max(k["accounts_held"] for k in ranks) <= 1.3 * accounts / np
    ok_total = np != 4 or sum(peaks) <= 1.3 * one_peak
    wall = sum(r["stages_seconds"].values())
    print(f"{np} | {wall:.2f} | {max(peaks)/2**20:.0f} | {sum(peaks)/2**20:.0f} | {sum(peaks)/one_peak:.2f} | "
          f"{max(k['accounts_held'] for k in ranks)/(accounts/np):.2f} | {max(parsed)/fair(parsed):.2f} | "
          f"{max(written)/max(fair(written), 1):.2f} | {'met' if ok_bytes and ok_held and ok_total else 'MISSED'}")
PY

# --- 2. M at 2 ranks, against the baseline.
m="$data/M-$m_accounts-$m_transfers"
generate "$m" --accounts "$m_accounts" --countries 100 --transactions "$m_transfers" --decimals 0 --zipf 0 --seed 42
cat "$m/accounts.csv" "$m/transactions.csv" >/dev/null
builds=("this:$ledger")
[ -n "$baseline" ] && builds+=("baseline:$baseline")
# Twice: the balances alone (the goal's measurement, as it was first taken), then with the rejected file
# too, the outputs of a real day (12.7% of M's transfers are rejected).
for outputs in balances "balances and rejected"; do
  raw="$m/raw.jsonl"
  : >"$raw"
  extra=()
  [ "$outputs" = balances ] || extra=(--rejected "$m/rejected.csv")
  for i in $(seq "$runs"); do
    for b in "${builds[@]}"; do
      name="${b%%:*}" bin="${b#*:}"
      [ "$outputs" = balances ] || extra=(--rejected "$m/rejected-$name.csv")
      t=$( { /usr/bin/time -f %e mpirun -np 2 "$bin" --accounts "$m/accounts.csv" --transactions "$m/transactions.csv" \
        --output "$m/out-$name.csv" "${extra[@]}" --report "$m/report-$name-$i.json" --log-level error; } 2>&1 | tail -1)
      echo "{\"build\":\"$name\",\"wall\":$t,\"report\":\"$m/report-$name-$i.json\"}" >>"$raw"
    done
  done
  [ -z "$baseline" ] || cmp -s "$m/out-this.csv" "$m/out-baseline.csv" || { echo "bench-scale-out: M outputs differ" >&2; exit 1; }
  [ -z "$baseline" ] || [ "$outputs" = balances ] || cmp -s "$m/rejected-this.csv" "$m/rejected-baseline.csv" ||
    { echo "bench-scale-out: M rejected files differ" >&2; exit 1; }
  echo
  echo "M: $m_accounts accounts, 100 countries, $m_transfers transfers; np 2 parallel; outputs: $outputs; $runs runs each, alternating (median)"
  python3 - "$raw" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
stages = ["read_parse", "digest", "resolve_ids", "sort", "partition", "exchange", "replay", "collect", "gather", "write"]
print("build | wall_s median | runs | peak_MiB total | " + " | ".join(f"{s}_s" for s in stages))
print("--- | --- | --- | --- | " + " | ".join("---" for _ in stages))
for build in dict.fromkeys(r["build"] for r in rows):
    mine = sorted((r for r in rows if r["build"] == build), key=lambda r: r["wall"])
    median = mine[(len(mine) - 1) // 2]
    report = json.load(open(median["report"]))
    total = sum(k["peak_rss_bytes"] for k in report["ranks"]) / 2**20
    st = report["stages_seconds"]
    cells = [f"{st[s]:.2f}" if s in st else "-" for s in stages]
    print(f"{build} | {statistics.median(r['wall'] for r in mine):.2f} | {', '.join(str(r['wall']) for r in mine)} | {total:.0f} | " + " | ".join(cells))
PY
done
