#!/usr/bin/env bash
# The peer: the same replay with standard tools in one process pipeline (sort + awk), for integer-id,
# integer-amount, plain-date workloads only (awk numbers are doubles: exact below 2^53). It is what a
# careful operator could write in an afternoon, and the bar a distributed job must clear.
# Usage: peer_sort_awk.sh ACCOUNTS TRANSACTIONS OUTPUT
set -euo pipefail
accounts="$1" transactions="$2" output="$3"
# Dates in these workloads are fixed-width ISO text, so text order is time order; -s keeps input order
# for equal instants, as the spec requires.
tail -n +2 "$transactions" | LC_ALL=C sort -s -t, -k1,1 |
  LC_ALL=C awk -F, -v accounts="$accounts" '
    BEGIN {
      while ((getline line < accounts) > 0) {
        if (n++ == 0) continue
        split(line, f, ",")
        order[n - 1] = f[1]; country[f[1]] = f[2]; balance[f[1]] = f[3] + 0
      }
      count = n - 1
    }
    {
      from = $2; amount = $3 + 0; to = $4
      if (!(from in country) || !(to in country)) next
      if (amount <= 0 || from == to || country[from] != country[to]) next
      if (balance[from] < amount) next
      balance[from] -= amount; balance[to] += amount
    }
    END {
      print "accountNumber,country,balance"
      for (i = 1; i <= count; i++) printf "%s,%s,%.0f\n", order[i], country[order[i]], balance[order[i]]
    }' >"$output"
