#!/usr/bin/env bash
# --rejected-columns traced: after the five columns of the plain rejected file, the transactions file (as
# given on the command line) and physical line of each rejected row, then every extra column of the
# transactions headers by name, in order of first appearance, empty where a file lacks it. Two files with
# different extra columns in different orders; the first with CRLF line ends, blank lines, and quoted
# fields holding line breaks (one before a rejected row, one inside a rejected row); the second with a
# comma in its path, a blank line and no final newline. The traced file is compared byte for byte with
# one written by hand, at np 1-4 with the parallel ingest (shares of a few rows each, so the lines are
# counted across share boundaries) and at np 1 and 3 with --ingest root. The default rejected file must
# stay the contract's five columns, also by hand; the option without --rejected, or with a bad value, is a
# bad command line.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
mkdir in

printf 'accountNumber,country,balance\nA1,FR,100\nA2,FR,50\nB1,DE,70\nB2,DE,0\n' >accounts.csv
# Lines: 1 header, 2 accepted, 3 blank, 4-5 accepted (a quoted line break), 6 rejected, 7 rejected (a
# date with spaces around it, a memo with a comma), 8 rejected, 9-10 blank, 11-12 rejected (quoted id and
# a memo with a CRLF line break inside), 13 accepted.
printf '%s\r\n' \
  'id,date,fromAccountNumber,transferAmount,toAccountNumber,memo' \
  't1,2024-03-01T09:00:00Z,A1,10,A2,rent' \
  '' \
  't2,2024-03-01T09:05:00Z,A1,20,A2,"paid in' \
  'two parts"' \
  't3,2024-03-01T09:10:00Z,A2,500,A1,too much' \
  't4, 2024-03-01T09:15:00Z ,A1,5,B1,"cross, border"' \
  't5,2024-03-01T09:20:00Z,X9,1,A1,' \
  '' \
  '' \
  '"t,6",2024-03-01T09:25:00Z,B1,0,B2,"zero' \
  'amount"' \
  't7,2024-03-01T09:30:00Z,B1,30,B2,ok' >in/day1.csv
# Other extra columns, in another order: channel is new, id is day1's.
printf '%s\n' \
  'channel,toAccountNumber,transferAmount,date,fromAccountNumber,id' \
  'web,A1,5,2024-03-01T08:00:00Z,A1,u1' \
  'branch,B2,100,2024-03-01T09:10:00Z,B1,u2' \
  '' \
  '"",A2,1.5,2024-03-02,A1,u3' >"in/day 2, late.csv"
printf 'app,Z1,2,2024-02-29T23:59:59Z,A1,u4' >>"in/day 2, late.csv"
IN=(--accounts accounts.csv --transactions in/day1.csv --transactions "in/day 2, late.csv" --log-level warn)

{
  printf '%s\n' \
    'date,fromAccountNumber,transferAmount,toAccountNumber,reason,file,line,id,memo,channel' \
    '2024-02-29T23:59:59Z,A1,2,Z1,unknown_account,"in/day 2, late.csv",6,u4,,app' \
    '2024-03-01T08:00:00Z,A1,5,A1,same_account,"in/day 2, late.csv",2,u1,,web' \
    '2024-03-01T09:10:00Z,A2,500,A1,insufficient_funds,in/day1.csv,6,t3,too much,' \
    '2024-03-01T09:10:00Z,B1,100,B2,insufficient_funds,"in/day 2, late.csv",3,u2,,branch' \
    '2024-03-01T09:15:00Z,A1,5,B1,cross_country,in/day1.csv,7,t4,"cross, border",' \
    '2024-03-01T09:20:00Z,X9,1,A1,unknown_account,in/day1.csv,8,t5,,'
  printf '2024-03-01T09:25:00Z,B1,0,B2,invalid_amount,in/day1.csv,11,"t,6","zero\r\namount",\n'
} >expected-traced.csv
printf '%s\n' \
  'date,fromAccountNumber,transferAmount,toAccountNumber,reason' \
  '2024-02-29T23:59:59Z,A1,2,Z1,unknown_account' \
  '2024-03-01T08:00:00Z,A1,5,A1,same_account' \
  '2024-03-01T09:10:00Z,A2,500,A1,insufficient_funds' \
  '2024-03-01T09:10:00Z,B1,100,B2,insufficient_funds' \
  '2024-03-01T09:15:00Z,A1,5,B1,cross_country' \
  '2024-03-01T09:20:00Z,X9,1,A1,unknown_account' \
  '2024-03-01T09:25:00Z,B1,0,B2,invalid_amount' >expected-plain.csv
printf 'accountNumber,country,balance\nA1,FR,68.5\nA2,FR,81.5\nB1,DE,40.0\nB2,DE,30.0\n' >expected-balances.csv

for run in "parallel 1" "parallel 2" "parallel 3" "parallel 4" "root 1" "root 3"; do
  mode="${run% *}" n="${run#* }"
  out="$mode-$n"
  if ledger_np "$n" "${IN[@]}" --ingest "$mode" --output "$out-balances.csv" --rejected "$out-traced.csv" \
    --rejected-columns traced; then
    expect_same_file expected-traced.csv "$out-traced.csv" "np $n $mode traced rejected"
    expect_same_file expected-balances.csv "$out-balances.csv" "np $n $mode balances"
  else
    fail "np $n $mode traced: exit non-zero"
  fi
  # The default, and plain said outright, are the contract's five columns.
  for plain in "" "--rejected-columns plain"; do
    # shellcheck disable=SC2086  # $plain is zero or two words
    if ledger_np "$n" "${IN[@]}" --ingest "$mode" --output "$out-balances.csv" --rejected "$out-plain.csv" $plain; then
      expect_same_file expected-plain.csv "$out-plain.csv" "np $n $mode rejected ${plain:-by default}"
    else
      fail "np $n $mode ${plain:-default}: exit non-zero"
    fi
  done
done

# A generated day in two files, reshaped: file 1 gets CRLF, a `ref` column whose every seventh value is
# quoted and holds a line break, and a blank line every thirteenth row; file 2 gets `ref` first. Shares of
# ~250 KiB hold thousands of rows each. Every traced row must name the file and line where a row with its
# values starts (read back with Python's csv module), its first five columns must be the plain file's,
# and the bytes must be the same at every rank count and with either ingest.
"$LEDGER_GEN" --out-dir gen --accounts 300 --countries 5 --transactions 20000 --files 2 --string-ids \
  --unknown 0.02 --self 0.01 --invalid-amount 0.01 --cross-country 0.02 --seed 5 >/dev/null
python3 - gen/transactions-1.csv gen/transactions-2.csv <<'PY'
import sys
first, second = (open(p, newline="").read().splitlines() for p in sys.argv[1:3])
with open(sys.argv[1], "w", newline="") as out:
    out.write(first[0] + ",ref\r\n")
    for i, row in enumerate(first[1:]):
        out.write(row + (f',"r{i}\r\nnote"' if i % 7 == 0 else f",r{i}") + "\r\n" + ("\r\n" if i % 13 == 0 else ""))
with open(sys.argv[2], "w", newline="") as out:
    out.write("ref," + second[0] + "\n")
    for i, row in enumerate(second[1:]):
        out.write(f"s{i}," + row + "\n")
PY
GEN=(--accounts gen/accounts.csv --transactions gen/transactions-1.csv --transactions gen/transactions-2.csv --log-level warn)
ledger_np 1 "${GEN[@]}" --ingest root --output gen-balances.csv --rejected gen-plain.csv || fail "gen: plain run failed"
ledger_np 1 "${GEN[@]}" --ingest root --output gen-balances.csv --rejected gen-traced.csv --rejected-columns traced \
  || fail "gen: traced run failed"
python3 - gen-plain.csv gen-traced.csv <<'PY' && pass || fail "gen: a traced row does not point at its row"
import csv, io, sys
plain = list(csv.reader(open(sys.argv[1], newline="")))
traced = list(csv.reader(open(sys.argv[2], newline="")))
assert traced[0] == plain[0] + ["file", "line", "ref"], traced[0]
assert len(traced) == len(plain) > 1000, (len(traced), len(plain))
lines = {}
for want, row in zip(plain[1:], traced[1:]):
    assert row[:5] == want, (row, want)
    path, line = row[5], int(row[6])
    if path not in lines:
        lines[path] = open(path, newline="").read().split("\n")
    header = next(csv.reader(io.StringIO(lines[path][0] + "\n", newline="")))
    text = "\n".join(lines[path][line - 1 : line + 2])
    source = dict(zip(header, next(csv.reader(io.StringIO(text, newline="")))))
    got = [source[c] for c in ("date", "fromAccountNumber", "transferAmount", "toAccountNumber", "ref")]
    assert got == row[:4] + [row[7]], (path, line, got, row)
PY
for run in "parallel 1" "parallel 2" "parallel 3" "parallel 4" "root 3"; do
  mode="${run% *}" n="${run#* }"
  if ledger_np "$n" "${GEN[@]}" --ingest "$mode" --output gen-balances.csv --rejected "gen-$mode-$n.csv" \
    --rejected-columns traced; then
    expect_same_file gen-traced.csv "gen-$mode-$n.csv" "gen: np $n $mode traced rejected"
  else
    fail "gen: np $n $mode traced: exit non-zero"
  fi
done

expect_usage() {  # WHAT ARGS...
  local what="$1" got=0
  shift
  "$LEDGER_BIN" "${IN[@]}" --output x.csv "$@" >/dev/null 2>stderr.txt || got=$?
  [ "$got" -eq 2 ] && grep -q -- '--rejected-columns' stderr.txt && pass ||
    { fail "$what: exit $got, expected 2 naming --rejected-columns"; cat stderr.txt >&2; }
}
expect_usage "traced without --rejected" --rejected-columns traced
expect_usage "a bad value" --rejected x.csv --rejected-columns wide
[ ! -e x.csv ] && pass || fail "a bad command line wrote the balances"
finish
