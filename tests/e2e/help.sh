#!/usr/bin/env bash
# `ledger --help` is the reference a user has at hand, so it is checked against the code rather than
# against a copy: every option the parser declares (src/app/options.cpp) is listed, each with its
# default or "required"; the rejection reasons appear in the order they are checked; every exit code;
# and every environment variable the source reads (the all-capital names in files that call getenv).
source "$(dirname "$0")/lib.sh"
cd "$WORK"

got=0
"$LEDGER_BIN" --help >help.txt 2>stderr.txt || got=$?
[ "$got" -eq 0 ] && pass || fail "--help: exit $got"
[ ! -s stderr.txt ] && pass || fail "--help: something on stderr"
grep -q '^Usage: ledger --accounts PATH --transactions PATH' help.txt && pass || fail "--help: no usage line"
[ "$(grep -c '^  .*ledger .*--accounts' help.txt)" -ge 2 ] && pass || fail "--help: fewer than two examples"

# The options as declared: ("name", ...) or ("name,h", ...) inside add_options().
mapfile -t options < <(sed -n '/add_options()/,/;$/p' "$LEDGER_SOURCE_DIR/src/app/options.cpp" |
  grep -oE '^\s*\("[a-z][a-z-]*' | sed -E 's/^\s*\("//')
[ "${#options[@]}" -ge 14 ] && pass || fail "found only ${#options[@]} options in options.cpp: is the pattern stale?"
python3 - help.txt "${options[@]}" <<'PY' && pass || fail "--help does not describe every option"
import re, sys
text = open(sys.argv[1]).read()
missing = []
for name in sys.argv[2:]:
    # The option's entry runs from its name to the next option's.
    m = re.search(r"^  (?:-\w \[ )?--" + re.escape(name) + r"\b.*?(?=^  (?:-\w \[ )?--|\n\n)", text, re.S | re.M)
    if not m:
        missing.append(f"--{name} not listed")
    elif name not in ("help", "version") and not re.search(r"\(default:\s|\(required\)", m.group(0)):
        missing.append(f"--{name} has no default")
for line in missing:
    print("help.sh: " + line, file=sys.stderr)
sys.exit(1 if missing else 0)
PY

# Reasons in the order the spec checks them.
reasons=(unknown_account invalid_amount same_account cross_country insufficient_funds)
previous=0
for reason in "${reasons[@]}"; do
  line=$(grep -n "^  $reason " help.txt | head -1 | cut -d: -f1)
  [ -n "$line" ] && [ "$line" -gt "$previous" ] && pass || fail "--help: reason $reason missing or out of order"
  previous=${line:-$previous}
done
for code in 0 2 3 4 5; do
  grep -qE "^  $code  [A-Za-z]" help.txt && pass || fail "--help: exit code $code not described"
done

mapfile -t variables < <(grep -rl getenv "$LEDGER_SOURCE_DIR/src" | xargs grep -ho '"[A-Z][A-Z0-9_]\{3,\}"' | tr -d '"' | sort -u)
[ "${#variables[@]}" -ge 5 ] && pass || fail "found only ${#variables[@]} environment variables in the source"
for variable in "${variables[@]}"; do
  grep -q "\b$variable\b" help.txt && pass || fail "--help does not mention the environment variable $variable"
done

grep -q "'-' is stdout" help.txt && pass || fail "--help does not say what '-' means"
finish
