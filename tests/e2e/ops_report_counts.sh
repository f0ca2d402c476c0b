#!/usr/bin/env bash
# The run report tells the truth: on a generated workload at 1, 2 and 3 ranks, its counts equal what the
# output files show (accounts = balance rows, rejected per reason = rejected-file rows per reason,
# accepted + rejected = transfers = transaction rows), amount_moved equals the sum of the accepted
# transfers, inputs carry the real file sizes, and every rank reports itself. Operators read the report
# instead of the files; a count that drifted from them would be believed.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$LEDGER_GEN" --out-dir workload --accounts 2000 --countries 7 --transactions 50000 --seed 61 --decimals 2 \
  --unknown 0.02 --cross-country 0.03 >/dev/null
[ -f workload/accounts.csv ] || { fail "ledger-gen wrote no workload/accounts.csv"; ls -l workload >&2; finish; }
transactions=(workload/transactions*.csv)
[ -f "${transactions[0]}" ] || { fail "ledger-gen wrote no transactions file"; ls -l workload >&2; finish; }
tx_args=()
for f in "${transactions[@]}"; do tx_args+=(--transactions "$WORK/$f"); done

for n in 1 2 3; do
  out="$WORK/np$n"
  if ! ledger_np "$n" --accounts "$WORK/workload/accounts.csv" "${tx_args[@]}" --output "$out-balances.csv" \
    --rejected "$out-rejected.csv" --report "$out-report.json" --log-level warn; then
    fail "np $n: ledger exited non-zero"
    continue
  fi
  if python3 - "$n" "$out-report.json" "$out-balances.csv" "$out-rejected.csv" "$WORK/workload/accounts.csv" \
    "${transactions[@]/#/$WORK/}" <<'PY'; then pass; else fail "np $n: report does not match the output files"; fi
import csv, json, os, sys
from collections import Counter
from datetime import datetime
from decimal import Decimal

n = int(sys.argv[1])
report_path, balances_path, rejected_path, accounts_path = sys.argv[2:6]
transaction_paths = sys.argv[6:]
REASONS = ["unknown_account", "invalid_amount", "same_account", "cross_country", "insufficient_funds"]
problems = []

def check(ok, what):
    if not ok:
        problems.append(what)

def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [r for r in csv.DictReader(f) if any(v.strip() for v in r.values() if v)]

report = json.load(open(report_path))
counts = report["counts"]
balances = rows(balances_path)
rejected = rows(rejected_path)
accounts = rows(accounts_path)
transfers = [r for p in transaction_paths for r in rows(p)]

check(report["status"] == "ok", f"status {report['status']!r}")
check(report["exit_code"] == 0, f"exit_code {report['exit_code']}")
check(report["error"] is None, f"error {report['error']!r}")
check(isinstance(report["version"], str) and report["version"], "version missing")
started = datetime.fromisoformat(report["started_at"].replace("Z", "+00:00"))
finished = datetime.fromisoformat(report["finished_at"].replace("Z", "+00:00"))
check(report["started_at"].endswith("Z") and started <= finished, "started_at/finished_at not ordered UTC times")
check(isinstance(report["command_line"], list) and "--report" in report["command_line"], "command_line lacks --report")

check(counts["accounts"] == len(balances) == len(accounts),
      f"accounts: report {counts['accounts']}, balances {len(balances)}, accounts file {len(accounts)}")
countries = {r["country"] for r in balances}
check(counts["countries"] == len(countries), f"countries: report {counts['countries']}, balances {len(countries)}")
check(counts["transfers"] == len(transfers), f"transfers: report {counts['transfers']}, rows {len(transfers)}")
check(counts["bad_rows"] == 0, f"bad_rows {counts['bad_rows']}")

by_reason = Counter(r["reason"] for r in rejected)
check(set(by_reason) <= set(REASONS), f"unknown reasons in the rejected file: {set(by_reason) - set(REASONS)}")
check(sorted(counts["rejected"]) == sorted(REASONS), f"rejected keys {sorted(counts['rejected'])}")
for reason in REASONS:
    check(counts["rejected"].get(reason) == by_reason[reason],
          f"rejected {reason}: report {counts['rejected'].get(reason)}, file {by_reason[reason]}")
check(counts["accepted"] + sum(counts["rejected"].values()) == counts["transfers"],
      f"accepted {counts['accepted']} + rejected {sum(counts['rejected'].values())} != transfers {counts['transfers']}")
# The workload asks for unknown accounts and cross-country transfers: a report of none is not believable.
check(by_reason["unknown_account"] > 0 and by_reason["cross_country"] > 0, "workload produced no rejections")

moved = sum((Decimal(r["transferAmount"]) for r in transfers), Decimal(0)) - \
        sum((Decimal(r["transferAmount"]) for r in rejected), Decimal(0))
check(isinstance(report["amount_moved"], str), f"amount_moved {report['amount_moved']!r} is not decimal text")
if isinstance(report["amount_moved"], str):
    check(Decimal(report["amount_moved"]) == moved, f"amount_moved {report['amount_moved']}, accepted transfers sum to {moved}")

sizes = {os.path.realpath(i["path"]): i["bytes"] for i in report["inputs"]}
for path in [accounts_path] + transaction_paths:
    real = os.path.realpath(path)
    check(sizes.get(real) == os.path.getsize(path), f"inputs: {path} has {os.path.getsize(path)} bytes, report {sizes.get(real)}")

ranks = report["ranks"]
check(sorted(r["rank"] for r in ranks) == list(range(n)), f"ranks {[r['rank'] for r in ranks]} at np {n}")
check(sum(r["countries"] for r in ranks) == counts["countries"], "per-rank countries do not add up")
check(all(r["peak_rss_bytes"] > 0 for r in ranks), "a rank reports no peak RSS")
check(isinstance(report["stages_seconds"], dict) and report["stages_seconds"], "no stages_seconds")

for p in problems:
    print(f"np {n}: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  # The counts above are per rank count; the files themselves must not depend on it.
  if [ "$n" -gt 1 ]; then
    expect_same_file "$WORK/np1-balances.csv" "$out-balances.csv" "np $n balances"
    expect_same_file "$WORK/np1-rejected.csv" "$out-rejected.csv" "np $n rejected"
  fi
done
finish
