#!/usr/bin/env bash
# Checks the oracle before it is trusted: tests/reference/reference_ledger.py is what the C++ job is
# compared with, so a mistake in it would make both agree on a wrong answer. Each case here is tiny and
# its expected output was worked out by hand from SPEC.md (the arithmetic is in the comments), covering
# every rejection reason and its precedence, replay order (instants across offsets, equal instants in
# file and line order), the common scale, CSV tolerance, bad rows in both modes, exit codes, and
# atomic outputs. The last part checks that ledger-gen ($LEDGER_GEN) is deterministic, that its
# documented invariants hold, and that its workloads exercise every rejection reason.
set -uo pipefail

source_dir="${LEDGER_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
reference="$source_dir/tests/reference/reference_ledger.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

ref() { python3 "$reference" "$@"; }

# expect_same NAME EXPECTED_FILE ACTUAL_FILE
expect_same() {
  if ! cmp -s "$2" "$3"; then
    fail "$1: $(basename "$3") is not what was expected ($(basename "$2"))"
    diff -u "$2" "$3" | head -40 >&2
  fi
}

# expect_exit NAME CODE ARGS... (stderr kept in $work/stderr)
expect_exit() {
  local name=$1 want=$2
  shift 2
  local got=0
  ref "$@" >"$work/stdout" 2>"$work/stderr" || got=$?
  if [[ $got != "$want" ]]; then
    fail "$name: exit code $got, expected $want"
    sed 's/^/    /' "$work/stderr" >&2
  fi
}

expect_stderr_has() {
  grep -qF -- "$2" "$work/stderr" || fail "$1: message does not contain '$2': $(head -1 "$work/stderr")"
}

# The quarantine columns that must match the C++ job: file, line and raw row (the error text may differ).
quarantine_key() {
  python3 -c 'import csv,sys; [print(repr((r[0], r[1], r[3]))) for r in csv.reader(open(sys.argv[1], newline=""))]' "$1"
}

# --- 1. Every rejection reason, check precedence, exact cover, equal and out-of-order instants --------
c="$work/reasons"; mkdir -p "$c"
cat >"$c/accounts.csv" <<'EOF'
accountNumber,country,balance
A1,FR,100.00
A2,FR,50.00
A3,FR,0.00
B1,DE,10.00
B2,DE,5.50
EOF
cat >"$c/transactions.csv" <<'EOF'
date,fromAccountNumber,transferAmount,toAccountNumber
2024-01-01T10:00:00,A1,30.00,A2
2024-01-01T09:00:00,A2,60.00,A3
2024-01-01T10:00:00,A2,80.00,A3
2024-01-01T11:00:00,A3,80.01,A1
2024-01-01T11:00:00,A1,5,A1
2024-01-01T12:00:00,A1,10.00,B1
2024-01-01T12:00:00,A1,0,A2
2024-01-01T12:00:00,A1,-1.00,A2
2024-01-01T12:00:00,X9,1.00,A2
2024-01-01T12:00:00,A1,1.00,Z9
2024-01-01T12:00:00,X9,-1.00,X9
2024-01-01T12:00:00,A1,-5,B1
2024-01-01T12:00:00,A1,0,A1
2024-01-01T12:00:00,A1,1000.00,B1
2024-01-02T00:00:00,B1,15.50,B2
2024-01-02T00:00:00,B2,5.50,B1
2024-01-02T00:00:01,B1,15.50,B2
2024-01-01T12:00:00,A1,+1000.0,A2
EOF
# 09:00 A2->A3 60: A2 has 50, short. 10:00 (line 2 before line 4) A1->A2 30: A1 70, A2 80; then
# A2->A3 80, exactly covered: A2 0, A3 80. 11:00 A3 80 < 80.01. Self-transfer rejected. At 12:00 the
# first failing check names the reason (unknown before invalid before same and cross, cross before
# insufficient), and A1 (70) cannot cover 1000. Next day B1 10 < 15.50; B2->B1 5.50 exactly: B2 0, B1 15.50; then
# B1->B2 15.50 exactly: B1 0, B2 15.50. Totals: FR 150 = 70+0+80, DE 15.50 = 0+15.50.
cat >"$c/expected-balances.csv" <<'EOF'
accountNumber,country,balance
A1,FR,70.00
A2,FR,0.00
A3,FR,80.00
B1,DE,0.00
B2,DE,15.50
EOF
cat >"$c/expected-rejected.csv" <<'EOF'
date,fromAccountNumber,transferAmount,toAccountNumber,reason
2024-01-01T09:00:00,A2,60.00,A3,insufficient_funds
2024-01-01T11:00:00,A3,80.01,A1,insufficient_funds
2024-01-01T11:00:00,A1,5,A1,same_account
2024-01-01T12:00:00,A1,10.00,B1,cross_country
2024-01-01T12:00:00,A1,0,A2,invalid_amount
2024-01-01T12:00:00,A1,-1.00,A2,invalid_amount
2024-01-01T12:00:00,X9,1.00,A2,unknown_account
2024-01-01T12:00:00,A1,1.00,Z9,unknown_account
2024-01-01T12:00:00,X9,-1.00,X9,unknown_account
2024-01-01T12:00:00,A1,-5,B1,invalid_amount
2024-01-01T12:00:00,A1,0,A1,invalid_amount
2024-01-01T12:00:00,A1,1000.00,B1,cross_country
2024-01-01T12:00:00,A1,+1000.0,A2,insufficient_funds
2024-01-02T00:00:00,B1,15.50,B2,insufficient_funds
EOF
expect_exit reasons 0 --accounts "$c/accounts.csv" --transactions "$c/transactions.csv" \
  --output "$c/balances.csv" --rejected "$c/rejected.csv"
expect_same "reasons balances" "$c/expected-balances.csv" "$c/balances.csv"
expect_same "reasons rejected" "$c/expected-rejected.csv" "$c/rejected.csv"

# --- 2. CSV tolerance, the common scale, opaque ids, quoting, bad rows skipped ------------------------
c="$work/tolerance"; mkdir -p "$c"
# BOM, CRLF, a blank line, columns in another order, an extra column holding a comma, padded fields, an
# id containing quotes. "007" and "7" are two accounts.
printf '\xEF\xBB\xBFcountry, balance ,accountNumber,note\r\nNL,10,007,"has, comma"\r\nNL, 20 ,7,x\r\n\r\n"NL","0","a ""quoted"" id",y\r\n' \
  >"$c/accounts.csv"
# Line 2: 007->7 2.5. Line 3 is the same instant written with an offset, so it replays after line 2:
# 7->'a "quoted" id' 1.25. Lines 5 (five fields) and 6 (Feb 30) are bad, and their three-digit amounts
# must not raise the scale. Lines 7-8 are one row whose to-id "7<LF>" is no account, so line 9 (month
# 13) is bad. Line 10 (no final newline, lower-case t and z) is 7->007 0.5. The scale is 2, from 1.25.
printf '%s\n' \
  'toAccountNumber,date,transferAmount,fromAccountNumber' \
  '7,2024-03-01T00:00:00Z,2.5,007' \
  '  "a ""quoted"" id" , 2024-03-01 01:00:00+01:00 ,1.25,7' \
  '' \
  '007,2024-03-01T00:00:00.000z,0.125,7,extra' \
  '7,2024-02-30T00:00:00,1.000,007' \
  '"7' \
  '",2024-03-02T00:00:00,1,007' \
  '007,2024-13-01,1,7' >"$c/transactions.csv"
printf '%s' '007,2024-03-02t12:00:00z,0.5,7' >>"$c/transactions.csv"
# 007 -> 7 2.5 (007 7.5, 7 22.5); 7 -> quoted 1.25 (7 21.25, quoted 1.25); 7 -> 007 0.5 (7 20.75,
# 007 8.00). Total 30 = 8.00 + 20.75 + 1.25.
cat >"$c/expected-balances.csv" <<'EOF'
accountNumber,country,balance
007,NL,8.00
7,NL,20.75
"a ""quoted"" id",NL,1.25
EOF
printf '%s\n' 'date,fromAccountNumber,transferAmount,toAccountNumber,reason' \
  '2024-03-02T00:00:00,007,1,"7' '",unknown_account' >"$c/expected-rejected.csv"
printf '%s\n' "('file', 'line', 'row')" \
  "('$c/transactions.csv', '5', '007,2024-03-01T00:00:00.000z,0.125,7,extra')" \
  "('$c/transactions.csv', '6', '7,2024-02-30T00:00:00,1.000,007')" \
  "('$c/transactions.csv', '9', '007,2024-13-01,1,7')" >"$c/expected-quarantine-key.txt"
expect_exit tolerance 0 --accounts "$c/accounts.csv" --transactions "$c/transactions.csv" \
  --output "$c/balances.csv" --rejected "$c/rejected.csv" --on-bad-row skip --quarantine "$c/quarantine.csv"
expect_same "tolerance balances" "$c/expected-balances.csv" "$c/balances.csv"
expect_same "tolerance rejected" "$c/expected-rejected.csv" "$c/rejected.csv"
quarantine_key "$c/quarantine.csv" >"$c/quarantine-key.txt"
expect_same "tolerance quarantine" "$c/expected-quarantine-key.txt" "$c/quarantine-key.txt"
# The same input without skip stops at the first bad row, naming file and line, and writes nothing.
expect_exit "tolerance fail mode" 3 --accounts "$c/accounts.csv" --transactions "$c/transactions.csv" \
  --output "$c/fail-balances.csv"
expect_stderr_has "tolerance fail mode" "$c/transactions.csv:5:"
[[ ! -e "$c/fail-balances.csv" ]] || fail "tolerance fail mode: a failed run wrote its output"

# --- 3. Replay order: instants, not text; equal instants in file order, then line order ---------------
c="$work/order"; mkdir -p "$c"
printf 'accountNumber,country,balance\nO1,X,1\nO2,X,0\nO3,X,0\n' >"$c/accounts.csv"
# In file order the rows are the chain backwards. Instants: line 5 (0000-01-01 at +00:01) is in the
# year before year 0 in UTC: first. Line 4 (19:00 at -05:00) is 2024-01-01T00:00Z. Line 3 (01:00 at
# +01:00) is 00:00:00.000000001Z, just before line 2. In that order O1->O2, O2->O3, O3->O1, O1->O2 all
# succeed: O2 ends with 1. Sorted by text, line 2 would come before line 3 and find O1 empty; with
# year 0 misplaced last, three transfers would be short.
printf '%s\n' 'date,fromAccountNumber,transferAmount,toAccountNumber' \
  '2024-01-01T00:00:00.000000002Z,O1,1,O2' \
  '2024-01-01T01:00:00.000000001+01:00,O3,1,O1' \
  '2023-12-31 19:00:00-05:00,O2,1,O3' \
  '0000-01-01T00:00+00:01,O1,1,O2' >"$c/transactions.csv"
printf 'accountNumber,country,balance\nO1,X,0\nO2,X,1\nO3,X,0\n' >"$c/expected-balances.csv"
printf '%s\n' 'date,fromAccountNumber,transferAmount,toAccountNumber,reason' >"$c/expected-rejected.csv"
expect_exit order 0 --accounts "$c/accounts.csv" --transactions "$c/transactions.csv" \
  --output "$c/balances.csv" --rejected "$c/rejected.csv"
expect_same "order balances" "$c/expected-balances.csv" "$c/balances.csv"
expect_same "order rejected" "$c/expected-rejected.csv" "$c/rejected.csv"

# Two files holding one instant each, written differently (2024-01-01T00:00Z): the file given first
# replays first.
printf 'accountNumber,country,balance\nP,X,100\nQ,X,0\n' >"$c/pq.csv"
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01T01:00:00+01:00,P,100,Q\n' >"$c/f1.csv"
printf 'transferAmount,date,toAccountNumber,fromAccountNumber\n100,2023-12-31T23:00:00-01:00,P,Q\n' >"$c/f2.csv"
expect_exit "file order" 0 --accounts "$c/pq.csv" --transactions "$c/f1.csv" --transactions "$c/f2.csv" \
  --output "$c/pq-12.csv"
printf 'accountNumber,country,balance\nP,X,100\nQ,X,0\n' >"$c/expected-pq-12.csv"  # P->Q, then Q->P
expect_same "file order 1,2" "$c/expected-pq-12.csv" "$c/pq-12.csv"
expect_exit "file order" 0 --accounts "$c/pq.csv" --transactions "$c/f2.csv" --transactions "$c/f1.csv" \
  --output "$c/pq-21.csv"
printf 'accountNumber,country,balance\nP,X,0\nQ,X,100\n' >"$c/expected-pq-21.csv"  # Q->P short, P->Q
expect_same "file order 2,1" "$c/expected-pq-21.csv" "$c/pq-21.csv"

# One instant in seven spellings (2024-02-29T23:30Z: offsets both ways, across the leap day, the month
# and the day, lower case, space, fraction, no seconds). S0->S1, S1->S2, ... in file order: if any
# spelling were computed a moment early or late, its transfer would run out of turn and find its sender
# empty.
printf 'accountNumber,country,balance\nS0,X,1\nS1,X,0\nS2,X,0\nS3,X,0\nS4,X,0\nS5,X,0\nS6,X,0\nS7,X,0\n' >"$c/chain.csv"
{
  echo 'date,fromAccountNumber,transferAmount,toAccountNumber'
  i=0
  for d in 2024-03-01T00:30:00+01:00 2024-02-29T23:30:00Z '2024-02-29 23:30:00.000000000z' \
    2024-02-29t22:30-01:00 2024-03-01T23:29:00+23:59 2024-02-28T23:31:00-23:59 2024-02-29T23:30:00.0-00:00; do
    echo "$d,S$i,1,S$((i + 1))"
    i=$((i + 1))
  done
} >"$c/chain-transactions.csv"
printf 'accountNumber,country,balance\nS0,X,0\nS1,X,0\nS2,X,0\nS3,X,0\nS4,X,0\nS5,X,0\nS6,X,0\nS7,X,1\n' >"$c/expected-chain.csv"
expect_exit "equal instants" 0 --accounts "$c/chain.csv" --transactions "$c/chain-transactions.csv" --output "$c/chain-out.csv"
expect_same "equal instants" "$c/expected-chain.csv" "$c/chain-out.csv"

# --- 4. Which dates are bad rows (lead's decisions: strict ranges, no :60, 1-9 fraction digits) -------
c="$work/dates"; mkdir -p "$c"
printf 'accountNumber,country,balance\nD1,X,100\nD2,X,0\n' >"$c/accounts.csv"
{
  echo 'date,fromAccountNumber,transferAmount,toAccountNumber'
  for d in 2024-02-29T00:00:00 2023-02-29T00:00:00 2024-01-01T24:00:00 2016-12-31T23:59:60Z \
    2024-01-01+01:00 2024-01-01 2024-01-01t00:00z 2024-01-01T00:00:00.123456789+23:59 \
    2024-01-01T00:00:00.1234567890 2024-01-01T00:00:00+24:00 0000-01-01T00:00:00 2024-1-01 \
    2024-01-01T00:00:00+0100 2024-01-01T00:00:00.Z 9999-12-31T23:59:59.999999999Z 2024-01-01Z \
    2100-02-29 2000-02-29 2024-01-01T00:60 '2024-01-01  00:00' 2024-01-01T00:00:00+01:60; do
    echo "$d,D1,1,D2"
  done
} >"$c/transactions.csv"
# Good: lines 2, 7, 8, 9, 12, 16, 19. Seven transfers of 1: D1 93, D2 7.
printf 'accountNumber,country,balance\nD1,X,93\nD2,X,7\n' >"$c/expected-balances.csv"
{
  echo "('file', 'line', 'row')"
  for line in 3 4 5 6 10 11 13 14 15 17 18 20 21 22; do
    row=$(sed -n "${line}p" "$c/transactions.csv")
    echo "('$c/transactions.csv', '$line', '$row')"
  done
} >"$c/expected-quarantine-key.txt"
expect_exit dates 0 --accounts "$c/accounts.csv" --transactions "$c/transactions.csv" \
  --output "$c/balances.csv" --on-bad-row skip --quarantine "$c/quarantine.csv"
expect_same "dates balances" "$c/expected-balances.csv" "$c/balances.csv"
quarantine_key "$c/quarantine.csv" >"$c/quarantine-key.txt"
expect_same "dates quarantine" "$c/expected-quarantine-key.txt" "$c/quarantine-key.txt"

# --- 5. Amounts, ids and CSV structure that make bad rows ----------------------------------------------
c="$work/values"; mkdir -p "$c"
long_id=$(printf 'L%.0s' {1..65})
ok_id=$(printf 'K%.0s' {1..64})
printf 'accountNumber,country,balance\nV1,X,100\nV2,X,0\n%s,X,0\n' "$ok_id" >"$c/accounts.csv"
{
  echo 'date,fromAccountNumber,transferAmount,toAccountNumber'
  for a in 5. .5 1e3 '1 0' 0x10 1.0000000000000000001 '' 1.000000000000000001 +2 --1; do
    echo "2024-01-01,V1,$a,V2"
  done
  echo "2024-01-01,V1,1,$long_id"     # line 12: id of 65 bytes
  echo "2024-01-01,V1,1,$ok_id"       # line 13: 64 bytes is fine
  echo '2024-01-01,,1,V2'             # line 14: empty id
  echo '2024-01-01,V1,1,V2"x'         # line 15: quote inside an unquoted field
  echo '2024-01-01,V1,1,"V2"x'        # line 16: text after a closing quote
  printf '2024-01-01,V1,1,V\0\n'      # line 17: NUL in an id
  echo '2024-01-01,V1,1,"V2'          # line 18: an unclosed quote swallows the rest of the file
  echo '2024-01-01,V1,1,V2'
} >"$c/transactions.csv"
# Good: line 9 (1.000000000000000001, 18 digits: the scale becomes 18), line 10 (+2), line 13 (1 to
# the 64-byte id). V1: 100 - 1.000000000000000001 - 2 - 1 = 95.999999999999999999.
cat >"$c/expected-balances.csv" <<EOF
accountNumber,country,balance
V1,X,95.999999999999999999
V2,X,3.000000000000000001
$ok_id,X,1.000000000000000000
EOF
expect_exit values 0 --accounts "$c/accounts.csv" --transactions "$c/transactions.csv" \
  --output "$c/balances.csv" --on-bad-row skip --quarantine "$c/quarantine.csv"
expect_same "values balances" "$c/expected-balances.csv" "$c/balances.csv"
quarantine_key "$c/quarantine.csv" | cut -d"'" -f4 | tail -n +2 | tr '\n' ' ' >"$c/quarantine-lines.txt"
echo -n '2 3 4 5 6 7 8 11 12 14 15 16 17 18 ' >"$c/expected-quarantine-lines.txt"
expect_same "values quarantine lines" "$c/expected-quarantine-lines.txt" "$c/quarantine-lines.txt"

# Output quoting: an id with a comma, a country with a leading space (kept: it was inside quotes).
printf 'accountNumber,country,balance\n"a,b"," s",1\nc,s,2\n' >"$c/quoting-accounts.csv"
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,"a,b",1,c\n' >"$c/quoting-transactions.csv"
printf 'accountNumber,country,balance\n"a,b"," s",1\nc,s,2\n' >"$c/expected-quoting.csv"
printf '%s\n' 'date,fromAccountNumber,transferAmount,toAccountNumber,reason' \
  '2024-01-01,"a,b",1,c,cross_country' >"$c/expected-quoting-rejected.csv"
expect_exit quoting 0 --accounts "$c/quoting-accounts.csv" --transactions "$c/quoting-transactions.csv" \
  --output "$c/quoting.csv" --rejected "$c/quoting-rejected.csv"
expect_same "quoting balances" "$c/expected-quoting.csv" "$c/quoting.csv"
expect_same "quoting rejected" "$c/expected-quoting-rejected.csv" "$c/quoting-rejected.csv"

# --- 6. 128-bit limits ----------------------------------------------------------------------------------
c="$work/limits"; mkdir -p "$c"
max=170141183460469231731687303715884105727  # 2^127 - 1
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,R2,1,R1\n' >"$c/t.csv"
printf 'accountNumber,country,balance\nR1,X,170141183460469231731687303715884105726\nR2,X,1\nR3,X,-170141183460469231731687303715884105728\n' >"$c/fits.csv"
# R2 -> R1 1 brings R1 to exactly 2^127 - 1; R3 holds exactly -2^127. Both fit.
printf 'accountNumber,country,balance\nR1,X,%s\nR2,X,0\nR3,X,-170141183460469231731687303715884105728\n' "$max" >"$c/expected-fits.csv"
expect_exit "limits fit" 0 --accounts "$c/fits.csv" --transactions "$c/t.csv" --output "$c/fits-out.csv"
expect_same "limits fit" "$c/expected-fits.csv" "$c/fits-out.csv"
printf 'accountNumber,country,balance\nR1,X,%s\nR2,X,1\n' "$max" >"$c/overflow.csv"
expect_exit "receiver overflow" 3 --accounts "$c/overflow.csv" --transactions "$c/t.csv" --output "$c/o.csv"
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,R2,0.1,R1\n' >"$c/t-scaled.csv"
printf 'accountNumber,country,balance\nR1,X,100000000000000000000000000000000000000\nR2,X,1\n' >"$c/big.csv"
expect_exit "overflow at the common scale" 3 --accounts "$c/big.csv" --transactions "$c/t-scaled.csv" --output "$c/o.csv"
expect_exit "overflow even when skipping" 3 --accounts "$c/big.csv" --transactions "$c/t-scaled.csv" \
  --output "$c/o.csv" --on-bad-row skip
expect_exit "fits at scale 0" 0 --accounts "$c/big.csv" --transactions "$c/t.csv" --output "$c/o.csv"
# At scale 1, -2^127 fits and 2^127 does not (no transfers: only the opening balance is at stake).
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n' >"$c/none.csv"
printf 'accountNumber,country,balance\nR1,X,-17014118346046923173168730371588410572.8\nR2,X,1\n' >"$c/edge-low.csv"
expect_exit "-2^127 at scale 1" 0 --accounts "$c/edge-low.csv" --transactions "$c/none.csv" --output "$c/o.csv"
printf 'accountNumber,country,balance\nR1,X,17014118346046923173168730371588410572.8\nR2,X,1\n' >"$c/edge-high.csv"
expect_exit "2^127 at scale 1" 3 --accounts "$c/edge-high.csv" --transactions "$c/none.csv" --output "$c/o.csv"

# --- 7. Exit codes, messages and atomic outputs ----------------------------------------------------------
c="$work/errors"; mkdir -p "$c"
a="$work/reasons/accounts.csv" t="$work/reasons/transactions.csv"
printf 'accountNumber,country,balance\nA,X,1\nB,X,1\nA,Y,2\n' >"$c/duplicate.csv"
expect_exit "duplicate account" 3 --accounts "$c/duplicate.csv" --transactions "$t" --output "$c/o.csv" \
  --on-bad-row skip
expect_stderr_has "duplicate account" "$c/duplicate.csv:4:"
expect_stderr_has "duplicate account" "line 2"
printf 'date,fromAccountNumber,amount,toAccountNumber\n' >"$c/no-amount.csv"
expect_exit "missing column" 3 --accounts "$a" --transactions "$c/no-amount.csv" --output "$c/o.csv"
expect_stderr_has "missing column" "transferAmount"
expect_stderr_has "missing column" "$c/no-amount.csv"
: >"$c/empty.csv"
expect_exit "empty file" 3 --accounts "$a" --transactions "$c/empty.csv" --output "$c/o.csv"
expect_exit "quarantine without skip" 2 --accounts "$a" --transactions "$t" --output "$c/o.csv" --quarantine "$c/q.csv"
expect_exit "unknown option" 2 --accounts "$a" --transactions "$t" --output "$c/o.csv" --frobnicate
expect_exit "missing --output" 2 --accounts "$a" --transactions "$t"
expect_exit "bad --on-bad-row" 2 --accounts "$a" --transactions "$t" --output "$c/o.csv" --on-bad-row maybe
expect_exit "missing input" 4 --accounts "$c/nope.csv" --transactions "$t" --output "$c/o.csv"
expect_exit "input is a directory" 4 --accounts "$a" --transactions "$c" --output "$c/o.csv"
expect_exit "output in a missing directory" 4 --accounts "$a" --transactions "$t" --output "$c/nope/o.csv"
expect_exit "output is a directory" 4 --accounts "$a" --transactions "$t" --output "$c"
echo OLD >"$c/kept.csv"
expect_exit "failed run" 3 --accounts "$c/duplicate.csv" --transactions "$t" --output "$c/kept.csv" \
  --rejected "$c/kept-rejected.csv"
[[ "$(cat "$c/kept.csv")" == OLD ]] || fail "failed run: replaced an older output"
[[ ! -e "$c/kept-rejected.csv" ]] || fail "failed run: wrote a rejected file"
leftovers=$(find "$c" -name '.*tmp*' | wc -l)
[[ $leftovers == 0 ]] || fail "failed run: left $leftovers temporary files"
if [[ -w /dev/full ]]; then  # a write that fails after another output was already staged
  expect_exit "write error" 4 --accounts "$a" --transactions "$t" --output "$c/staged.csv" --rejected /dev/full
  [[ ! -e "$c/staged.csv" ]] || fail "write error: an output appeared although the run failed"
  leftovers=$(find "$c" -name '.*tmp*' | wc -l)
  [[ $leftovers == 0 ]] || fail "write error: left $leftovers temporary files"
fi
expect_exit "skip without quarantine file" 0 --accounts "$a" --transactions "$t" --output "$c/o.csv" --on-bad-row skip

# --- 8. ledger-gen: deterministic, invariants as documented, realistic rejections -----------------------
if [[ -z "${LEDGER_GEN:-}" || ! -x "${LEDGER_GEN:-}" ]]; then
  fail "LEDGER_GEN does not name an executable ledger-gen ('${LEDGER_GEN:-}')"
else
  g="$work/gen"
  common=(--accounts 400 --countries 6 --transactions 6000 --zipf 1.2 --decimals 3 --mixed-decimals 0.2
    --offsets --string-ids --disorder 0.05 --equal-timestamps 0.2)
  "$LEDGER_GEN" --out-dir "$g/a" --seed 5 "${common[@]}" || fail "ledger-gen failed"
  "$LEDGER_GEN" --out-dir "$g/b" --seed 5 "${common[@]}" || fail "ledger-gen failed"
  "$LEDGER_GEN" --out-dir "$g/c" --seed 6 "${common[@]}" || fail "ledger-gen failed"
  cmp -s "$g/a/transactions.csv" "$g/b/transactions.csv" && cmp -s "$g/a/accounts.csv" "$g/b/accounts.csv" ||
    fail "ledger-gen: one seed gave two different workloads"
  cmp -s "$g/a/transactions.csv" "$g/c/transactions.csv" && fail "ledger-gen: two seeds gave one workload"

  "$LEDGER_GEN" --out-dir "$g/m" --seed 5 "${common[@]}" --bad-rows 30 --messy --shuffle-columns --files 3 ||
    fail "ledger-gen failed"
  [[ -f "$g/m/transactions-3.csv" && ! -e "$g/m/transactions-4.csv" ]] || fail "ledger-gen --files 3: wrong files"
  expect_exit "gen plain" 0 --accounts "$g/a/accounts.csv" --transactions "$g/a/transactions.csv" \
    --output "$g/a/balances.csv" --rejected "$g/a/rejected.csv"
  expect_exit "gen messy" 0 --accounts "$g/m/accounts.csv" --transactions "$g/m/transactions-1.csv" \
    --transactions "$g/m/transactions-2.csv" --transactions "$g/m/transactions-3.csv" \
    --output "$g/m/balances.csv" --rejected "$g/m/rejected.csv" --on-bad-row skip --quarantine "$g/m/quarantine.csv"
  expect_same "gen: bad rows, messy CSV and split files change nothing" "$g/a/balances.csv" "$g/m/balances.csv"
  expect_same "gen: bad rows, messy CSV and split files change no rejection" "$g/a/rejected.csv" "$g/m/rejected.csv"
  quarantined=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' \
    "$g/m/quarantine.csv")
  [[ $quarantined == 30 ]] || fail "gen: $quarantined rows quarantined, expected the 30 bad rows"

  for reason in unknown_account invalid_amount same_account cross_country insufficient_funds; do
    grep -q ",$reason\$" "$g/a/rejected.csv" || fail "gen: no $reason in a default workload"
  done
  short=$(grep -c ',insufficient_funds$' "$g/a/rejected.csv")
  ((short * 100 >= 6000 * 5 && short * 100 <= 6000 * 15)) ||
    fail "gen: $short of 6000 transfers short of funds, expected 5-15%"

  "$LEDGER_GEN" --help >/dev/null || fail "ledger-gen --help failed"
  "$LEDGER_GEN" --transactions many --out-dir "$g/x" 2>/dev/null
  [[ $? == 2 ]] || fail "ledger-gen: a bad option value did not exit 2"
fi

if ((failures > 0)); then
  echo "reference_selfcheck: $failures check(s) failed" >&2
  exit 1
fi
echo "reference_selfcheck: all checks passed"
