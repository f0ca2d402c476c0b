#!/usr/bin/env bash
# The report's input digests (inputs[].xxh3_128) are one function of the files' bytes: the same at 1 to 4
# ranks under both ingests, the same as `ledger-digest` prints outside a run, and the same as an
# independent computation with xxhsum (XXH3-128 of each 4 MiB block, then of the block digests' bytes),
# on files of several blocks so that ranks hash different blocks. A script refusing to apply a day twice
# compares these digests; one that moved with the rank count would let a day through twice.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
digest_tool="$(dirname "$LEDGER_GEN")/ledger-digest"
[ -x "$digest_tool" ] || { fail "no ledger-digest beside ledger-gen"; finish; }
command -v xxhsum >/dev/null || { echo "xxhsum missing: scripts/install-deps.sh installs it (package xxhash)"; exit 77; }

# ~10 MB of transactions (three blocks) in two files, and an accounts file of one block.
"$LEDGER_GEN" --out-dir w --accounts 3000 --countries 5 --transactions 220000 --files 2 --seed 7 >/dev/null
inputs=(w/accounts.csv w/transactions-1.csv w/transactions-2.csv)
for f in "${inputs[@]}"; do [ -f "$f" ] || { fail "ledger-gen wrote no $f"; finish; }; done

# XXH3-128 per block, then of the concatenated block digests, with xxhsum alone.
by_xxhsum() {
  rm -rf blocks && mkdir blocks && split -b 4194304 -a 4 "$1" blocks/b
  python3 - blocks <<'PY'
import os, subprocess, sys
d = sys.argv[1]
names = sorted(os.listdir(d))
raw = b"".join(bytes.fromhex(subprocess.run(["xxhsum", "-H2", os.path.join(d, n)], capture_output=True, check=True,
                                            text=True).stdout.split()[0]) for n in names)
print(subprocess.run(["xxhsum", "-H2"], input=raw, capture_output=True, check=True).stdout.decode().split()[0])
PY
}
expected=()
for f in "${inputs[@]}"; do
  want="$(by_xxhsum "$f")"
  got="$("$digest_tool" "$f" | cut -d' ' -f1)"
  [ "$got" = "$want" ] && pass || fail "ledger-digest $f: $got, xxhsum gives $want"
  # Read through a pipe, the same bytes give the same digest.
  [ "$("$digest_tool" - <"$f" | cut -d' ' -f1)" = "$want" ] && pass || fail "ledger-digest - <$f differs"
  expected+=("$want")
done
[ "$(: | "$digest_tool" - | cut -d' ' -f1)" = 99aa06d3014798d86001c324468d497f ] && pass || fail "empty input digest"
"$digest_tool" missing.csv >/dev/null 2>err.txt && fail "ledger-digest of a missing file exited 0" || pass
grep -q "missing.csv" err.txt && pass || fail "ledger-digest's error does not name the file: $(cat err.txt)"

for ingest in parallel root; do
  for n in 1 2 3 4; do
    report="r-$ingest-$n.json"
    if ! ledger_np "$n" --accounts w/accounts.csv --transactions w/transactions-1.csv --transactions w/transactions-2.csv \
      --output "b-$ingest-$n.csv" --report "$report" --ingest "$ingest" --log-level warn; then
      fail "np $n --ingest $ingest: ledger exited non-zero"
      continue
    fi
    got="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(" ".join(i["xxh3_128"] for i in r["inputs"]), "digest" in r["stages_seconds"])' "$report")"
    [ "$got" = "${expected[*]} True" ] && pass || fail "np $n --ingest $ingest: report says '$got', expected '${expected[*]} True'"
  done
done

# A failed run (a missing transactions file) still reports its inputs, without digests.
ledger_np 1 --accounts w/accounts.csv --transactions missing.csv --output b.csv --report failed.json 2>/dev/null && fail "missing input exited 0"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["status"] == "failed" and all(i["xxh3_128"] is None for i in r["inputs"]), r["inputs"]' failed.json \
  && pass || fail "a failed run's inputs carry digests"
finish
