#!/usr/bin/env bash
# Database mode gives what CSV mode gives (spec: Database mode), against a real PostgreSQL 15: for the
# repository's data and a generated workload (string ids, two transactions files, every rejection reason),
# at 1-4 ranks and with both ingest strategies, a --db run leaves in ledger.accounts, in ledger.runs /
# ledger.rejected_transfers and in its --output / --rejected files exactly the balances and rejected rows
# of a CSV-mode run on the same accounts in key order. The default run id is the SHA-256 of the
# transactions files' bytes in the order given, and the runs row counts what the report counts. The
# report's input digests are the transactions files', and --fixed-scale holds for the table too. With
# --rejected-columns traced the table still gets the five columns, and the file the traced ones.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/support/postgres.sh"
cd "$WORK"
pg_start

"$LEDGER_GEN" --out-dir gen --accounts 3000 --countries 12 --transactions 60000 --files 2 --decimals 2 \
  --string-ids --unknown 0.02 --self 0.01 --invalid-amount 0.01 --cross-country 0.02 --seed 11 >/dev/null

check_dataset() {  # name accounts.csv transactions...
  local name="$1" accounts="$2"
  shift 2
  local tx_args=() t
  for t in "$@"; do tx_args+=(--transactions "$t"); done
  # CSV mode on the accounts in key order: the reference.
  sorted_accounts "$accounts" "$name-sorted.csv"
  ledger_np 1 --accounts "$name-sorted.csv" "${tx_args[@]}" --output "$name-want.csv" \
    --rejected "$name-want-rejected.csv" --log-level error || { fail "$name: CSV-mode run failed"; return; }
  # The table is loaded shuffled: the order of its rows must not matter, only the keys'.
  { head -n 1 "$accounts"; tail -n +2 "$accounts" | shuf --random-source=<(yes); } >"$name-shuffled.csv"
  local run_id
  run_id=$(cat "$@" | sha256sum | cut -d' ' -f1)
  for np in 1 2 3 4; do
    for ingest in root parallel; do
      local what="$name np $np $ingest"
      load_accounts "$name-shuffled.csv"
      rm -f out.csv rejected.csv
      if ledger_np "$np" --db "$DB" "${tx_args[@]}" --ingest "$ingest" --output out.csv --rejected rejected.csv \
        --report report.json --log-level error 2>err.txt; then pass; else
        fail "$what: exited non-zero"; cat err.txt >&2; continue
      fi
      expect_same_file "$name-want.csv" out.csv "$what: --output"
      expect_same_file "$name-want-rejected.csv" rejected.csv "$what: --rejected"
      table_balances table.csv
      expect_same_file "$name-want.csv" table.csv "$what: ledger.accounts"
      table_rejected "$run_id" table-rejected.csv
      expect_same_file "$name-want-rejected.csv" table-rejected.csv "$what: ledger.rejected_transfers"
      local row want_row
      row=$(psql_do -At -c "SELECT run_id, ranks, accounts, transfers, accepted, rejected, bad_rows, amount_moved,
        array_length(transactions_files, 1) FROM ledger.runs")
      want_row=$(python3 -c '
import json, sys
r = json.load(open("report.json")); c = r["counts"]
print("|".join(str(x) for x in [sys.argv[1], sys.argv[2], c["accounts"], c["transfers"], c["accepted"],
      sum(c["rejected"].values()), c["bad_rows"], r["amount_moved"], sys.argv[3]]))' "$run_id" "$np" "$#")
      [ "$row" = "$want_row" ] && pass || fail "$what: ledger.runs holds '$row', expected '$want_row'"
      ls -d .ledger-db-* >/dev/null 2>&1 && fail "$what: the staging directory was left behind" || pass
    done
  done
}

check_dataset data "$LEDGER_SOURCE_DIR/data/accounts.csv" "$LEDGER_SOURCE_DIR/data/transactions.csv"
check_dataset gen gen/accounts.csv gen/transactions-1.csv gen/transactions-2.csv
# The per-file digests are recorded beside the run's own.
want="{$(sha256sum gen/transactions-1.csv | cut -d' ' -f1),$(sha256sum gen/transactions-2.csv | cut -d' ' -f1)}"
got=$(psql_do -At -c 'SELECT transactions_sha256 FROM ledger.runs')
[ "$got" = "$want" ] && pass || fail "ledger.runs.transactions_sha256 is $got, expected $want"
# The report's inputs are the transactions files alone (not the staged export), with the digests that
# ledger-digest prints.
want="$("$(dirname "$LEDGER_GEN")/ledger-digest" gen/transactions-1.csv gen/transactions-2.csv | cut -d' ' -f1 | tr '\n' ' ')"
got="$(python3 -c 'import json; print(" ".join(i["xxh3_128"] for i in json.load(open("report.json"))["inputs"]), end=" ")')"
[ "$got" = "$want" ] && pass || fail "database mode report digests '$got', expected '$want'"

# --fixed-scale: the balances go back at its scale; a balance in the table with more digits is exit 3
# naming the account, and the table is left as it was.
printf 'accountNumber,country,balance\nA,FR,10\nB,FR,2.5\n' >fixed.csv
printf 'date,fromAccountNumber,transferAmount,toAccountNumber\n2026-01-02,A,1.25,B\n' >fixed-tx.csv
load_accounts fixed.csv
ledger_np 2 --db "$DB" --transactions fixed-tx.csv --fixed-scale 3 --log-level error && pass || fail "--db --fixed-scale 3 failed"
got="$(psql_do -At -c "SELECT string_agg(account_number || '=' || balance::text, ' ' ORDER BY account_number) FROM ledger.accounts")"
[ "$got" = "A=8.750 B=3.750" ] && pass || fail "--db --fixed-scale 3 left '$got', expected 'A=8.750 B=3.750'"
code=0
ledger_np 2 --db "$DB" --transactions fixed-tx.csv --run-id second --fixed-scale 2 2>err.txt || code=$?
[ "$code" -eq 3 ] && grep -q "account 'A': balance '8.750': 3 fraction digits where --fixed-scale allows 2" err.txt \
  && pass || fail "--db --fixed-scale 2 on 3-digit balances: exit $code, $(cat err.txt)"
got="$(psql_do -At -c "SELECT string_agg(balance::text, ' ' ORDER BY account_number) FROM ledger.accounts")"
[ "$got" = "8.750 3.750" ] && pass || fail "a refused --db run changed the table: $got"
# --rejected-columns traced: the --rejected file is CSV mode's traced file, the table keeps five columns.
gen_tx=(--transactions gen/transactions-1.csv --transactions gen/transactions-2.csv)
ledger_np 1 --accounts gen-sorted.csv "${gen_tx[@]}" --output traced-want.csv --rejected traced-want-rejected.csv \
  --rejected-columns traced --log-level error || fail "traced: CSV-mode run failed"
load_accounts gen-shuffled.csv
if ledger_np 2 --db "$DB" "${gen_tx[@]}" --rejected traced-rejected.csv --rejected-columns traced --log-level error; then
  expect_same_file traced-want-rejected.csv traced-rejected.csv "traced: --rejected"
  table_rejected "$(cat gen/transactions-1.csv gen/transactions-2.csv | sha256sum | cut -d' ' -f1)" table-rejected.csv
  expect_same_file gen-want-rejected.csv table-rejected.csv "traced: ledger.rejected_transfers"
else
  fail "traced: the --db run exited non-zero"
fi
# Values that CSV must quote (a comma, a quote, a line break) and one that is not ASCII travel through the
# rejected rows' binary COPY unchanged.
cat >quoted-accounts.csv <<'CSV'
accountNumber,country,balance
"a,1",FR,10.50
"b""2",FR,3
"c
3",DE,7
é4,FR,1
CSV
cat >quoted-transactions.csv <<'CSV'
date,fromAccountNumber,transferAmount,toAccountNumber,memo
2026-01-02,"a,1",20,"b""2",too much
2026-01-02T10:00,"b""2",1.25,"c
3",cross
2026-01-03,é4,0,"a,1",zero
2026-01-03,"a,1",2,"zz,9",unknown
2026-01-04,"a,1",5.5,é4,ok
CSV
check_dataset quoted quoted-accounts.csv quoted-transactions.csv
finish
