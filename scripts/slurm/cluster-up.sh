#!/usr/bin/env bash
# Starts a real, throw-away Slurm cluster on this one machine: one munged, one slurmctld and one slurmd
# per fake node (c1..cN), every file it needs or writes kept under one state directory, so that the
# job script and the scaling study can be tested against real Slurm without root-owned system state.
#
#   scripts/slurm/cluster-up.sh [STATE_DIR]        (or LEDGER_SLURM_DIR=STATE_DIR)
#   source STATE_DIR/env.sh                        # SLURM_CONF and the Open MPI settings for fake nodes
#   sbatch -N 2 slurm/ledger.sbatch ...
#   scripts/slurm/cluster-down.sh STATE_DIR
#
# Settings (environment):
#   LEDGER_SLURM_NODES          fake nodes, default 4
#   LEDGER_SLURM_CPUS_PER_NODE  CPUs each fake node declares, default 2. All nodes share this machine's
#                               cores, so the sum may exceed them; Slurm is told to believe the config
#                               (SlurmdParameters=config_overrides) and the study marks such points.
#   LEDGER_SLURM_START_TIMEOUT  seconds to wait for every node to be idle, default 30
#
# Exit codes: 0 cluster up (or already up); 1 it did not come up (logs printed, daemons stopped);
# 2 bad usage; 3 Slurm cannot run here: Slurm, munge or its PMIx plugin is not installed, or not root
# (callers may treat this as "skip").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
nodes="${LEDGER_SLURM_NODES:-4}"
cpus_per_node="${LEDGER_SLURM_CPUS_PER_NODE:-2}"
timeout_seconds="${LEDGER_SLURM_START_TIMEOUT:-30}"
state_dir="${1:-${LEDGER_SLURM_DIR:-}}"

die() { echo "cluster-up: $*" >&2; exit "${2:-1}"; }

[[ -n "$state_dir" ]] || die "usage: cluster-up.sh STATE_DIR (or set LEDGER_SLURM_DIR)" 2
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] || die "LEDGER_SLURM_NODES must be 1..99, got '$nodes'" 2
[[ "$cpus_per_node" =~ ^[1-9][0-9]*$ ]] || die "LEDGER_SLURM_CPUS_PER_NODE must be a positive integer" 2
[[ "$timeout_seconds" =~ ^[1-9][0-9]*$ ]] || die "LEDGER_SLURM_START_TIMEOUT must be a positive integer" 2

# --- prerequisites: a missing package is reported as such (exit 3), not as a failed start ---------------
# slurmd starts job steps as their owner, which takes root; this cluster's daemons all run as root.
[[ "$(id -u)" == 0 ]] || die "slurmd must run as root to start job steps; run this as root" 3
missing=()
for tool in munged slurmctld slurmd sbatch srun sinfo squeue scontrol scancel; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || missing+=("$tool")
done
((${#missing[@]} == 0)) || die "not installed: ${missing[*]} (scripts/install-deps.sh installs them)" 3
PATH="$PATH:/usr/sbin"
plugin_dir=""
for d in /usr/lib/x86_64-linux-gnu/slurm-wlm /usr/lib/*/slurm-wlm /usr/lib64/slurm /usr/lib/slurm; do
  [[ -e "$d/mpi_pmix.so" ]] && { plugin_dir="$d"; break; }
done
[[ -n "$plugin_dir" ]] || die "Slurm's mpi_pmix plugin is not installed; srun --mpi=pmix cannot work" 3

mkdir -p "$state_dir"
state_dir="$(cd "$state_dir" && pwd)"
conf="$state_dir/etc/slurm.conf"

alive() { # alive PIDFILE: true when the pid file names a running process
  [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

nodes_idle() { # prints how many of this cluster's nodes are idle
  SLURM_CONF="$conf" sinfo -h -N -o '%N %t' 2>/dev/null | awk '$2 == "idle" { n++ } END { print n + 0 }'
}

if alive "$state_dir/run/slurmctld.pid"; then
  # Idempotent start: an already running cluster in this directory is left as it is.
  [[ "$(nodes_idle)" -ge 1 ]] && { echo "cluster-up: already running in $state_dir"; exit 0; }
  die "a slurmctld from $state_dir is running but has no idle node; run cluster-down.sh $state_dir first"
fi

# --- ports: one for slurmctld and a consecutive range for the slurmds, none of them in use --------------
used_ports() { # every local TCP port in any state, decimal, from the kernel's tables
  awk 'FNR > 1 { split($2, a, ":"); print strtonum("0x" a[2]) }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u
}
pick_ports() { # pick_ports COUNT: prints the first of COUNT consecutive free ports
  local count="$1" used base p ok tries ephemeral_low
  used=" $(used_ports | tr '\n' ' ') "
  # Below the kernel's ephemeral range, so that no outgoing connection takes a port between this pick
  # and the daemons binding it.
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral_low=32768
  ((ephemeral_low > 10000 + 2 * count)) || ephemeral_low=60000
  for ((tries = 0; tries < 200; tries++)); do
    base=$((10000 + RANDOM % (ephemeral_low - 10000 - count)))
    ok=1
    for ((p = base; p < base + count; p++)); do
      [[ "$used" == *" $p "* ]] && { ok=0; break; }
    done
    ((ok)) && { echo "$base"; return 0; }
  done
  return 1
}
first_port="$(pick_ports $((nodes + 1)))" || die "found no $((nodes + 1)) consecutive free TCP ports"
ctld_port="$first_port"
slurmd_first=$((first_port + 1))
slurmd_last=$((first_port + nodes))

# --- state layout ------------------------------------------------------------------------------------------
mkdir -p "$state_dir"/{etc,munge,ctld,run,log}
for ((k = 1; k <= nodes; k++)); do mkdir -p "$state_dir/spool/c$k" "$state_dir/tmp/c$k"; done
# munged refuses a socket directory others may write to and a key others may read, and warns when
# others cannot reach the socket.
chmod 0755 "$state_dir" "$state_dir/munge"
host="$(hostname -s)"

# --- munge: our own daemon, key and socket, so the system's munge (if any) is neither needed nor touched --
munge_socket="$state_dir/munge/munge.socket"
if [[ ! -s "$state_dir/munge/munge.key" ]]; then
  dd if=/dev/urandom of="$state_dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$state_dir/munge/munge.key"
fi
# Runs as root with --force: it is a private daemon on a private socket, and running it as the munge
# user would need that user to own the state directory.
munged --force \
  --key-file="$state_dir/munge/munge.key" --socket="$munge_socket" \
  --pid-file="$state_dir/munge/munged.pid" --log-file="$state_dir/log/munged.log" \
  --seed-file="$state_dir/munge/munged.seed" 2>>"$state_dir/log/munged.log" ||
  die "munged did not start: $(tail -n 5 "$state_dir/log/munged.log" 2>/dev/null)"

# --- slurm.conf -----------------------------------------------------------------------------------------
# Each setting below departs from Slurm's defaults for a reason that a real cluster does not have:
# - one host plays every node, so each node gets its own port, spool, TmpFS, pid and log file (%n);
#   PMIx keeps its server sockets in the spool/TmpFS, and two nodes sharing one collide;
# - no systemd or writable cgroup tree is assumed: linuxproc process tracking, no task plugin;
# - config_overrides: trust the CPUs= given here, not the 2 cores the hardware reports;
# - MpiDefault=pmix: Debian's Open MPI speaks PMIx to srun (pmi2 does not work with it).
cat >"$conf" <<EOF
# Generated by scripts/slurm/cluster-up.sh for a throw-away test cluster; do not edit.
ClusterName=ledger-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
PluginDir=$plugin_dir
PlugStackConfig=$state_dir/etc/plugstack.conf
StateSaveLocation=$state_dir/ctld
SlurmdSpoolDir=$state_dir/spool/%n
TmpFS=$state_dir/tmp/%n
SlurmctldPidFile=$state_dir/run/slurmctld.pid
SlurmdPidFile=$state_dir/run/slurmd-%n.pid
SlurmctldLogFile=$state_dir/log/slurmctld.log
SlurmdLogFile=$state_dir/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
SlurmdParameters=config_overrides
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=pmix
SwitchType=switch/none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MinJobAge=600
MessageTimeout=20
NodeName=c[1-$nodes] NodeHostname=$host NodeAddr=127.0.0.1 Port=[$slurmd_first-$slurmd_last] CPUs=$cpus_per_node RealMemory=1000 State=UNKNOWN
PartitionName=batch Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
# An empty plugin stack: the system's /etc/slurm/plugstack.conf is not ours to depend on.
: >"$state_dir/etc/plugstack.conf"

# What a shell or a test sources to use this cluster. The Open MPI settings exist because the fake nodes
# share one hostname: shared memory between "nodes" must be off and all TCP stays on loopback. A real
# cluster needs none of them.
# Preconnecting: Open MPI opens TCP connections lazily, at the first message between two ranks. Here an
# occasional connect() between ranks on loopback is refused, and Debian 12's Open MPI 4.1.4 recovers
# from that badly: a rank then reads a fragment with a tag nobody registered and jumps to address 0.
# Measured at the CI test's shape (srun -N 3 -n 6, --ingest parallel): 8 crashes in 120 runs lazily,
# none in 180 with every connection made inside MPI_Init, which is no slower here.
cat >"$state_dir/env.sh" <<EOF
export SLURM_CONF='$conf'
export OMPI_MCA_btl=self,tcp
export OMPI_MCA_btl_tcp_if_include=lo
export OMPI_MCA_oob_tcp_if_include=lo
export OMPI_MCA_mpi_preconnect_mpi=1
EOF

# --- start and wait ----------------------------------------------------------------------------------
print_logs() {
  local f
  for f in "$state_dir"/log/*.log; do
    [[ -e "$f" ]] || continue
    echo "----- $f (last 25 lines)" >&2
    tail -n 25 "$f" >&2
  done
}
fail() {
  echo "cluster-up: $*" >&2
  print_logs
  "$here/cluster-down.sh" "$state_dir" >&2 || true
  exit 1
}

# -c: a fresh controller state every time; this cluster never has jobs worth recovering.
slurmctld -c -f "$conf" || fail "slurmctld did not start"
for ((k = 1; k <= nodes; k++)); do
  slurmd -f "$conf" -N "c$k" || fail "slurmd for c$k did not start"
done

deadline=$((SECONDS + timeout_seconds))
while (($(nodes_idle) < nodes)); do
  ((SECONDS < deadline)) || fail "only $(nodes_idle) of $nodes nodes idle after ${timeout_seconds}s"
  for f in "$state_dir/run/slurmctld.pid" "$state_dir/munge/munged.pid"; do
    [[ ! -e "$f" ]] || alive "$f" || fail "$(basename "$f" .pid) died during start-up"
  done
  sleep 0.2
done

echo "cluster-up: $nodes nodes idle in $state_dir (slurmctld port $ctld_port, slurmd ports $slurmd_first-$slurmd_last)"
echo "cluster-up: use it with: source $state_dir/env.sh"
