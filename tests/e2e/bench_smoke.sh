#!/usr/bin/env bash
# The benchmark's tiny smoke mode: every row of the table runs, the outputs of all ledger rows and of the
# sort|awk peer agree (bench.sh fails otherwise), and the table is printed with every row present.
set -euo pipefail
out="$(LEDGER_BUILD_DIR="$(dirname "$LEDGER_BIN")" bash "$LEDGER_SOURCE_DIR/scripts/bench.sh" --quick)"
echo "$out"
rows=$(echo "$out" | grep -cE '^S \| (wc -l|ledger np [12] (root|parallel)|peer sort\|awk)')
[ "$rows" -eq 6 ] || { echo "expected 6 table rows, found $rows" >&2; exit 1; }
echo "1 passed, 0 failed"
