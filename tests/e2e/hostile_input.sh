#!/usr/bin/env bash
# Hostile and broken input, as a careless exporter or an attacker would produce it. Each failing case
# checks the spec's exit code, exactly one line on stderr that names the problem (and stays readable:
# no megabyte of garbage echoed back), nothing on stdout, no output file created at np 1, an older output
# left byte for byte as it was at np 2, and no temporary file left behind. Each valid case checks exit 0,
# a silent stderr at --log-level error, and output byte-identical to the Python reference.
# Cases: binary garbage, a NUL byte, a 10 MB line, a header only (valid), an empty accounts file, a
# file that ends inside a quoted field (fail and skip, with the open quote spanning the parallel ingest's
# cut), quotes/commas/newlines inside fields (valid), 64-byte ids (valid) and 65-byte ids, 18 (valid)
# and 19 fraction digits, balances at the 128-bit limits (exact, and amount_moved reported unknown
# rather than wrapped) and just past them after rescaling (exit 3), years 0000/9999 (valid) and
# 10000, month 13, an accounts path that is a directory, a --rejected path that is a directory, a full
# disk for --output and for --rejected (the balances must not appear either), and one million bad rows
# under --on-bad-row skip (all in the quarantine in line order, counted in the report).
# Every case runs at np 1 (parallel ingest); those where the ingests take different paths (rows found bad
# by ranks parsing in parallel, a quoted field across a cut, errors known only by a transfer's position)
# also at np 2 with both ingests, which also shows that only one rank speaks.
# Not repeated here: what bad_input.sh already checks (empty transactions file, a transactions path or
# --output that is a directory, receiver overflow, bad options).
source "$(dirname "$0")/lib.sh"
cd "$WORK"

EVERY="parallel:1 root:2 parallel:2"
ONE="parallel:1"

# printable_text FILE: the file is UTF-8 with no control character but its final line feed, and none of
# the invisible characters that can reorder or break a line on a terminal (what one_line escapes).
printable_text() {
  python3 -c "
import sys
try:
    text = open(sys.argv[1], 'rb').read().decode('utf-8').rstrip('\n')
except UnicodeDecodeError:
    sys.exit(1)
bad = lambda c: ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or 0x2028 <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069
sys.exit(1 if any(bad(c) for c in text) else 0)" "$1"
}

no_temporaries() {  # WHAT
  if find . -name '*ledger-tmp*' | grep -q .; then fail "$1: a temporary file was left behind"; else pass; fi
}

# expect_fail NAME EXIT PATTERN RUNS -- ARGS...: ARGS write their balances to out.csv.
expect_fail() {
  local name="$1" want="$2" pattern="$3" runs="$4"
  shift 5
  local run
  for run in $runs; do
    local mode="${run%:*}" n="${run#*:}" got=0
    local what="$name (np $n, $mode)"
    rm -f out.csv
    [ "$n" -gt 1 ] && printf 'yesterday\n' >out.csv
    ledger_np "$n" "$@" --ingest "$mode" >stdout.txt 2>stderr.txt || got=$?
    [ "$got" -eq "$want" ] && pass || fail "$what: exit $got, expected $want"
    local lines
    lines=$(wc -l <stderr.txt)
    [ "$lines" -eq 1 ] && pass || { fail "$what: $lines lines on stderr, expected 1"; head -c 2000 stderr.txt >&2; }
    grep -qE -- "$pattern" stderr.txt && pass || { fail "$what: stderr does not match /$pattern/"; head -c 2000 stderr.txt >&2; }
    [ "$(wc -c <stderr.txt)" -le 600 ] && pass || fail "$what: the message is $(wc -c <stderr.txt) bytes long"
    printable_text stderr.txt && pass || { fail "$what: the message holds bytes that are not printable UTF-8"; od -c stderr.txt | head -20 >&2; }
    [ ! -s stdout.txt ] && pass || fail "$what: something was written to stdout"
    if [ "$n" -eq 1 ]; then
      [ ! -e out.csv ] && pass || fail "$what: out.csv was created"
    else
      [ "$(cat out.csv)" = yesterday ] && pass || fail "$what: the older out.csv was changed"
    fi
    no_temporaries "$what"
  done
}

# expect_reference NAME RUNS ACCOUNTS TRANSACTIONS: exit 0, silent, balances and rejected as the reference's.
expect_reference() {
  local name="$1" runs="$2" accounts="$3" transactions="$4"
  if ! $REFERENCE --accounts "$accounts" --transactions "$transactions" --output expected.csv \
    --rejected expected-rejected.csv 2>reference-stderr.txt; then
    fail "$name: the reference refused the input: $(cat reference-stderr.txt)"
    return
  fi
  local run
  for run in $runs; do
    local mode="${run%:*}" n="${run#*:}" got=0
    local what="$name (np $n, $mode)"
    rm -f out.csv rejected.csv
    ledger_np "$n" --accounts "$accounts" --transactions "$transactions" --output out.csv --rejected rejected.csv \
      --report report.json --ingest "$mode" --log-level error >stdout.txt 2>stderr.txt || got=$?
    [ "$got" -eq 0 ] && pass || { fail "$what: exit $got"; cat stderr.txt >&2; continue; }
    [ ! -s stderr.txt ] && pass || { fail "$what: stderr is not empty"; head -c 2000 stderr.txt >&2; }
    expect_same_file expected.csv out.csv "$what balances"
    expect_same_file expected-rejected.csv rejected.csv "$what rejected"
  done
}

A=(--accounts accounts.csv)
printf 'accountNumber,country,balance\n1,NL,100\n2,NL,50\n3,DE,10\n' >accounts.csv
HEADER='date,fromAccountNumber,transferAmount,toAccountNumber'

# --- a compressed, UTF-16 or not comma-separated file is named for what it looks like, with what to do.
printf '%s\n' "$HEADER" >header-only.csv
gzip -c accounts.csv >accounts.csv.gz
expect_fail "gzip accounts" 3 "^ledger: error: accounts\.csv\.gz:1: the file looks gzip-compressed \(it starts with bytes 1f 8b\); decompress it first \(gunzip\)$" \
  "$ONE" -- --accounts accounts.csv.gz --transactions header-only.csv --output out.csv
printf '%s\n2024-01-01,1,30,2\n' "$HEADER" | gzip -c >transactions.csv.gz
expect_fail "gzip transactions" 3 "^ledger: error: transactions\.csv\.gz:1: the file looks gzip-compressed" "$EVERY" -- \
  "${A[@]}" --transactions transactions.csv.gz --output out.csv
# The other formats by their first bytes (their tools need not be installed for this).
printf '\x28\xb5\x2f\xfd\x24\x00\x01\x00\x00' >zstd.csv
printf 'BZh91AY&SY\x00\x01\xff' >bzip2.csv
printf '\xfd7zXZ\x00\x00\x04\xe6' >xz.csv
printf 'PK\x03\x04\x14\x00\x00\x00' >zip.csv
printf '\xff\xfed\x00a\x00t\x00e\x00\n\x00' >utf16.csv
for format in "zstd:zstd-compressed" "bzip2:bzip2-compressed" "xz:xz-compressed" "zip:like a zip archive" "utf16:UTF-16 encoded"; do
  expect_fail "${format%%:*} transactions" 3 "^ledger: error: ${format%%:*}\.csv:1: the file looks ${format#*:} \(it starts with bytes [0-9a-f ]+\); [a-z]" \
    "$ONE" -- "${A[@]}" --transactions "${format%%:*}.csv" --output out.csv
done
printf 'accountNumber;country;balance\n1;NL;100\n' >semicolons.csv
expect_fail "semicolon-separated accounts" 3 \
  "^ledger: error: semicolons\.csv:1: the header looks semicolon \(;\)-separated, but ledger reads comma-separated CSV only; export or convert the file with commas between fields \(accountNumber;country;balance\)$" \
  "$ONE" -- --accounts semicolons.csv --transactions header-only.csv --output out.csv
printf 'date\tfromAccountNumber\ttransferAmount\ttoAccountNumber\r\n2024-01-01\t1\t30\t2\r\n' >tabs.csv
expect_fail "tab-separated transactions" 3 "^ledger: error: tabs\.csv:1: the header looks tab-separated, .* \(date\\\\x09fromAccountNumber" \
  "$EVERY" -- "${A[@]}" --transactions tabs.csv --output out.csv

# --- binary garbage: a whole file of it, and garbage rows under a good header.
python3 -c "
import random, sys
random.seed(7)
sys.stdout.buffer.write(bytes(random.getrandbits(8) for _ in range(65536)))" >garbage.csv
expect_fail "binary garbage" 3 "^ledger: error: garbage\.csv:1: " "$ONE" -- "${A[@]}" --transactions garbage.csv --output out.csv
{ printf '%s\n2024-01-01,1,30,2\n' "$HEADER"; head -c 4096 garbage.csv; } >garbage-rows.csv
expect_fail "garbage rows" 3 "^ledger: error: garbage-rows\.csv:3: " "$ONE" -- "${A[@]}" --transactions garbage-rows.csv --output out.csv

# --- a NUL byte inside a row (shown escaped, not cutting the message short).
printf '%s\n2024-01-01,1,30,2\n2024-01-02,1,3\0000,2\n' "$HEADER" >nul.csv
expect_fail "NUL byte" 3 "nul\.csv:3: NUL byte in the row \(2024-01-02,1,3\\\\x000,2\)" "$EVERY" -- \
  "${A[@]}" --transactions nul.csv --output out.csv

# --- a 10 MB line: refused by the row bound, and the message is an excerpt.
python3 -c "
import sys
sys.stdout.write('$HEADER\n2024-01-01,1,30,2\n2024-01-01,1,' + '9' * (10 * 1024 * 1024) + ',2\n2024-01-02,2,1,1\n')" >long-line.csv
expect_fail "10 MB line" 3 "long-line\.csv:3: row longer than 1048576 bytes .*\(10485775 bytes\)" "$ONE" -- \
  "${A[@]}" --transactions long-line.csv --output out.csv

# --- a header only: valid, nothing to replay, balances as opened.
printf '%s\n' "$HEADER" >header-only.csv
expect_reference "header only" "parallel:1 parallel:2" accounts.csv header-only.csv
[ "$(cat out.csv)" = "$(cat accounts.csv)" ] && pass || fail "header only: balances are not the opening balances"

# --- an empty accounts file.
: >empty-accounts.csv
expect_fail "empty accounts file" 3 "empty-accounts\.csv: empty file, expected a header line" "$ONE" -- \
  --accounts empty-accounts.csv --transactions header-only.csv --output out.csv

# --- a file that ends inside a quoted field. The quote opens in the first half, so the parallel ingest's
# cut falls inside it at np 2 and must be repaired to give the same answer as one sequential read.
{
  printf '%s\n2024-01-01,1,30,2\n2024-01-02,"1,3,2\n' "$HEADER"
  for i in $(seq 1 40); do printf '2024-01-03,2,%d,1\n' "$i"; done
} >mid-row.csv
expect_fail "ends inside a quoted field" 3 "mid-row\.csv:3: quoted field is not closed before the end of the file" \
  "$EVERY" -- "${A[@]}" --transactions mid-row.csv --output out.csv
for run in parallel:1 parallel:2 root:2; do
  mode="${run%:*}" n="${run#*:}"
  rm -f out.csv q.csv
  if ledger_np "$n" "${A[@]}" --transactions mid-row.csv --output out.csv --on-bad-row skip --quarantine q.csv \
    --ingest "$mode" --log-level error 2>stderr.txt; then
    [ "$(sed -n 2p q.csv | cut -d, -f1-3)" = "mid-row.csv,3,quoted field is not closed before the end of the file" ] &&
      pass || { fail "mid-row skip (np $n $mode): quarantine"; head -3 q.csv >&2; }
    # The open quote swallows the rest of the file: one bad row, one good transfer (1 -> 2, 30).
    [ "$(wc -l <q.csv)" -eq 43 ] && pass || fail "mid-row skip (np $n $mode): $(wc -l <q.csv) quarantine lines, expected 43"
    [ "$(cat out.csv)" = $'accountNumber,country,balance\n1,NL,70\n2,NL,80\n3,DE,10' ] && pass ||
      fail "mid-row skip (np $n $mode): balances"
  else
    fail "mid-row skip (np $n $mode): exit non-zero: $(cat stderr.txt)"
  fi
done

# --- quotes, commas and line breaks inside ids and countries: valid, and they must come back out quoted
# exactly as RFC 4180 needs, in the balances and in the rejected file.
printf 'accountNumber,country,balance\n"a ""quoted"" id",NL,100\n"multi\nline",NL,50\n"comma,id","N""L",10\n" spaced ","N""L",5\nplain,"N\nL",0\n' >quoted-accounts.csv
printf '%s\r\n"2024-01-01","a ""quoted"" id","30","multi\nline"\r\n2024-01-02,"comma,id",3," spaced "\n2024-01-03,plain,1,"comma,id"\n2024-01-03,"multi\nline",1,"nobody\r\nhere"\n' \
  "$HEADER" >quoted-transactions.csv
expect_reference "quotes and line breaks in fields" "$EVERY" quoted-accounts.csv quoted-transactions.csv
grep -q '^"multi$' out.csv && grep -q '^line",NL,80$' out.csv && pass || fail "quoted: multi-line id not written quoted"

# --- ids of 64 bytes are valid, 65 are not (in either file).
id64=$(printf 'A%.0s' $(seq 64))
printf 'accountNumber,country,balance\n%s,NL,100\n2,NL,5\n' "$id64" >id64-accounts.csv
printf '%s\n2024-01-01,%s,1,2\n' "$HEADER" "$id64" >id64-transactions.csv
expect_reference "64-byte ids" "$ONE" id64-accounts.csv id64-transactions.csv
printf 'accountNumber,country,balance\n%sB,NL,100\n2,NL,5\n' "$id64" >id65-accounts.csv
expect_fail "65-byte id in accounts" 3 "id65-accounts\.csv:2: accountNumber is longer than 64 bytes" "$ONE" -- \
  --accounts id65-accounts.csv --transactions header-only.csv --output out.csv
printf '%s\n2024-01-01,1,1,2\n2024-01-01,2,1,%sB\n' "$HEADER" "$id64" >id65-transactions.csv
expect_fail "65-byte id in transactions" 3 "id65-transactions\.csv:3: toAccountNumber is longer than 64 bytes" "$EVERY" -- \
  "${A[@]}" --transactions id65-transactions.csv --output out.csv

# --- 18 fraction digits are valid (and set the output scale), 19 are not.
printf '%s\n2024-01-01,1,0.000000000000000001,2\n' "$HEADER" >frac18.csv
expect_reference "18 fraction digits" "$ONE" accounts.csv frac18.csv
grep -qx '2,NL,50.000000000000000001' out.csv && pass || fail "18 fraction digits: balance of 2 not exact"
printf '%s\n2024-01-01,1,30,2\n2024-01-01,1,0.0000000000000000001,2\n' "$HEADER" >frac19.csv
expect_fail "19 fraction digits" 3 "frac19\.csv:3: transferAmount '[0-9.]+': more than 18 fraction digits" "$ONE" -- \
  "${A[@]}" --transactions frac19.csv --output out.csv

# --- balances at the 128-bit limits. Exact answers at INT128_MAX and INT128_MIN; an amount_moved that
# does not fit is reported unknown (null), never wrapped.
MAX=170141183460469231731687303715884105727
printf 'accountNumber,country,balance\n1,X,170141183460469231731687303715884105726\n2,X,1\n3,X,-170141183460469231731687303715884105728\n4,Y,%s\n5,Y,0\n' \
  "$MAX" >limit-accounts.csv
printf '%s\n2024-01-01,2,1,1\n2024-01-02,4,%s,5\n2024-01-03,5,%s,4\n2024-01-04,3,1,1\n' "$HEADER" "$MAX" "$MAX" >limit-transactions.csv
expect_reference "balances at the 128-bit limits" "$EVERY" limit-accounts.csv limit-transactions.csv
grep -qx "1,X,$MAX" out.csv && pass || fail "128-bit limits: account 1 is not exactly INT128_MAX"
python3 -c "
import json, sys
r = json.load(open('report.json'))
sys.exit(0 if r['amount_moved'] is None and r['counts']['accepted'] == 3 else 1)" && pass ||
  fail "128-bit limits: amount_moved should be null (2 x INT128_MAX moved), report says otherwise"
# Past the limit only once rescaled: a balance (at 1 fraction digit) and an amount (at 2).
printf '%s\n2024-01-01,2,0.5,1\n' "$HEADER" >rescale-balance.csv
expect_fail "balance past the limit after rescaling" 3 "limit-accounts\.csv:2: balance does not fit in 128 bits at 1 fraction digits \(170141183460469231731687303715884105726\)$" \
  "$ONE" -- --accounts limit-accounts.csv --transactions rescale-balance.csv --output out.csv
printf 'accountNumber,country,balance\n1,X,1.00\n2,X,1\n' >small-accounts.csv
printf '%s\n2024-01-01,2,1,1\n2024-01-02,1,17000000000000000000000000000000000000,2\n' "$HEADER" >rescale-amount.csv
expect_fail "amount past the limit after rescaling" 3 \
  "rescale-amount\.csv:3: transferAmount does not fit in 128 bits at 2 fraction digits \(2024-01-02,1,17000000000000000000000000000000000000,2\)" \
  "$EVERY" -- --accounts small-accounts.csv --transactions rescale-amount.csv --output out.csv
printf 'accountNumber,country,balance\n1,X,170141183460469231731687303715884105728\n' >over-accounts.csv
expect_fail "balance of 2^127" 3 "over-accounts\.csv:2: balance '[0-9]+': amount does not fit in 128 bits" "$ONE" -- \
  --accounts over-accounts.csv --transactions header-only.csv --output out.csv

# --- dates: years 0000 and 9999 are in range, 10000 and month 13 are not.
printf '%s\n9999-12-31T23:59:59.999999999Z,1,1,2\n0000-01-01,2,2,1\n0000-01-01T00:30+01:00,1,3,2\n' "$HEADER" >date-limits.csv
expect_reference "years 0000 and 9999" "$ONE" accounts.csv date-limits.csv
printf '%s\n2024-01-01,1,1,2\n10000-01-01,1,1,2\n' "$HEADER" >year-10000.csv
expect_fail "year 10000" 3 "year-10000\.csv:3: date '10000-01-01': not a date; expected ISO-8601 like 2024-03-01 or 2024-03-01T09:30:00Z \(10000-01-01,1,1,2\)" "$EVERY" -- \
  "${A[@]}" --transactions year-10000.csv --output out.csv
printf '%s\n2024-13-01,1,1,2\n' "$HEADER" >month-13.csv
expect_fail "month 13" 3 "month-13\.csv:2: date '2024-13-01': month out of range" "$ONE" -- "${A[@]}" --transactions month-13.csv --output out.csv

# --- paths that are not files.
mkdir -p a-directory
expect_fail "accounts path is a directory" 4 "cannot read input 'a-directory': it is a directory" "$ONE" -- \
  --accounts a-directory --transactions header-only.csv --output out.csv
expect_fail "rejected path is a directory" 4 "cannot write output 'a-directory': it is a directory" "$ONE" -- \
  "${A[@]}" --transactions header-only.csv --output out.csv --rejected a-directory

# --- a full disk: for the balances themselves, and for the rejected file (then the balances, written
# first to their temporary, must not appear either: outputs appear together or not at all).
expect_fail "full disk (output)" 4 "cannot write output '/dev/full': No space left on device" "$ONE" -- \
  "${A[@]}" --transactions header-only.csv --output /dev/full
expect_fail "full disk (rejected)" 4 "cannot write output '/dev/full': No space left on device" "parallel:1 root:2" -- \
  "${A[@]}" --transactions header-only.csv --output out.csv --rejected /dev/full

# --- one million bad rows under --on-bad-row skip: every one quarantined, in line order, counted.
python3 -c "
import sys
w = sys.stdout.write
w('$HEADER\n2024-01-01,1,30,2\n')
w('2024-01-01,1,5.,2\n' * 1000000)
w('2024-01-02,2,5,1\n')" >million.csv
rm -f out.csv q.csv report.json
decimal_form="expected digits with an optional sign and '.' like -1234.50"
if ledger_np 2 "${A[@]}" --transactions million.csv --output out.csv --on-bad-row skip --quarantine q.csv \
  --report report.json --ingest parallel --log-level error 2>stderr.txt; then
  pass
  [ ! -s stderr.txt ] && pass || { fail "million bad rows: stderr is not empty"; head -c 2000 stderr.txt >&2; }
  [ "$(wc -l <q.csv)" -eq 1000001 ] && pass || fail "million bad rows: $(wc -l <q.csv) quarantine lines, expected 1000001"
  # Lines 3 .. 1000002, in order, each the verbatim row with its error.
  awk -F, -v error="transferAmount '5.': no digits after the decimal point; $decimal_form" \
    'NR > 1 && ($1 != "million.csv" || $2 != NR + 1 || $3 != error) { bad++ } END { exit bad > 0 }' q.csv && pass || fail "million bad rows: a quarantine row is not the bad row of its line"
  python3 -c "
import json, sys
c = json.load(open('report.json'))['counts']
sys.exit(0 if c['bad_rows'] == 1000000 and c['transfers'] == 2 and c['accepted'] == 2 else 1)" && pass ||
    fail "million bad rows: report counts do not agree (bad_rows 1000000, transfers 2)"
  [ "$(cat out.csv)" = $'accountNumber,country,balance\n1,NL,75\n2,NL,75\n3,DE,10' ] && pass || fail "million bad rows: balances"
else
  fail "million bad rows: exit non-zero: $(head -c 600 stderr.txt)"
fi
finish
