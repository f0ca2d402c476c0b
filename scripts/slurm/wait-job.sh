#!/usr/bin/env bash
# Waits for a Slurm job to end and exits with its exit code.
#
#   scripts/slurm/wait-job.sh JOBID [TIMEOUT_SECONDS]
#
# Why not `sbatch --wait`: it polls the controller with a back-off that reaches tens of seconds, which
# dominates a test of jobs that run for one second. This asks `scontrol` five times a second instead.
# Prints one line "JOBID STATE EXITCODE ELAPSED". Exit: the job's exit code; 128+signal if it was killed
# by a signal; 1 if it ended without an exit code of its own (cancelled, timed out, node failure);
# 124 if TIMEOUT_SECONDS (default 600) passed first, after cancelling the job.
set -uo pipefail

job="${1:?usage: wait-job.sh JOBID [TIMEOUT_SECONDS]}"
timeout_seconds="${2:-600}"
deadline=$((SECONDS + timeout_seconds))

while :; do
  line="$(scontrol -o show job "$job" 2>/dev/null)"
  state="$(sed -n 's/.*\bJobState=\([A-Z_]*\).*/\1/p' <<<"$line")"
  case "$state" in
    COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | PREEMPTED | BOOT_FAIL | DEADLINE)
      break ;;
    "")
      # The controller forgets a job MinJobAge seconds after it ended; before that this means no job.
      echo "wait-job: job $job is unknown to Slurm" >&2
      exit 1 ;;
  esac
  if ((SECONDS >= deadline)); then
    echo "wait-job: job $job still $state after ${timeout_seconds}s; cancelling it" >&2
    scancel "$job" 2>/dev/null
    exit 124
  fi
  sleep 0.2
done

exit_field="$(sed -n 's/.* ExitCode=\([0-9]*:[0-9]*\).*/\1/p' <<<"$line")"
elapsed="$(sed -n 's/.* RunTime=\([0-9:-]*\).*/\1/p' <<<"$line")"
echo "$job $state ${exit_field:-?} ${elapsed:-?}"
code="${exit_field%%:*}"
signal="${exit_field##*:}"
if [[ "${signal:-0}" != 0 ]]; then exit $((128 + signal)); fi
if [[ "$state" != COMPLETED && "${code:-0}" == 0 ]]; then exit 1; fi
exit "${code:-1}"
