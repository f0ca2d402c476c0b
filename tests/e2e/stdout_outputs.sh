#!/usr/bin/env bash
# Outputs that are streams, not files: `-` is stdout, and a path that is stdout (a link to
# /proc/self/fd/1), a FIFO or a device is written through and never replaced. The case that broke: stdout
# a regular file (`ledger ... --output /dev/stdout > out`), where the rename turned the link into a file
# and the balances went nowhere. Only PRIVATE links to /proc/self/fd/1 are used here, never /dev/stdout
# itself, which a broken run would replace for the whole machine. Each case runs without mpirun and under
# mpirun at np 1 and np 2 (rank 0 writes the outputs), and checks the bytes on stdout against a run that
# wrote ordinary files, that the link is still a link, and that no temporary file is left behind.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

printf 'accountNumber,country,balance\n1,NL,100\n2,NL,50\n3,DE,10\n4,DE,0\n' >accounts.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,1,30.5,2\n2024-01-02,2,500,1\n2024-01-03,3,4,4\n2024-01-04,9,1,1\n' >transactions.csv
IN=(--accounts accounts.csv --transactions transactions.csv --log-level warn)
"$LEDGER_BIN" "${IN[@]}" --output expected.csv --rejected expected-rejected.csv 2>/dev/null || fail "the reference run failed"
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-05,1,x,2\n' >bad-row.csv
expected_quarantine=$'file,line,error,row\nbad-row.csv,2,transferAmount \'x\': not a decimal number; expected digits with an optional sign and \'.\' like -1234.50,"2024-01-05,1,x,2"'
ln -s /proc/self/fd/1 stdout-link
mkdir -p links && ln -s ../stdout-link links/chained  # a link to the link

# run LAUNCH ARGS...: the job without mpirun (LAUNCH "direct") or under it at np N (LAUNCH N).
run() {
  local launch="$1"
  shift
  if [ "$launch" = direct ]; then "$LEDGER_BIN" "$@"; else ledger_np "$launch" "$@"; fi
}

no_leftovers() {  # WHAT
  if find . -name '*ledger-tmp*' | grep -q .; then fail "$1: a temporary file was left behind"; else pass; fi
  [ ! -e ./- ] && pass || { fail "$1: a file named '-' was written"; rm -f ./-; }
  [ -L stdout-link ] && [ "$(readlink stdout-link)" = /proc/self/fd/1 ] && pass || fail "$1: stdout-link is no longer the link"
}

# expect_stdout WHAT EXPECTED_FILE LAUNCH ARGS...: exit 0 and stdout (a regular file here) is EXPECTED_FILE.
expect_stdout() {
  local what="$1" expected="$2" launch="$3"
  shift 3
  local got=0
  run "$launch" "${IN[@]}" "$@" >captured.txt 2>stderr.txt || got=$?
  [ "$got" -eq 0 ] && pass || { fail "$what: exit $got"; cat stderr.txt >&2; }
  expect_same_file "$expected" captured.txt "$what"
  no_leftovers "$what"
}

for launch in direct 1 2; do
  at="($launch)"
  expect_stdout "--output - $at" expected.csv "$launch" --output -
  expect_stdout "--output stdout-link $at" expected.csv "$launch" --output stdout-link
  expect_stdout "--output links/chained $at" expected.csv "$launch" --output links/chained
  expect_stdout "--rejected - $at" expected-rejected.csv "$launch" --output out.csv --rejected -
  expect_same_file expected.csv out.csv "--rejected - $at: the balances beside it"

  # Through a pipe too, and appended to a file the shell opened for appending (not truncated).
  got=0
  run "$launch" "${IN[@]}" --output stdout-link 2>stderr.txt | cat >piped.txt || got=$?
  [ "$got" -eq 0 ] && pass || fail "pipe $at: exit $got"
  expect_same_file expected.csv piped.txt "pipe $at"
  printf 'earlier line\n' >appended.txt
  run "$launch" "${IN[@]}" --output stdout-link >>appended.txt 2>stderr.txt || fail "append $at: exit non-zero"
  { printf 'earlier line\n'; cat expected.csv; } >expected-appended.txt
  expect_same_file expected-appended.txt appended.txt "append $at"

  # The report on stdout is the run's JSON; the balances beside it in a file.
  run "$launch" "${IN[@]}" --output out.csv --report - >report.txt 2>stderr.txt || fail "--report - $at: exit non-zero"
  python3 -c "import json, sys; r = json.load(open('report.txt')); sys.exit(0 if r['status'] == 'ok' and r['counts']['accounts'] == 4 else 1)" &&
    pass || { fail "--report - $at: stdout is not the run's report"; head -c 400 report.txt >&2; }

  # The metrics and the quarantine go to stdout too.
  run "$launch" "${IN[@]}" --output out.csv --metrics-file - >metrics.txt 2>stderr.txt || fail "--metrics-file - $at: exit non-zero"
  grep -qx 'ledger_last_run_success 1' metrics.txt && pass || { fail "--metrics-file - $at: stdout is not the metrics"; head -5 metrics.txt >&2; }
  run "$launch" "${IN[@]}" --transactions bad-row.csv --output out.csv --on-bad-row skip --quarantine - >quarantine.txt 2>stderr.txt ||
    fail "--quarantine - $at: exit non-zero"
  [ "$(cat quarantine.txt)" = "$expected_quarantine" ] && pass || { fail "--quarantine - $at: stdout"; cat quarantine.txt >&2; }
  no_leftovers "--quarantine - $at"

  # A FIFO is written through: the reader gets the balances, and the FIFO is still a FIFO.
  rm -f balances.fifo && mkfifo balances.fifo
  cat balances.fifo >from-fifo.txt &
  reader=$!
  run "$launch" "${IN[@]}" --output balances.fifo >/dev/null 2>stderr.txt || fail "FIFO $at: exit non-zero"
  wait "$reader" || fail "FIFO $at: the reader failed"
  expect_same_file expected.csv from-fifo.txt "FIFO $at"
  [ -p balances.fifo ] && pass || fail "FIFO $at: balances.fifo is no longer a FIFO"
  no_leftovers "FIFO $at"

  # Two outputs on one stdout would run together: refused as a bad command line, before any work.
  got=0
  run "$launch" "${IN[@]}" --output - --report - >captured.txt 2>stderr.txt || got=$?
  [ "$got" -eq 2 ] && pass || fail "two outputs on - $at: exit $got, expected 2"
  [ "$(cat stderr.txt)" = "ledger: error: only one output may be '-' (stdout): --output and --report both are (see ledger --help)" ] &&
    pass || { fail "two outputs on - $at: stderr"; cat stderr.txt >&2; }
  [ ! -s captured.txt ] && pass || fail "two outputs on - $at: something was written to stdout"
done

# An input cannot be stdin: each is mapped and read in parts by several ranks.
got=0
"$LEDGER_BIN" --accounts accounts.csv --transactions - --output out.csv </dev/null 2>stderr.txt || got=$?
[ "$got" -eq 2 ] && pass || fail "--transactions -: exit $got, expected 2"
grep -qF "ledger: error: --transactions cannot read stdin ('-'): give the path of a file" stderr.txt && pass ||
  { fail "--transactions -: stderr"; cat stderr.txt >&2; }
finish
