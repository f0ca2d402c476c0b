#!/usr/bin/env bash
# Bad input and bad command lines, at 1 and 2 ranks with both ingest strategies: the spec's exit code,
# exactly one line on stderr that names the problem, no output file created, and an older output left
# untouched. Then the skip policy: bad rows go to the quarantine verbatim and the run goes on.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

printf 'accountNumber,country,balance\n1,NL,100\n2,NL,50\n3,DE,10\n' >accounts.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,1,30,2\n2024-01-02,2,5,1\n' >good.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,1,30,2\n2024-02-30,2,5,1\n2024-01-03,1,5.,2\n' >bad-date.csv
printf 'date,fromAccountNumber,amount,toAccountNumber\n2024-01-01,1,30,2\n' >missing-column.csv
printf 'accountNumber,country,balance\n1,NL,100\n2,NL,50\n1,DE,10\n' >duplicate.csv
printf 'date,from"AccountNumber,transferAmount,toAccountNumber\n2024-01-01,1,30,2\n' >bad-header.csv
printf 'accountNumber,country,balance\n1,NL,170141183460469231731687303715884105727\n2,NL,1\n' >near-max.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,2,1,1\n' >overflow.csv
: >empty.csv
mkdir -p a-directory
mkfifo a-fifo.csv  # never written: a run that tried to read it would hang, not fail
# Record positions keep a file's byte offsets in 40 bits (include/ledger/records.hpp): one byte too many.
# Sparse, so it takes no disk space.
cp good.csv one-tib.csv && truncate -s 1T one-tib.csv
many_files=()
for _ in $(seq 2049); do many_files+=(--transactions good.csv); done

# case NAME EXPECTED_EXIT PATTERN -- ARGS...: runs at np 1 (parallel ingest) and np 2 (both ingests):
# the error paths of the two ingests differ, and np 2 shows that only one rank speaks.
case_() {
  local name="$1" want="$2" pattern="$3"
  shift 4
  for run in "parallel 1" "root 2" "parallel 2"; do
    local mode="${run% *}" n="${run#* }"
    {
      rm -f out.csv
      local got=0
      ledger_np "$n" "$@" --ingest "$mode" >stdout.txt 2>stderr.txt || got=$?
      local what="$name (np $n, $mode)"
      [ "$got" -eq "$want" ] && pass || fail "$what: exit $got, expected $want"
      local lines
      lines=$(wc -l <stderr.txt)
      [ "$lines" -eq 1 ] && pass || { fail "$what: $lines lines on stderr, expected 1"; cat stderr.txt >&2; }
      grep -qE -- "$pattern" stderr.txt && pass || { fail "$what: stderr does not match /$pattern/"; cat stderr.txt >&2; }
      [ ! -e out.csv ] && pass || fail "$what: out.csv was created"
      ls -A | grep -q 'ledger-tmp' && fail "$what: a temporary file was left behind" || pass
    }
  done
}

A=(--accounts accounts.csv)
case_ "first bad row stops the run" 3 "bad-date.csv:3: date '2024-02-30': day out of range \(2024-02-30,2,5,1\)" -- \
  "${A[@]}" --transactions bad-date.csv --output out.csv
case_ "missing input" 4 "cannot read input 'nope.csv'" -- "${A[@]}" --transactions nope.csv --output out.csv
case_ "input is a directory" 4 "a-directory.*directory" -- "${A[@]}" --transactions a-directory --output out.csv
case_ "input is a named pipe" 4 "cannot read input 'a-fifo.csv': not a regular file" -- \
  "${A[@]}" --transactions a-fifo.csv --output out.csv
case_ "accounts from a named pipe" 4 "cannot read input 'a-fifo.csv': not a regular file" -- \
  --accounts a-fifo.csv --transactions good.csv --output out.csv
case_ "a file name with a line feed, shown escaped" 4 "cannot read input 'no\\\\x0afile.csv': No such file" -- \
  "${A[@]}" --transactions $'no\nfile.csv' --output out.csv
case_ "missing column" 3 "missing-column.csv:1: missing required column 'transferAmount' in the header \(date,fromAccountNumber,amount,toAccountNumber\)$" -- \
  "${A[@]}" --transactions missing-column.csv --output out.csv
case_ "a malformed header" 3 "bad-header.csv:1: bad header: .* \(date,from\"AccountNumber,transferAmount,toAccountNumber\)$" -- \
  "${A[@]}" --transactions bad-header.csv --output out.csv
case_ "empty transactions file" 3 "empty.csv" -- "${A[@]}" --transactions empty.csv --output out.csv
case_ "duplicate account names both lines" 3 "duplicate.csv:4: duplicate account '1', first defined at line 2" -- \
  --accounts duplicate.csv --transactions good.csv --output out.csv
case_ "receiver balance overflow" 3 "overflow.csv:2: .*overflow" -- \
  --accounts near-max.csv --transactions overflow.csv --output out.csv
case_ "output is a directory" 4 "a-directory.*directory" -- "${A[@]}" --transactions good.csv --output a-directory
case_ "output directory missing" 4 "no-such-dir" -- "${A[@]}" --transactions good.csv --output no-such-dir/out.csv
case_ "unknown option" 2 "unrecognised option '--bogus'" -- "${A[@]}" --transactions good.csv --output out.csv --bogus
case_ "missing --output" 2 "missing required option --output" -- "${A[@]}" --transactions good.csv
case_ "quarantine without skip" 2 "quarantine needs --on-bad-row skip" -- \
  "${A[@]}" --transactions good.csv --output out.csv --quarantine q.csv
case_ "bad --on-bad-row" 2 "on-bad-row must be fail\|skip" -- "${A[@]}" --transactions good.csv --output out.csv --on-bad-row maybe
case_ "a second file without its own --transactions" 2 "unexpected argument 'bad-date.csv' \(each transactions file needs its own --transactions\)" -- \
  "${A[@]}" --transactions good.csv bad-date.csv --output out.csv
case_ "an abbreviated option" 2 "unrecognised option '--out'" -- "${A[@]}" --transactions good.csv --out out.csv
case_ "an empty --report" 2 "--report must not be empty" -- "${A[@]}" --transactions good.csv --output out.csv --report ''
case_ "the report at the output's path" 2 "--report 'out.csv' is the same file as --output 'out.csv'" -- \
  "${A[@]}" --transactions good.csv --output out.csv --report out.csv
case_ "the rejected file at the output's path, spelled otherwise" 2 "--rejected './out.csv' is the same file as --output 'out.csv'" -- \
  "${A[@]}" --transactions good.csv --output out.csv --rejected ./out.csv
case_ "the output over a transactions file" 2 "--output 'good.csv' is the same file as --transactions 'good.csv'" -- \
  "${A[@]}" --transactions good.csv --output good.csv
case_ "a transactions file of 1 TiB" 3 "one-tib.csv: a transactions file must be smaller than 1 TiB" -- \
  "${A[@]}" --transactions good.csv --transactions one-tib.csv --output out.csv
case_ "2049 transactions files" 2 "transactions may be given at most 2048 times" -- \
  "${A[@]}" "${many_files[@]}" --output out.csv

# A bad command line that names a report still gets one, saying it failed; a clash of paths does not
# (the report's own path may be the one in question).
rm -f report.json
ledger_np 2 "${A[@]}" --transactions good.csv --output out.csv --report report.json --on-bad-row maybe 2>/dev/null &&
  fail "a bad --on-bad-row accepted" || pass
python3 -c "
import json, sys
r = json.load(open('report.json'))
sys.exit(0 if r['status'] == 'failed' and r['exit_code'] == 2 and 'on-bad-row must be fail|skip' in r['error'] else 1)" &&
  pass || fail "no failed report for a bad command line"
echo yesterday >clash.json
ledger_np 1 "${A[@]}" --transactions good.csv --output clash.json --report clash.json 2>/dev/null && fail "a clash accepted" || pass
[ "$(cat clash.json)" = yesterday ] && pass || fail "a report was written over the output it clashed with"
ledger_np 1 "${A[@]}" --transactions good.csv --output clash.json --report clash.json --ingest sideways 2>/dev/null &&
  fail "a bad --ingest accepted" || pass
[ "$(cat clash.json)" = yesterday ] && pass || fail "a bad command line's report was written over the output"

# The balances may replace the accounts file they came from: a day rolled forward in place.
cp accounts.csv rolled.csv
ledger_np 2 --accounts rolled.csv --transactions good.csv --output rolled.csv --log-level error &&
  pass || fail "the balances over their own accounts file refused"
[ "$(cat rolled.csv)" = $'accountNumber,country,balance\n1,NL,75\n2,NL,75\n3,DE,10' ] && pass ||
  { fail "rolled forward in place"; cat rolled.csv >&2; }
case_ "the rejected file over the accounts file" 2 "--rejected 'accounts.csv' is the same file as --accounts 'accounts.csv'" -- \
  "${A[@]}" --transactions good.csv --output out.csv --rejected accounts.csv

# Outputs that are devices are written directly, so several may share one.
ledger_np 2 "${A[@]}" --transactions good.csv --output /dev/null --rejected /dev/null --log-level error &&
  pass || fail "two outputs to /dev/null refused"

# A failed run leaves an older output exactly as it was.
echo "yesterday" >out-old.csv
ledger_np 2 "${A[@]}" --transactions bad-date.csv --output out-old.csv 2>/dev/null && fail "bad input accepted" || pass
[ "$(cat out-old.csv)" = "yesterday" ] && pass || fail "old output was changed by a failed run"

# A full disk is an I/O error, not a success.
got=0
ledger_np 1 "${A[@]}" --transactions good.csv --output /dev/full 2>stderr.txt || got=$?
[ "$got" -eq 4 ] && pass || fail "/dev/full: exit $got, expected 4"

# Skip: every bad row is quarantined verbatim with its line, and the good rows are replayed.
for mode in root parallel; do
  for n in 1 3; do
    rm -f out.csv q.csv
    ledger_np "$n" "${A[@]}" --transactions bad-date.csv --output out.csv --on-bad-row skip --quarantine q.csv \
      --ingest "$mode" --log-level error || fail "skip run failed (np $n $mode)"
    expected_q=$'file,line,error,row\nbad-date.csv,3,date \'2024-02-30\': day out of range,"2024-02-30,2,5,1"\n'
    expected_q+=$'bad-date.csv,4,transferAmount \'5.\': no digits after the decimal point; expected digits with an optional '
    expected_q+=$'sign and \'.\' like -1234.50,"2024-01-03,1,5.,2"'
    [ "$(cat q.csv)" = "$expected_q" ] && pass || { fail "quarantine (np $n $mode)"; cat q.csv >&2; }
    [ "$(cat out.csv)" = $'accountNumber,country,balance\n1,NL,70\n2,NL,80\n3,DE,10' ] && pass || fail "skip balances (np $n $mode)"
  done
done
# Skipped rows with nowhere to go are not dropped silently.
ledger_np 2 "${A[@]}" --transactions bad-date.csv --output out.csv --on-bad-row skip --log-level warn 2>stderr.txt ||
  fail "skip run without a quarantine failed"
grep -q "warn.*2 bad rows skipped and not saved: give --quarantine PATH to keep them" stderr.txt && pass ||
  { fail "no warning that skipped rows were not saved"; cat stderr.txt >&2; }
finish
