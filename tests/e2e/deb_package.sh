#!/usr/bin/env bash
# `cpack -G DEB` makes a package that works: unpacked into a temporary root (dpkg-deb -x, nothing
# installed on this machine), its usr/bin/ledger runs the example in data/ to the expected bytes at 2
# ranks, its man page is there, and its Depends line is honest: every shared library that its
# binaries link directly belongs to a package the line names, and every package it names is a real one
# (installed here, so dpkg knows it). A library added to the build without its package would fail here.
source "$(dirname "$0")/lib.sh"
build="$(dirname "$LEDGER_BIN")"
[ -f "$build/CPackConfig.cmake" ] || { fail "$build has no CPackConfig.cmake"; finish; }

# -B keeps the package and CPack's staging tree out of the build directory.
if cpack -G DEB --config "$build/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1; then pass; else
  fail "cpack -G DEB failed"
  tail -8 "$WORK/cpack.log" >&2
  finish
fi
debs=("$WORK"/pkg/*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] && pass || { fail "expected one .deb, found: ${debs[*]}"; finish; }
deb="${debs[0]}"
[ "$(dpkg-deb -f "$deb" Package)" = ledger ] && pass || fail "package name is not ledger"

root="$WORK/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/ledger usr/bin/ledger-gen usr/bin/ledger-digest usr/share/man/man1/ledger.1 usr/share/ledger/slurm/ledger.sbatch \
  usr/share/ledger/monitoring/ledger-alerts.yml; do
  [ -e "$root/$f" ] && pass || fail "$f is not in the package"
done

# The Depends line against what the binaries link and what dpkg knows (one dpkg call each: they are slow).
depends="$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/ //g' | grep -v '^$')"
known="$(dpkg-query -W -f '${Package}\n' $depends 2>/dev/null || true)"
for p in $depends; do
  grep -qx "$p" <<<"$known" && pass || fail "Depends names $p, which is not a package dpkg knows"
done
declare -A linked  # library path -> "binary lib"
for binary in "$root/usr/bin/ledger" "$root/usr/bin/ledger-gen" "$root/usr/bin/ledger-digest"; do
  resolved="$(ldd "$binary")"
  for lib in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    linked["$(awk -v lib="$lib" '$1 == lib { print $3 }' <<<"$resolved")"]="$(basename "$binary") $lib"
  done
done
# Merged /usr: dpkg knows a library under one spelling of its path, so ask for every spelling.
candidates=()
for path in "${!linked[@]}"; do candidates+=("$path" "$(realpath "$path")" "/usr$path" "${path#/usr}"); done
owners="$(dpkg -S "${candidates[@]}" 2>/dev/null || true)"
for path in "${!linked[@]}"; do
  package=""
  for spelling in "$path" "$(realpath "$path")" "/usr$path" "${path#/usr}"; do
    package="$(awk -v p="$spelling" '$2 == p { sub(/:.*/, "", $1); print $1; exit }' <<<"$owners")"
    [ -n "$package" ] && break
  done
  if [ -z "$package" ]; then
    fail "${linked[$path]} ($path): no package owns it"
  elif grep -qx "$package" <<<"$depends"; then pass; else
    fail "${linked[$path]} comes from $package, which Depends does not name"
  fi
done
grep -qx openmpi-bin <<<"$depends" && pass || fail "Depends does not name openmpi-bin (mpirun)"

LEDGER_BIN="$root/usr/bin/ledger"  # ledger_np runs $LEDGER_BIN: the packaged one
expect_example_runs packaged

finish
