#!/usr/bin/env bash
# Stops the throw-away cluster that cluster-up.sh started in STATE_DIR. Safe to run any number of times,
# on a half-started cluster, or on a directory that no longer exists.
#
#   scripts/slurm/cluster-down.sh [STATE_DIR] [--purge]     (or LEDGER_SLURM_DIR=STATE_DIR)
#
# Only processes named by this cluster's pid files are stopped, plus the job step daemons (slurmstepd)
# that hold this cluster's log files open: those outlive their slurmd, and are identified by that link
# to STATE_DIR rather than by name, so another cluster or a system Slurm is never touched.
# --purge also deletes STATE_DIR; by default it is kept so that its logs can be read.
set -uo pipefail

state_dir="${LEDGER_SLURM_DIR:-}"
purge=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    -*) echo "cluster-down: unknown option $arg" >&2; exit 2 ;;
    *) state_dir="$arg" ;;
  esac
done
[[ -n "$state_dir" ]] || { echo "usage: cluster-down.sh STATE_DIR [--purge]" >&2; exit 2; }
[[ -d "$state_dir" ]] || { echo "cluster-down: $state_dir does not exist; nothing to stop"; exit 0; }
state_dir="$(cd "$state_dir" && pwd)"
PATH="$PATH:/usr/sbin"

# Cancel what is still queued or running while the controller can still do it cleanly.
if [[ -s "$state_dir/run/slurmctld.pid" ]] && kill -0 "$(cat "$state_dir/run/slurmctld.pid")" 2>/dev/null; then
  SLURM_CONF="$state_dir/etc/slurm.conf" timeout 10 scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
fi

step_daemons() { # pids of slurmstepd processes with a file open under this state directory
  local fd_dir pid
  for fd_dir in /proc/[0-9]*/fd; do
    pid="${fd_dir#/proc/}"
    pid="${pid%/fd}"
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == slurmstepd ]] || continue
    if find "$fd_dir" -maxdepth 1 -lname "$state_dir/*" 2>/dev/null | grep -q .; then echo "$pid"; fi
  done
}

pids=()
for f in "$state_dir"/run/slurmd-*.pid "$state_dir/run/slurmctld.pid" "$state_dir/munge/munged.pid"; do
  [[ -s "$f" ]] || continue
  pid="$(cat "$f")"
  # A stale pid file may name a recycled pid: only a process of the expected daemon is stopped.
  name="$(basename "$f" .pid)"
  name="${name%%-*}"
  [[ "$pid" =~ ^[0-9]+$ && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]] && pids+=("$pid")
done
descendants() { # descendants PID...: every process below the given ones, children before parents' kin
  ps -e -o pid=,ppid= | awk -v roots=" $* " '
    { parent[$1] = $2 }
    END {
      split(roots, r, " "); for (i in r) keep[r[i]] = 1
      do { grew = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; grew = 1; print p } } while (grew)
    }'
}
mapfile -t steps < <(step_daemons)
# A step daemon killed before its job leaves the job's processes orphaned, so they are taken too.
if ((${#steps[@]})); then mapfile -t step_children < <(descendants "${steps[@]}"); else step_children=(); fi
pids=("${step_children[@]}" "${steps[@]}" "${pids[@]}")

if ((${#pids[@]})); then
  kill -TERM "${pids[@]}" 2>/dev/null
  # Daemons save state and close sockets on TERM; give them a few seconds before insisting.
  for _ in $(seq 50); do
    alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    ((${#alive[@]})) || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null; done
  echo "cluster-down: stopped ${#pids[@]} processes of $state_dir"
else
  echo "cluster-down: nothing running in $state_dir"
fi
rm -f "$state_dir"/run/*.pid "$state_dir/munge/munged.pid"

if ((purge)); then
  rm -rf "$state_dir"
  echo "cluster-down: removed $state_dir"
fi
exit 0
