#!/usr/bin/env bash
# The benchmark's tiny smoke mode: every row of the table runs, the outputs of all ledger rows and of the
# sort|awk peer agree (bench.sh fails otherwise), and the table is printed with every row present; and the
# first-write benchmark prints its row; and the scale-out benchmark prints both of its tables.
set -euo pipefail
out="$(LEDGER_BUILD_DIR="$(dirname "$LEDGER_BIN")" bash "$LEDGER_SOURCE_DIR/scripts/bench.sh" --quick)"
echo "$out"
rows=$(echo "$out" | grep -cE '^S \| (wc -l|ledger np [12] (root|parallel)|peer sort\|awk)')
[ "$rows" -eq 6 ] || { echo "expected 6 table rows, found $rows" >&2; exit 1; }

# The first-write benchmark's table: one row per size, with a cold and a warm time.
out="$(COUNTS=1000 RUNS=1 IDLE=0 LEDGER_BUILD_DIR="$(dirname "$LEDGER_BIN")" bash "$LEDGER_SOURCE_DIR/scripts/bench-first-write.sh")"
echo "$out"
echo "$out" | grep -qE '^1000 \| 0 \| [0-9]+\.[0-9]{3} \| [0-9]+\.[0-9]{3} \| ' ||
  { echo "bench-first-write.sh printed no row for 1000 records" >&2; exit 1; }
# The scale-out benchmark's two tables: every rank count of A, and this build's row of M.
out="$(LEDGER_BUILD_DIR="$(dirname "$LEDGER_BIN")" bash "$LEDGER_SOURCE_DIR/scripts/bench-scale-out.sh" --quick)"
echo "$out"
rows=$(echo "$out" | grep -cE '^(1|2|3|4|8) \| [0-9.]+ \| ')
[ "$rows" -eq 5 ] || { echo "bench-scale-out.sh: expected 5 rows for A, found $rows" >&2; exit 1; }
echo "$out" | grep -qE '^this \| [0-9.]+ \| ' || { echo "bench-scale-out.sh printed no row for M" >&2; exit 1; }
echo "3 passed, 0 failed"
