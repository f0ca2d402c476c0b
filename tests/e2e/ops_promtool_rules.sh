#!/usr/bin/env bash
# The monitoring kit in scripts/monitoring: the alerting rules pass `promtool check rules` and their own
# promtool unit tests, and every query in the rules and in the Grafana dashboard is valid PromQL that
# names only metrics the job really writes (the families in src/ops/metrics.cpp). A renamed metric would
# otherwise leave an alert that can never fire and a dashboard panel that stays empty, silently.
# Needs no ledger binary; promtool comes from scripts/install-deps.sh.
set -euo pipefail

source_dir="${LEDGER_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
monitoring="$source_dir/scripts/monitoring"
command -v promtool >/dev/null || { echo "ops_promtool_rules: promtool not found; run scripts/install-deps.sh" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/ledger-ops-rules.XXXXXX")"
trap 'rm -rf "$work"' EXIT

promtool check rules "$monitoring/ledger-alerts.yml"
promtool test rules "$monitoring/ledger-alerts.test.yml"

# The dashboard's queries, as recording rules, so that promtool parses them ($instance made concrete).
python3 - "$monitoring/grafana-dashboard.json" "$work/dashboard-queries.yml" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
if len(exprs) < 10:
    sys.exit(f"dashboard has only {len(exprs)} queries")
with open(sys.argv[2], "w") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, expr in enumerate(exprs):
        out.write(f"      - record: dashboard:query{i}\n        expr: {json.dumps(expr.replace('$instance', '.*'))}\n")
PY
promtool check rules "$work/dashboard-queries.yml"

# Every ledger_* name used in the rules or the dashboard must be a family that format_metrics writes.
python3 - "$source_dir/src/ops/metrics.cpp" "$monitoring/ledger-alerts.yml" "$monitoring/grafana-dashboard.json" <<'PY'
import json, re, sys
written = set(re.findall(r'Family \w+\(\s*"(ledger_[a-z_]+)"', open(sys.argv[1]).read()))
if len(written) < 10:
    sys.exit(f"found only {len(written)} metric families in {sys.argv[1]}; has its layout changed?")
rules = open(sys.argv[2]).read()
dashboard = json.load(open(sys.argv[3]))
queries = {"rules": rules, "dashboard": " ".join(t["expr"] for p in dashboard["panels"] for t in p.get("targets", []))}
bad = 0
for where, text in queries.items():
    # Recording-rule names (ledger:...) are defined by the rules themselves, not by the job.
    used = set(re.findall(r"(?<![\w:])(ledger_[a-z_]+)(?![\w:])", text))
    for name in sorted(used - written):
        print(f"{where}: uses {name}, which the job never writes", file=sys.stderr)
        bad += 1
    if not used:
        print(f"{where}: uses no ledger metric at all", file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PY
echo "ops_promtool_rules: rules, rule tests, dashboard queries and metric names all good"
