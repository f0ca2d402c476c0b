#!/usr/bin/env bash
# What a user reads on stderr besides errors. The log prefix names the rank only when there are several
# and the stage only while one runs (it showed `[rank 0] [-]` on every line of a one-rank run), and
# ledger-gen says what it wrote: each path with its data rows and bytes, checked against the files.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$LEDGER_GEN" --out-dir gen --transactions 1200 --accounts 300 --files 2 --seed 3 2>gen-stderr.txt ||
  fail "ledger-gen failed: $(cat gen-stderr.txt)"
for file in accounts.csv transactions-1.csv transactions-2.csv; do
  rows=$(($(wc -l <"gen/$file") - 1)) bytes=$(wc -c <"gen/$file")
  grep -qx "ledger-gen: wrote gen/$file: $rows rows, $bytes bytes" gen-stderr.txt && pass ||
    { fail "ledger-gen did not say it wrote gen/$file ($rows rows, $bytes bytes)"; cat gen-stderr.txt >&2; }
done
[ "$(wc -l <gen-stderr.txt)" -eq 3 ] && pass || fail "ledger-gen: $(wc -l <gen-stderr.txt) lines on stderr, expected 3"

IN=(--accounts gen/accounts.csv --transactions gen/transactions-1.csv --transactions gen/transactions-2.csv --output out.csv)
for launch in direct 1 2; do
  if [ "$launch" = direct ]; then "$LEDGER_BIN" "${IN[@]}" 2>stderr.txt; else ledger_np "$launch" "${IN[@]}" 2>stderr.txt; fi ||
    fail "run ($launch) failed"
  line=$(grep ' conservation holds' stderr.txt || true)
  [ -n "$line" ] && pass || { fail "($launch): no end-of-run line"; cat stderr.txt >&2; }
  if grep -qF '[-]' stderr.txt; then fail "($launch): a log line shows the empty stage [-]"; else pass; fi
  if [ "$launch" = 2 ]; then
    [[ $line == *"] [info] [rank 0] "* ]] && pass || fail "(np 2): the end-of-run line does not name rank 0: $line"
  else
    [[ $line =~ ^\[[0-9-]+\ [0-9:.]+\]\ \[info\]\ [0-9]+\ transfers ]] && pass ||
      fail "($launch): the end-of-run line has more than the time and the level before the message: $line"
  fi
done
finish
