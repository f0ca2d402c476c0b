#!/usr/bin/env bash
# `cmake --install` gives a user what the README promises: bin/ledger and bin/ledger-gen that run, a man
# page that mentions every option `ledger --help` lists (it is written from --help at build time, so an
# option missing from it means the page is stale or was not built), and the Slurm script and monitoring
# files under share/ledger/ (the scaling model runs from there). The installed binary must run the example in data/ to the expected bytes.
source "$(dirname "$0")/lib.sh"
build="$(dirname "$LEDGER_BIN")"
[ -f "$build/cmake_install.cmake" ] || { fail "$build has no cmake_install.cmake"; finish; }

prefix="$WORK/x"
if cmake --install "$build" --prefix "$prefix" >"$WORK/install.log" 2>&1; then pass; else
  fail "cmake --install failed"
  tail -5 "$WORK/install.log" >&2
  finish
fi

for f in bin/ledger bin/ledger-gen bin/ledger-digest; do
  [ -x "$prefix/$f" ] && pass || fail "$f not installed or not executable"
done
for f in share/man/man1/ledger.1 share/ledger/slurm/ledger.sbatch share/ledger/monitoring/ledger-alerts.yml \
  share/ledger/monitoring/grafana-dashboard.json share/doc/ledger/LICENSE share/doc/ledger/docs/reference.md; do
  [ -s "$prefix/$f" ] && pass || fail "$f not installed"
done

# The performance model runs from where it is installed: its modules beside it.
python3 "$prefix/share/ledger/scaling/model.py" --help >/dev/null 2>"$WORK/model.err" && pass \
  || { fail "the installed scaling/model.py does not run"; cat "$WORK/model.err" >&2; }

version="$("$prefix/bin/ledger" --version)"
[ "$version" = "$("$LEDGER_BIN" --version)" ] && pass || fail "installed ledger --version says '$version'"

# Every long option of --help, in the man page's roff text (help2man writes '-' as '\-').
man_text="$(sed 's/\\-/-/g' "$prefix/share/man/man1/ledger.1" 2>/dev/null || true)"
options="$("$LEDGER_BIN" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)"
[ "$(wc -l <<<"$options")" -ge 10 ] && pass || fail "ledger --help listed too few options"
for o in $options; do
  grep -qe "$o" <<<"$man_text" && pass || fail "man page does not mention $o"
done
grep -q '^\.TH LEDGER "1"' <<<"$man_text" && pass || fail "ledger.1 is not a section 1 man page"

LEDGER_BIN="$prefix/bin/ledger"  # ledger_np runs $LEDGER_BIN: from here on, the installed one
expect_example_runs installed

finish
