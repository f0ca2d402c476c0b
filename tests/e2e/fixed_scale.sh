#!/usr/bin/env bash
# --fixed-scale N keeps a rolled-forward balances file at N fraction digits: balances and amounts are
# padded to N digits whatever the inputs hold; an opening balance with more is exit 3 naming the file,
# line and account (under either --on-bad-row); a transfer amount with more is a bad row (exit 3 under
# fail, quarantined under skip), never rounded; a bad N is exit 2. The same bytes and messages at 1 and 3
# ranks under both ingests, as for every other rule.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

printf 'accountNumber,country,balance\n1,FR,100\n2,FR,20.5\n3,DE,50\n4,DE,0\n' >accounts.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2026-01-02,1,30.25,2\n2026-01-02,3,7,4\n' >tx.csv
printf 'accountNumber,country,balance\n1,FR,100\n2,FR,20.5\n3,DE,50.125\n4,DE,0\n' >accounts-fine.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2026-01-02,1,30.25,2\n2026-01-02,3,0.125,4\n2026-01-03,1,1.5,2\n' >tx-fine.csv

runs=("1 parallel" "3 parallel" "3 root")

# Padded: every balance and amount_moved at 4 digits, though the inputs have at most 2.
printf 'accountNumber,country,balance\n1,FR,69.7500\n2,FR,50.7500\n3,DE,43.0000\n4,DE,7.0000\n' >want-padded.csv
for run in "${runs[@]}"; do
  read -r n ingest <<<"$run"
  if ledger_np "$n" --accounts accounts.csv --transactions tx.csv --output "pad-$n-$ingest.csv" --fixed-scale 4 \
    --ingest "$ingest" --report "pad-$n-$ingest.json" --log-level warn; then
    expect_same_file want-padded.csv "pad-$n-$ingest.csv" "np $n $ingest --fixed-scale 4"
    got="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["scale"], r["amount_moved"])' "pad-$n-$ingest.json")"
    [ "$got" = "4 37.2500" ] && pass || fail "np $n $ingest: report scale and amount_moved '$got', expected '4 37.2500'"
  else
    fail "np $n $ingest --fixed-scale 4 exited non-zero"
  fi
done
# --fixed-scale 0 on integer inputs, and the scale of the input without the option, are as before.
ledger_np 1 --accounts accounts.csv --transactions tx.csv --output plain.csv --log-level warn
[ "$(sed -n 2p plain.csv)" = "1,FR,69.75" ] && pass || fail "without --fixed-scale the scale changed: $(sed -n 2p plain.csv)"

# Refused: an opening balance of 3 digits under --fixed-scale 2, whatever --on-bad-row says.
want_refused="ledger: error: accounts-fine.csv:4: account '3': balance '50.125': 3 fraction digits where --fixed-scale allows 2 (never rounded)"
for run in "${runs[@]}"; do
  read -r n ingest <<<"$run"
  for policy in fail skip; do
    code=0
    ledger_np "$n" --accounts accounts-fine.csv --transactions tx.csv --output "refused-$n.csv" --fixed-scale 2 \
      --ingest "$ingest" --on-bad-row "$policy" 2>err.txt || code=$?
    [ "$code" -eq 3 ] && pass || fail "np $n $ingest $policy: a 3-digit balance under --fixed-scale 2 exited $code, not 3"
    [ "$(grep -v '^\[' err.txt)" = "$want_refused" ] && pass || fail "np $n $ingest $policy: message: $(cat err.txt)"
    [ ! -e "refused-$n.csv" ] && pass || fail "np $n $ingest: a refused run wrote balances"
  done
done

# A 3-digit transfer amount is a bad row: exit 3 under fail, quarantined under skip, the rest applied.
want_bad="ledger: error: tx-fine.csv:3: transferAmount '0.125': 3 fraction digits where --fixed-scale allows 2 (never rounded) (2026-01-02,3,0.125,4)"
printf 'file,line,error,row\ntx-fine.csv,3,transferAmount '"'"'0.125'"'"': 3 fraction digits where --fixed-scale allows 2 (never rounded),"2026-01-02,3,0.125,4"\n' >want-quarantine.csv
printf 'accountNumber,country,balance\n1,FR,68.25\n2,FR,52.25\n3,DE,50.00\n4,DE,0.00\n' >want-skipped.csv
for run in "${runs[@]}"; do
  read -r n ingest <<<"$run"
  code=0
  ledger_np "$n" --accounts accounts.csv --transactions tx-fine.csv --output "bad-$n.csv" --fixed-scale 2 \
    --ingest "$ingest" 2>err.txt || code=$?
  [ "$code" -eq 3 ] && pass || fail "np $n $ingest: a 3-digit amount under --fixed-scale 2 and fail exited $code, not 3"
  [ "$(grep -v '^\[' err.txt)" = "$want_bad" ] && pass || fail "np $n $ingest: message: $(cat err.txt)"
  if ledger_np "$n" --accounts accounts.csv --transactions tx-fine.csv --output "skip-$n-$ingest.csv" --fixed-scale 2 \
    --ingest "$ingest" --on-bad-row skip --quarantine "q-$n-$ingest.csv" --log-level warn; then
    expect_same_file want-skipped.csv "skip-$n-$ingest.csv" "np $n $ingest skip balances"
    expect_same_file want-quarantine.csv "q-$n-$ingest.csv" "np $n $ingest quarantine"
  else
    fail "np $n $ingest: --on-bad-row skip with a 3-digit amount exited non-zero"
  fi
done

# A bad N is a bad command line.
for bad in 19 -1 x 2.5 ''; do
  code=0
  "$LEDGER_BIN" --accounts accounts.csv --transactions tx.csv --output never.csv --fixed-scale "$bad" 2>err.txt || code=$?
  [ "$code" -eq 2 ] && pass || fail "--fixed-scale '$bad' exited $code, not 2"
  grep -q -- "--fixed-scale" err.txt && pass || fail "--fixed-scale '$bad': message does not name the option: $(cat err.txt)"
done
finish
