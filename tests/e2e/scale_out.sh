#!/usr/bin/env bash
# The parallel ingest reads the accounts in shares, resolves ids through a directory spread over the ranks
# (the home of an id is a hash of its bytes) or, for dense integer ids, a table of every id's country on
# every rank, and has every rank write its ranges of the outputs. These
# cases aim at the joints of that design, each at 1 to 4 ranks, against the root ingest on one rank (the
# design's literal reference) byte for byte:
#  1. ids whose homes cover every rank at 2, 3 and 4 ranks (checked here with the same hash);
#  2. duplicate accounts whose copies lie in different shares, integer and text ids: the earliest repeat
#     in file order is the error at every rank count, and under --on-bad-row fail a bad row before it wins, after it loses;
#  3. a quoted field with line breaks across a share boundary of the accounts file;
#  4. empty shares: more ranks than rows, and an accounts file with no rows;
#  5. a rejected file far larger than one rank's share (every transfer rejected), and a quarantine file
#     whose rows come from every share;
#  6. a rank killed during the write stage: the job ends non-zero within seconds and no output appears.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# same_at_every_count NAME ARGS...: np 1 root is the reference; np 1-4 parallel and np 3 root must match
# its balances, rejected and quarantine files byte for byte.
same_at_every_count() {
  local name="$1"
  shift
  ledger_np 1 "$@" --ingest root --output "$name-ref.csv" --rejected "$name-ref-rej.csv" --log-level error \
    || { fail "$name: the reference run failed"; return; }
  for run in "parallel 1" "parallel 2" "parallel 3" "parallel 4" "root 3"; do
    local mode="${run% *}" n="${run#* }"
    local out="$name-$mode-$n"
    if ! ledger_np "$n" "$@" --ingest "$mode" --output "$out.csv" --rejected "$out-rej.csv" --log-level error; then
      fail "$name: np $n $mode exited non-zero"
      continue
    fi
    expect_same_file "$name-ref.csv" "$out.csv" "$name np $n $mode balances"
    expect_same_file "$name-ref-rej.csv" "$out-rej.csv" "$name np $n $mode rejected"
  done
}

# --- 1. homes on every rank.
"$LEDGER_GEN" --out-dir homes --accounts 64 --countries 3 --transactions 3000 --seed 21 --string-ids >/dev/null
python3 - homes/accounts.csv <<'PY' && pass || fail "homes: the ids do not reach every home rank"
import csv, sys
ids = [row["accountNumber"] for row in csv.DictReader(open(sys.argv[1], newline=""))]
def home(text, ranks):  # FNV-1a over the id's bytes, as resolve_ids.cpp's home_rank_of
    h = 0xcbf29ce484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return h % ranks
for ranks in (2, 3, 4):
    assert {home(i, ranks) for i in ids} == set(range(ranks)), ranks
PY
same_at_every_count homes --accounts homes/accounts.csv --transactions homes/transactions.csv
# Integer ids take the dense id table, except past its limit (over 268M accounts), where they take the
# directory like text ids: a test limit of 0 sends these through the directory.
"$LEDGER_GEN" --out-dir numbered --accounts 64 --countries 3 --transactions 3000 --seed 21 >/dev/null
same_at_every_count numbered --accounts numbered/accounts.csv --transactions numbered/transactions.csv
LEDGER_TEST_ID_TABLE_MAX_ACCOUNTS=0 same_at_every_count numbered-directory --accounts numbered/accounts.csv \
  --transactions numbered/transactions.csv

# --- 2. duplicates in different shares, with dense integer ids (found in the id table every rank holds)
# and with text ids (found at their home in the directory).
# with_duplicates DIR: DIR/accounts-twice.csv, DIR/accounts.csv with two ids repeated in later shares.
with_duplicates() {
  local dir="$1" first_id tenth_id
  first_id=$(sed -n 2p "$dir/accounts.csv" | cut -d, -f1)
  tenth_id=$(sed -n 11p "$dir/accounts.csv" | cut -d, -f1)
  {
    head -n 201 "$dir/accounts.csv"          # header and 200 rows
    echo "$tenth_id,ZZ,5"                    # line 202: repeats line 11, in the middle share
    tail -n +202 "$dir/accounts.csv"         # lines 203-402
    echo "$first_id,ZZ,7"                    # line 403: repeats line 2, in the last share
  } >"$dir/accounts-twice.csv"
}
"$LEDGER_GEN" --out-dir dup --accounts 400 --countries 4 --transactions 500 --seed 22 >/dev/null
"$LEDGER_GEN" --out-dir dupstr --accounts 400 --countries 4 --transactions 500 --seed 22 --string-ids >/dev/null
with_duplicates dup
with_duplicates dupstr
tenth_id=$(sed -n 11p dup/accounts.csv | cut -d, -f1)
tenth_text_id=$(sed -n 11p dupstr/accounts.csv | cut -d, -f1)
# dup_case NAME EXIT PATTERN ACCOUNTS [ARGS...]: the same one line and exit code at np 1-4, both ingests.
dup_case() {
  local name="$1" want="$2" pattern="$3" accounts="$4"
  shift 4
  for run in "parallel 1" "parallel 2" "parallel 3" "parallel 4" "root 2"; do
    local mode="${run% *}" n="${run#* }" got=0
    rm -f out.csv
    ledger_np "$n" --accounts "$accounts" --transactions dup/transactions.csv --output out.csv --ingest "$mode" \
      "$@" 2>stderr.txt || got=$?
    [ "$got" -eq "$want" ] && pass || fail "$name np $n $mode: exit $got, expected $want"
    [ "$(wc -l <stderr.txt)" -eq 1 ] && grep -q -- "$pattern" stderr.txt && pass \
      || { fail "$name np $n $mode: expected one line matching '$pattern'"; cat stderr.txt >&2; }
    [ ! -e out.csv ] && pass || fail "$name np $n $mode: an output was written"
  done
}
dup_case earliest-repeat 3 "accounts-twice.csv:202: duplicate account '$tenth_id', first defined at line 11" \
  dup/accounts-twice.csv
dup_case earliest-repeat-text-ids 3 \
  "accounts-twice.csv:202: duplicate account '$tenth_text_id', first defined at line 11" dupstr/accounts-twice.csv
dup_case repeat-under-skip 3 "accounts-twice.csv:202: duplicate account" dup/accounts-twice.csv \
  --on-bad-row skip --quarantine q.csv
sed '150s/$/,extra/' dup/accounts-twice.csv >dup/bad-before.csv   # line 150: one field too many
dup_case bad-row-first 3 "bad-before.csv:150:" dup/bad-before.csv
sed '300s/$/,extra/' dup/accounts-twice.csv >dup/bad-after.csv
dup_case repeat-first 3 "bad-after.csv:202: duplicate account" dup/bad-after.csv

# --- 3. a quoted field with line breaks across a share boundary: a long note in an extra column, in
# the middle of the file, where the cuts of 2, 3 and 4 ranks fall.
"$LEDGER_GEN" --out-dir quoted --accounts 300 --countries 5 --transactions 4000 --seed 23 >/dev/null
python3 - quoted/accounts.csv <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
note = '"' + "\n".join(f"line {i} of a note" for i in range(4000)) + '"'
out = [lines[0] + ",note"] + [l + ",plain" for l in lines[1:150]] + [lines[150] + "," + note] + [l + ",plain" for l in lines[151:]]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
same_at_every_count quoted --accounts quoted/accounts.csv --transactions quoted/transactions.csv

# --- 4. empty shares.
printf 'accountNumber,country,balance\n7,NL,10\n' >one.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,7,3,8\n2024-01-02,7,4,7\n' >two.csv
same_at_every_count one-row --accounts one.csv --transactions two.csv
printf 'accountNumber,country,balance\n' >none.csv
same_at_every_count no-rows --accounts none.csv --transactions two.csv

# --- 5. everything rejected, and bad rows in every share.
"$LEDGER_GEN" --out-dir broke --accounts 500 --countries 1 --transactions 20000 --seed 24 --decimals 2 >/dev/null
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $3 = "0.00"; print }' broke/accounts.csv >broke/zero.csv
same_at_every_count broke --accounts broke/zero.csv --transactions broke/transactions.csv
[ "$(wc -l <broke-parallel-4-rej.csv)" -eq 20001 ] && pass || fail "broke: not every transfer was rejected"
awk 'NR % 997 == 0 { print "not,a,row,at,all"; next } { print }' broke/transactions.csv >broke/messy.csv
ledger_np 1 --accounts broke/zero.csv --transactions broke/messy.csv --output q-ref.csv --ingest root \
  --on-bad-row skip --quarantine q-ref-quarantine.csv --log-level error
for n in 2 3 4; do
  ledger_np "$n" --accounts broke/zero.csv --transactions broke/messy.csv --output "q-$n.csv" \
    --on-bad-row skip --quarantine "q-$n-quarantine.csv" --log-level error
  expect_same_file q-ref-quarantine.csv "q-$n-quarantine.csv" "quarantine np $n"
done
[ "$(wc -l <q-ref-quarantine.csv)" -gt 20 ] && pass || fail "quarantine: too few bad rows to test"

# --- 6. a rank killed while the outputs are written. The write stage begins when rank 0 creates the
# temporary of the balances file; rank 1 is killed as soon as it appears. A kill that came too late (the
# run already over) proves nothing, so such an attempt is made again, up to three times.
# A sanitizer build writes several times slower, so a smaller file gives it as long a write stage.
kill_accounts=2000000
[ -z "${ASAN_OPTIONS:-}" ] || kill_accounts=300000
"$LEDGER_GEN" --out-dir big --accounts "$kill_accounts" --countries 20 --transactions 200000 --seed 25 >/dev/null
killed_in_write=0
for attempt in 1 2 3; do
  rm -f big/out.csv big/.out.csv.ledger-tmp-*
  started=$SECONDS
  timeout -k 10 60 "$MPIEXEC" -np 2 "$LEDGER_BIN" --accounts big/accounts.csv --transactions big/transactions.csv \
    --output big/out.csv --log-level error 2>kill-stderr.txt &
  launcher=$!
  # The rank is found first, so that the kill follows the temporary's appearance within milliseconds.
  victim=""
  for _ in $(seq 1 1000); do
    for pid in $(pgrep -P "$(pgrep -P "$launcher" | head -1)" 2>/dev/null || true); do
      tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" && victim=$pid
    done
    [ -n "$victim" ] && break
    sleep 0.01
  done
  until compgen -G "big/.out.csv.ledger-tmp-*" >/dev/null || ! kill -0 "$launcher" 2>/dev/null; do sleep 0.005; done
  [ -n "$victim" ] && kill -9 "$victim" 2>/dev/null || true
  got=0
  wait "$launcher" || got=$?
  if [ "$got" -eq 0 ]; then continue; fi  # the kill missed the write stage
  killed_in_write=1
  [ $((SECONDS - started)) -le 30 ] && pass || fail "kill in write: the job took $((SECONDS - started)) s to end"
  [ ! -e big/out.csv ] && pass || fail "kill in write: a balances file appeared"
  break
done
[ "$killed_in_write" -eq 1 ] && pass || fail "kill in write: three attempts never hit the write stage"
finish
