#!/usr/bin/env bash
# The README tells the truth, and the documentation holds together.
# 1. Every code block of README.md marked ```bash runnable is run, in order, in a copy of the repository
#    with build/ledger, build/tools/ledger-gen and ledger-digest in place, as a newcomer would paste it; a block marked
#    `runnable rerun-fails` must fail when pasted a second time (the guard against applying a day twice).
#    A block marked ```csv expect=PATH must equal that file afterwards.
# 2. The commands the README shows but cannot run here mirror the scripts: the two commands are the
#    scripts CI runs, the cmake line configures as scripts/build.sh does, ledger-gen is where it says,
#    and every package of scripts/install-deps.sh is named.
# 3. The README's option table names only options `ledger --help` has, and docs/reference.md names every
#    option `ledger --help` has.
# 4. README.md is at most 15 KiB with a table of contents whose anchors exist and which lists every
#    section; the docs pages, LICENSE and CHANGELOG.md exist; no Markdown link in the repository points
#    outside it, to a missing file or to a missing heading.
source "$(dirname "$0")/lib.sh"
src="$LEDGER_SOURCE_DIR"

# --- 1. runnable blocks, in a copy --------------------------------------------------------------------
copy="$WORK/repo"
mkdir -p "$copy"
tar -C "$src" --exclude='./build*' --exclude='./.git' --exclude='./out' -cf - . | tar -C "$copy" -xf -
mkdir -p "$copy/build/tools"
ln -s "$LEDGER_BIN" "$copy/build/ledger"
ln -s "$LEDGER_GEN" "$copy/build/tools/ledger-gen"
ln -s "$(dirname "$LEDGER_GEN")/ledger-digest" "$copy/build/tools/ledger-digest"
# mpirun as the README's commands call it (the test's MPIEXEC is the same Open MPI).
mkdir -p "$WORK/bin"
ln -s "$MPIEXEC" "$WORK/bin/mpirun"
export PATH="$WORK/bin:$PATH"

python3 - "$src/README.md" "$WORK/blocks" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
out = sys.argv[2]
os.makedirs(out)
n = 0
for m in re.finditer(r"^```([^\n`]*)\n(.*?)^```$", text, re.S | re.M):
    info, body = m.group(1).split(), m.group(2)
    if len(info) >= 2 and info[0] == "bash" and info[1] == "runnable":
        n += 1
        kind = "rerun" if "rerun-fails" in info[2:] else "run"
        open(f"{out}/{n:02d}.{kind}.sh", "w").write(body)
    expect = [w[len("expect="):] for w in info[1:] if w.startswith("expect=")]
    if expect:
        n += 1
        open(f"{out}/{n:02d}.expect", "w").write(expect[0] + "\n" + body)
PY

runnable=0
for block in "$WORK"/blocks/*; do
  name="$(basename "$block")"
  case "$name" in
  *.sh)
    runnable=$((runnable + 1))
    if (cd "$copy" && bash -eo pipefail "$block") >"$WORK/$name.log" 2>&1; then pass; else
      fail "README runnable block $name failed:"
      sed 's/^/    /' "$block" >&2
      tail -5 "$WORK/$name.log" >&2
    fi
    if [[ "$name" == *.rerun.sh ]]; then
      if (cd "$copy" && bash -eo pipefail "$block") >"$WORK/$name.again.log" 2>&1; then
        fail "README block $name succeeded when run a second time; it says it refuses"
      else pass; fi
    fi
    ;;
  *.expect)
    path="$(head -1 "$block")"
    if cmp -s <(tail -n +2 "$block") "$copy/$path"; then pass; else
      fail "README shows $path as something else than the block before it writes:"
      diff <(tail -n +2 "$block") "$copy/$path" | head -8 >&2 || true
    fi
    ;;
  esac
done
[ "$runnable" -ge 3 ] && pass || fail "expected at least 3 runnable blocks in README.md, found $runnable"

# --- 2. commands that mirror scripts ------------------------------------------------------------------
readme="$src/README.md"
for line in 'bash scripts/run-example.sh' 'bash scripts/test.sh'; do
  grep -q "^$line  " "$readme" && pass || fail "README's two commands lack '$line'"
done
grep -qx 'bash scripts/test.sh' "$src/.ci/run" && pass || fail ".ci/run does not run bash scripts/test.sh"
grep -q -- '-DCMAKE_BUILD_TYPE=Release' "$src/scripts/build.sh" && grep -q '^cmake -S \. -B build -DCMAKE_BUILD_TYPE=Release$' "$readme" \
  && pass || fail "README's cmake configure line and scripts/build.sh disagree"
[[ "$LEDGER_GEN" == */tools/ledger-gen ]] && grep -q '`build/tools/ledger-gen`' "$readme" \
  && pass || fail "README says build/tools/ledger-gen, the build puts it at $LEDGER_GEN"
packages="$(sed -n '/^packages=(/,/^)/p' "$src/scripts/install-deps.sh" | grep -v '^ *#' | tr -s ' ()' '\n' | grep -v -e '^packages=$' -e '^$')"
[ -n "$packages" ] || fail "no packages read from scripts/install-deps.sh"
for p in $packages; do
  grep -q "\`$p\`" "$readme" && pass || fail "README does not name $p, which scripts/install-deps.sh installs"
done

# --- 3. options ------------------------------------------------------------------------------------------
help_options="$("$LEDGER_BIN" --help | grep -oE -- '^ +(-[a-z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z][a-z-]*' | sort -u)"
[ "$(wc -l <<<"$help_options")" -ge 10 ] && pass || fail "ledger --help listed too few options: $help_options"
for o in $(grep -oE '^\| `--[a-z][a-z-]*' "$readme" | cut -c4-); do
  grep -qx -- "$o" <<<"$help_options" && pass || fail "README's options table has $o, which ledger --help does not"
done
for o in $help_options; do
  grep -q -- "\`$o[ \`]" "$src/docs/reference.md" && pass || fail "docs/reference.md does not describe $o"
done

# --- 4. structure and links ---------------------------------------------------------------------------
size="$(wc -c <"$readme")"
[ "$size" -le 15360 ] && pass || fail "README.md is $size bytes, more than 15 KiB"
for f in docs/design.md docs/reference.md docs/performance.md docs/operations.md LICENSE CHANGELOG.md; do
  [ -s "$src/$f" ] && pass || fail "$f is missing or empty"
done
if python3 - "$src" <<'PY'; then pass; else fail "documentation links (above)"; fi
import os, re, sys

root = os.path.realpath(sys.argv[1])

def without_code(text):
    text = re.sub(r"^```.*?^```$", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)

def anchors(path):
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    seen, ids = {}, set()
    text = re.sub(r"^```.*?^```$", "", open(path, encoding="utf-8").read(), flags=re.S | re.M)
    for m in re.finditer(r"^#{1,6} +(.*?) *#*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower().replace("`", "")).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        ids.add(slug if n == 0 else f"{slug}-{n}")
    return ids

bad = []
pages = []
for d, dirs, files in os.walk(root):
    dirs[:] = [x for x in dirs if not (x.startswith("build") or x in (".git", "out"))]
    pages += [os.path.join(d, f) for f in files if f.endswith(".md")]
for page in sorted(pages):
    rel = os.path.relpath(page, root)
    text = without_code(open(page, encoding="utf-8").read())
    if re.search(r"\.\./shared|<https?:", text):
        bad.append(f"{rel}: mentions ../shared or an autolink outside the repository")
    for m in re.finditer(r"\]\(([^)\s]*)\)", text):
        target = m.group(1)
        if re.match(r"[a-z]+:", target) or target.startswith("/"):
            bad.append(f"{rel}: link outside the repository: {target}")
            continue
        file, _, anchor = target.partition("#")
        dest = os.path.realpath(os.path.join(os.path.dirname(page), file)) if file else page
        if not (dest == root or dest.startswith(root + os.sep)):
            bad.append(f"{rel}: link leaves the repository: {target}")
        elif not os.path.exists(dest):
            bad.append(f"{rel}: link to a missing file: {target}")
        elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
            bad.append(f"{rel}: link to a missing heading: {target}")

readme = os.path.join(root, "README.md")
text = open(readme, encoding="utf-8").read()
toc = re.search(r"^## Contents\n\n((?:- \[.*\n)+)", text, re.M)
if not toc:
    bad.append("README.md: no '## Contents' list")
else:
    listed = set(re.findall(r"\]\(#([^)]+)\)", toc.group(1)))
    sections = {re.sub(r"[^\w\- ]", "", h.lower().replace("`", "")).replace(" ", "-")
                for h in re.findall(r"^## +(.*)$", re.sub(r"^```.*?^```$", "", text, flags=re.S | re.M), re.M)}
    sections.discard("contents")
    for missing in sorted(sections - listed):
        bad.append(f"README.md: section #{missing} is not in the table of contents")
for b in bad:
    print("  " + b, file=sys.stderr)
print(f"checked {len(pages)} Markdown files", file=sys.stderr)
sys.exit(1 if bad else 0)
PY

finish
