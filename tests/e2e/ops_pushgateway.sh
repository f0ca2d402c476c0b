#!/usr/bin/env bash
# Metrics end to end, against a real prometheus-pushgateway on 127.0.0.1 (a free port, loopback only):
#  1. a 2-rank run writes a metrics file that passes `promtool check metrics` and pushes the same
#     ledger_transfers_total values to the gateway, with ledger_last_run_success 1;
#  2. a failed run pushes ledger_last_run_success 0 and leaves the gateway's last success timestamp
#     as it was (the alert "last success too old" depends on that);
#  3. with the gateway gone, a run still succeeds, with its result intact and a warning on stderr.
# The gateway is stopped by its pid however the script ends.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

for tool in prometheus-pushgateway promtool curl python3; do
  command -v "$tool" >/dev/null || { echo "ops_pushgateway: $tool not found; run scripts/install-deps.sh" >&2; exit 1; }
done
# A proxy from the environment must not see loopback traffic, neither curl's nor the job's libcurl's.
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

gateway_pid=""
stop_gateway() {
  if [ -n "$gateway_pid" ]; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
    gateway_pid=""
  fi
}
trap 'stop_gateway; rm -rf "$WORK"' EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
gateway="http://127.0.0.1:$port"
# Its own state file: Debian's default (/var/lib/prometheus/pushgateway.data) would load whatever an
# earlier gateway left there and keep this test's pushes after it ends.
prometheus-pushgateway --web.listen-address="127.0.0.1:$port" --persistence.file="$WORK/pushgateway.data" \
  >gateway.log 2>&1 &
gateway_pid=$!
for _ in $(seq 100); do
  curl -sf "$gateway/-/ready" >/dev/null && break
  kill -0 "$gateway_pid" 2>/dev/null || { cat gateway.log >&2; fail "pushgateway did not start"; finish; }
  sleep 0.1
done
curl -sf "$gateway/-/ready" >/dev/null || { cat gateway.log >&2; fail "pushgateway not ready after 10 s"; finish; }
# Ready, and ours: had the port been taken meanwhile, our gateway would have exited.
kill -0 "$gateway_pid" 2>/dev/null || { cat gateway.log >&2; fail "port $port was taken by another process"; finish; }
curl -sf "$gateway/metrics" | grep -q '^ledger_' && { fail "a fresh gateway already holds ledger metrics"; finish; } || pass

accounts="$LEDGER_SOURCE_DIR/data/accounts.csv"
transactions="$LEDGER_SOURCE_DIR/data/transactions.csv"
if [ ! -f "$accounts" ] || [ ! -f "$transactions" ]; then
  # The repository's sample data is the intended input; a generated one keeps the test meaningful without it.
  "$LEDGER_GEN" --out-dir sample --accounts 200 --countries 4 --transactions 5000 --seed 7 >/dev/null
  accounts="$WORK/sample/accounts.csv"
  transactions="$WORK/sample/transactions.csv"
fi

# compare.py FILE GATEWAY_DUMP: the file's ledger_transfers_total and last-run values are what the gateway
# serves for job="ledger".
cat >compare.py <<'PY'
import re, sys
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
def samples(path):
    out = {}
    for line in open(path):
        m = SAMPLE.match(line.strip())
        if m and not line.startswith("#"):
            labels = dict(LABEL.findall(m.group(2) or ""))
            out.setdefault(m.group(1), []).append((labels, float(m.group(3))))
    return out
mine, pushed = samples(sys.argv[1]), samples(sys.argv[2])
def pushed_of(name, labels):
    found = [v for l, v in pushed.get(name, []) if l.get("job") == "ledger" and all(l.get(k) == x for k, x in labels.items())]
    return found[0] if len(found) == 1 else None
problems = []
transfers = mine.get("ledger_transfers_total", [])
if len(transfers) < 6:
    problems.append(f"metrics file has {len(transfers)} ledger_transfers_total samples, expected accepted + 5 reasons")
for name in ["ledger_transfers_total", "ledger_last_run_success", "ledger_last_success_timestamp_seconds",
             "ledger_run_duration_seconds", "ledger_ranks"]:
    for labels, value in mine.get(name, []):
        got = pushed_of(name, labels)
        if got != value:
            problems.append(f"{name}{labels}: file {value}, gateway {got}")
if pushed_of("ledger_last_run_success", {}) != 1.0:
    problems.append(f"gateway ledger_last_run_success is {pushed_of('ledger_last_run_success', {})}, expected 1")
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# 1. A good run, pushed.
if ledger_np 2 --accounts "$accounts" --transactions "$transactions" --output out.csv \
  --metrics-file ledger.prom --report report.json --pushgateway "$gateway" 2>run1.err; then pass; else
  fail "run with a live gateway exited non-zero"; cat run1.err >&2
fi
[ -s out.csv ] && pass || fail "no balances written"
promtool check metrics <ledger.prom && pass || fail "promtool check metrics rejects ledger.prom"
grep -qx 'ledger_last_run_success 1' ledger.prom && pass || fail "ledger.prom lacks ledger_last_run_success 1"
curl -sf "$gateway/metrics" >gateway-1.txt && pass || fail "cannot read the gateway's /metrics"
python3 compare.py ledger.prom gateway-1.txt && pass || fail "the gateway does not serve what the metrics file says"
last_success=$(grep -E '^ledger_last_success_timestamp_seconds\{.*job="ledger"' gateway-1.txt | awk '{print $2}' || true)
[ -n "$last_success" ] && pass || fail "the gateway has no ledger_last_success_timestamp_seconds"

# 2. A failed run (missing accounts file, exit 4): reported as failed, the last success kept.
status=0
ledger_np 2 --accounts "$WORK/no-such-accounts.csv" --transactions "$transactions" --output failed.csv \
  --metrics-file failed.prom --pushgateway "$gateway" 2>run2.err || status=$?
[ "$status" -eq 4 ] && pass || fail "run with a missing accounts file exited $status, expected 4"
grep -qx 'ledger_last_run_success 0' failed.prom && pass || fail "failed.prom lacks ledger_last_run_success 0"
grep -q '^ledger_last_success_timestamp_seconds' failed.prom && fail "failed.prom stamps a last success" || pass
promtool check metrics <failed.prom && pass || fail "promtool check metrics rejects failed.prom"
curl -sf "$gateway/metrics" >gateway-2.txt || true
grep -qE '^ledger_last_run_success\{.*job="ledger".*\} 0$' gateway-2.txt && pass ||
  fail "the gateway does not show the failed run (ledger_last_run_success 0)"
kept=$(grep -E '^ledger_last_success_timestamp_seconds\{.*job="ledger"' gateway-2.txt | awk '{print $2}' || true)
[ -n "$kept" ] && [ "$kept" = "$last_success" ] && pass ||
  fail "the failed run changed the gateway's last success timestamp ($last_success -> ${kept:-gone})"

# 3. The gateway is gone: the run's result must not change, and it must say why nothing was pushed.
stop_gateway
rm -f out.csv ledger.prom
if ledger_np 2 --accounts "$accounts" --transactions "$transactions" --output out.csv \
  --metrics-file ledger.prom --pushgateway "$gateway" 2>run3.err; then pass; else
  fail "run with a dead gateway exited non-zero"; cat run3.err >&2
fi
[ -s out.csv ] && pass || fail "no balances written with a dead gateway"
grep -qx 'ledger_last_run_success 1' ledger.prom && pass || fail "metrics file of the dead-gateway run does not say success"
grep -qi 'warn' run3.err && pass || { fail "no warning on stderr about the failed push"; cat run3.err >&2; }
grep -q "127.0.0.1:$port" run3.err && pass || fail "the warning does not name the gateway"
finish
