#!/usr/bin/env python3
"""Performance model of ledger: predicts strong and weak scaling far past what one machine can measure.

    model.py --csv scaling.csv [--transfers 1e9] [--max-nodes 64] [--bandwidth-gbps 10] ...

Everything this prints under a MODEL heading is a prediction, not a measurement.

Why a model: the study can only measure up to a few ranks on a workstation or a test cluster whose
"nodes" share two cores, so points past 2 ranks are oversubscribed and say little about a real cluster.
The model takes what one rank measurably does per second in each stage, adds the network and file
system cost of what each rank has to send, read and write, and asks what a cluster with a given network
would do.

Calibration, from the study's CSV, separately for each ingest (the two run different code in most
stages): each stage's time in that ingest's 1-rank runs is fitted by least squares as
t = fixed + sum of x_i / rate_i over the workload sizes the study ran (strong, weak and the calibration
runs with another accounts-per-transfer ratio), the x_i being the stage's units of work:
  root ingest (rank 0 does the stage for everyone)
    read_parse                    input bytes (accounts file + transactions)
    digest                        input bytes (rank 0 hashes every block)
    sort                          n log2 n, n = all records
    partition, replay             records
    exchange (CPU part)           records (rank 0 packs what it scatters; nothing on one rank, so it
                                  fits to zero and the network term below is the whole cost)
    gather, write                 accounts, on rank 0 (gather also pays the network below)
  parallel ingest (every rank does the stage for its share)
    read_parse                    input bytes parsed by the rank
    digest                        input bytes hashed by the rank in the stage (the 4 MiB blocks starting in
                                  its share of the accounts file; its transactions blocks are hashed
                                  during read_parse, whose rate includes them)
    resolve_ids, partition        records and the rank's own accounts (two rates: what each account of
                                  its share costs, and what the static reasons and the grouping cost per
                                  record; told apart by the calibration runs, whose accounts-to-transfers
                                  ratio differs from the other runs'. Without them the ids' rate is
                                  taken as zero and the stage scales as its records, which is optimistic)
    sort                          n log2 n, n = the records a rank sorts
    exchange (CPU part)           records (in place: nothing on one rank, fits to zero)
    replay                        records
    collect                       records and accounts (closing balances going back, rejections sorted)
    gather                        fixed (only per-rank figures travel)
    write                         output bytes written by the rank
Also from the runs at the study's main ratio: file bytes per transfer and per account, accounts per
transfer, rejected rows per transfer, output bytes per account (balances file) and per rejected row,
countries, rank-0 peak memory per transfer; and for root ingest B, bytes per record scattered, from the
multi-rank root runs' bytes_sent (default 48 when the study had none).

The stages, for N transfers, A accounts, C countries, R rejected rows, P = nodes x rpn ranks (rpn ranks
per node). A rank's messages to ranks on other nodes, a share off = (P - rpn)/P of them, go through its
node's NIC, which carries rpn times a rank's bytes each way. An all-to-all round costs every rank P - 1
messages, each paying the latency L; a small collective (sum, prefix sum, all-gather, broadcast) costs
log2 P latencies. The ids are dense integers, as the generator's and most banks' account numbers are:
every rank then holds every id's country (src/app/stages/numbered_ids.hpp). Other ids take a directory
that this model does not describe.
  parallel ingest, per rank (the code has no serial stage, and neither has this):
    read_parse   its (accounts + transactions bytes)/P, but no faster than the shared file system
                 serves all of them: max(CPU, input bytes / fs bandwidth); plus the all-gather of the
                 country names (P x C names).
    digest       CPU for its accounts bytes/P; network: 16 bytes per 4 MiB block of every input file to
                 rank 0 (a gather, which all goes into rank 0's NIC).
    resolve_ids  CPU for N/P records and A/P accounts, plus the A (P-1)/P entries of the id table that
                 other ranks' accounts fill (ID_TABLE_FILL_NS each); network: the table all-gathered, 8
                 bytes per account, which each rank receives all of (A (P-1)/P x 8 bytes): 1 round.
    partition    CPU for N/P records and A/P accounts, plus the A (P-1)/P other keys that every rank
                 places at their owners (ID_TABLE_PLACE_NS each); network: each of its A/P accounts to
                 the rank that replays its country (24 bytes), the country table summed over the ranks
                 (C x 8 bytes): 1 all-to-all round.
    sort         its N/P records in P groups: (N/P) log2(N/P^2).
    exchange     its N/P records, 32 bytes each, to their country's owner: 2 all-to-all rounds (plain and
                 wide amounts).
    replay       the busiest rank, which holds at least max(N/P, f x N) records, f the largest country's
                 share of the transfers (one country never splits across ranks).
    collect      CPU for N/P records and A/P accounts; network: each closing balance back to the rank
                 that read its account (16 bytes), the rejections (R/P, 16 bytes each) back to the ranks
                 that parsed their rows, which read their shares again and format them, the formatted
                 rows (R/P, a 32-byte key and size and the row's bytes) to the rank whose range of the
                 rejected file holds them, and the splitter samples (max(P, 64) from each rank, all
                 gathered: P max(P, 64) x 24 bytes per rank): 3 all-to-all rounds.
    gather       fixed CPU on rank 0, plus the P ranks' figures (--figure-bytes each) into rank 0's NIC.
    write        its (output bytes)/P, but no faster than the file system takes all of them:
                 max(CPU, output bytes / fs bandwidth).
    plus, in every stage, its small collectives as counted in the code (SMALL_COLLECTIVES: agreements
    after steps, prefix sums, all-gathers of counts, the MPI-IO open, write and close), 40 in all.
  root ingest: rank 0 parses, sorts and partitions all N records, then sends every record owned by
    another node through its one NIC: N x B x off bytes, plus P - 1 message latencies; replay as above;
    rank 0 gathers A balances (A x --account-bytes over its NIC) and writes them.
The network is assumed non-blocking (full bisection), stages do not overlap, every rank has a core of its
own, and a rank waiting for a slower one is not modelled (the busiest rank's replay aside): the model is
an optimistic bound, and the measured/model ratio beside the measured points shows how far this machine
is from it, for the time and, for parallel ingest, for the bytes the ranks sent.

Python standard library only. The terms are in stage_terms.py (a stage's units, bytes, rounds and
prediction), the fit in calibration.py; this file prints the tables and plots.
"""
import argparse
import csv
import sys

from calibration import Calibration, number
from stage_terms import STAGES, Network, parallel_bytes, predict


def fmt_seconds(s):
    return f"{s:9.3f}" if s < 1e4 else f"{s:9.3g}"


def measured_vs_model(rows, cal, loop):
    """The measured points with what the model says for the very same runs on this machine."""
    out = ["Measured points beside the MODEL for the same runs (this machine's loopback network; the",
           "model assumes a core per rank, so oversubscribed points are expected to be slower):",
           f"{'study':9} {'ingest':8} {'nodes':>5} {'ranks':>5} {'transfers':>11} {'accounts':>10} {'oversub':>7} "
           f"{'measured s':>10} {'MODEL s':>9} {'meas/MODEL':>10} {'bytes sent meas/MODEL':>21}"]
    for r in rows:
        if r["exit_code"] != "0" or not number(r.get("wall_seconds")):
            continue
        nodes, ranks = int(r["nodes"]), int(r["ranks"])
        # Every rank's records cross the loopback device, as if each rank were a node of its own.
        transfers, accounts = int(r["workload_transfers"]), int(r["accounts"])
        stages = predict(cal, loop, r["ingest"], transfers, ranks, 1, accounts)
        model = sum(stages.values())
        wall = number(r["wall_seconds"])
        # Every rank sends a share (P - 1)/P of its bytes to other ranks, and here every rank is a node.
        sent_model = ranks * sum(parallel_bytes(cal, transfers, accounts, ranks).values()) * (ranks - 1) / ranks
        sent = number(r.get("bytes_sent_total"))
        bytes_ratio = f"{sent / sent_model:21.2f}" if r["ingest"] == "parallel" and sent and sent_model else f"{'':21}"
        out.append(f"{r['study']:9} {r['ingest']:8} {nodes:5d} {ranks:5d} {transfers:11,d} {accounts:10,d} "
                   f"{r['oversubscribed']:>7} {wall:10.3f} {model:9.3f} {wall / model:10.2f} {bytes_ratio}")
    return out


def model_table(cal, net, study, transfers, max_nodes, rpn, memory_bytes):
    sizes = [1]
    while sizes[-1] * 2 <= max_nodes:
        sizes.append(sizes[-1] * 2)
    per_node = transfers / max_nodes
    if study == "strong":
        title = (f"MODEL - strong scaling: {transfers:,.0f} transfers in total, {rpn} rank(s) per node")
    else:
        title = (f"MODEL - weak scaling: {per_node:,.0f} transfers per node ({transfers:,.0f} at "
                 f"{max_nodes} nodes), {rpn} rank(s) per node")
    lines = [title,
             f"{'ingest':8} {'nodes':>5} {'ranks':>5} {'transfers':>15} " +
             " ".join(f"{s[:9]:>9}" for s in STAGES) +
             f" {'total s':>9} {'speed-up':>8} {'effic.':>6} {'transfers/s':>13} {'memory':>6}"]
    data = []
    for ingest in ("root", "parallel"):
        base = None
        for nodes in sizes:
            n = transfers if study == "strong" else per_node * nodes
            t = predict(cal, net, ingest, n, nodes, rpn)
            total = sum(t.values())
            if base is None:
                base = total
            if study == "strong":
                speedup = base / total
                efficiency = speedup / nodes
            else:
                efficiency = base / total
                speedup = nodes * efficiency
            # Root ingest holds every record on rank 0; parallel ingest about a share per rank.
            held = n if ingest == "root" else max(n / (nodes * rpn), cal.country_share * n)
            fits = "ok" if held * cal.rss_per_transfer * (1 if ingest == "root" else rpn) <= memory_bytes \
                else "OVER"
            lines.append(f"{ingest:8} {nodes:5d} {nodes * rpn:5d} {n:15,.0f} " +
                         " ".join(fmt_seconds(t[s]) for s in STAGES) +
                         f" {fmt_seconds(total)} {speedup:8.2f} {efficiency:6.2f} {n / total:13,.0f} {fits:>6}")
            data.append((ingest, nodes, total, speedup, efficiency))
    return lines, data


def write_plot(plots_dir, study, data, rows, max_nodes, workload):
    """A gnuplot script drawing the MODEL speed-up to max_nodes with the measured points on top."""
    for ingest in ("root", "parallel"):
        with open(f"{plots_dir}/model-{study}-{ingest}.dat", "w", encoding="utf-8") as f:
            f.write("nodes total speedup efficiency\n")
            for i, nodes, total, speedup, efficiency in data:
                if i == ingest:
                    f.write(f"{nodes} {total:.6f} {speedup:.6f} {efficiency:.6f}\n")
    measured = [r for r in rows if r["study"] == study and number(r.get("speedup"))]
    gp = ['# Written by scripts/scaling/model.py; run with gnuplot from this directory.',
          'set terminal pngcairo size 1200,520 font "sans,10" noenhanced',
          f'set output "model_{study}.png"',
          f'set title "MODEL (lines): {study} scaling to {max_nodes} nodes at {workload}\\n'
          'measured points (symbols, the study\'s own small workload; open ring = oversubscribed)"',
          "set logscale xy 2", f"set xrange [0.8:{max_nodes * 1.3}]", "set grid",
          'set xlabel "nodes (model) / ranks (measured)"',
          f'set ylabel "{"speed-up" if study == "strong" else "scaled speed-up"}"', "set key top left",
          "$measured << EOD"]
    for r in measured:
        gp.append(f"{r['ranks']} {r['speedup']} {1 if r['ingest'] == 'root' else 2} "
                  f"{1 if r['oversubscribed'] == 'yes' else 0}")
    gp.append("EOD")
    gp.append('plot x title "ideal" with lines dt 2 lw 2 lc rgb "black", \\\n'
              f"     'model-{study}-root.dat' using 1:3 title \"MODEL root ingest\" with lines lw 2 lc rgb \"#1f77b4\", \\\n"
              f"     'model-{study}-parallel.dat' using 1:3 title \"MODEL parallel ingest\" with lines lw 2 lc rgb \"#d62728\", \\\n"
              '     $measured using 1:($3 == 1 ? $2 : 1/0) title "measured root" with points pt 7 ps 1.5 lc rgb "#1f77b4", \\\n'
              '     $measured using 1:($3 == 2 ? $2 : 1/0) title "measured parallel" with points pt 5 ps 1.5 lc rgb "#d62728", \\\n'
              '     $measured using 1:($4 == 1 ? $2 : 1/0) title "oversubscribed" with points pt 6 ps 3 lw 2 lc rgb "#ff7f0e"')
    with open(f"{plots_dir}/model_{study}.gp", "w", encoding="utf-8") as f:
        f.write("\n".join(gp) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", required=True, help="the study's scaling.csv")
    ap.add_argument("--transfers", type=float, default=1e9, help="workload at the largest size [1e9]")
    ap.add_argument("--max-nodes", type=int, default=64, help="largest node count [64]")
    ap.add_argument("--ranks-per-node", type=int, default=1, help="ranks on each node [1]")
    ap.add_argument("--bandwidth-gbps", type=float, default=10.0,
                    help="per-node network bandwidth, Gbit/s, each way [10: 10 GbE]")
    ap.add_argument("--latency-us", type=float, default=25.0, help="MPI message latency, microseconds [25]")
    ap.add_argument("--fs-bandwidth-gbps", type=float, default=40.0,
                    help="aggregate read (and write) bandwidth of the shared file system, Gbit/s [40]")
    ap.add_argument("--node-memory-gb", type=float, default=256.0, help="memory of a node, GB [256]")
    ap.add_argument("--record-bytes", type=float, default=None,
                    help="bytes per record moved between ranks [measured, else 48]")
    ap.add_argument("--account-bytes", type=float, default=48.0,
                    help="bytes per balance gathered by root ingest [48]")
    ap.add_argument("--figure-bytes", type=float, default=400.0,
                    help="bytes of one rank's figures gathered by rank 0 [400]")
    ap.add_argument("--largest-country-share", type=float, default=None,
                    help="largest country's share of all transfers [measured]")
    ap.add_argument("--loopback-gbps", type=float, default=20.0,
                    help="this machine's loopback MPI bandwidth, for the measured-vs-model lines [20]")
    ap.add_argument("--loopback-latency-us", type=float, default=10.0, help="its latency [10]")
    ap.add_argument("--plots", help="also write gnuplot scripts of the model here")
    args = ap.parse_args()

    with open(args.csv, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cal = Calibration(rows, args)
    net = Network(args.bandwidth_gbps * 1e9 / 8, args.latency_us * 1e-6,
                  args.fs_bandwidth_gbps * 1e9 / 8, args.account_bytes)
    loop = Network(args.loopback_gbps * 1e9 / 8, args.loopback_latency_us * 1e-6,
                   1e12, args.account_bytes)

    out = ["=" * 100,
           "ledger performance MODEL (predictions, not measurements; see model.py for the equations)",
           f"Calibrated from {args.csv}, one rank of this machine:"]
    out += cal.describe()
    out += [f"Cluster assumed: {args.bandwidth_gbps:g} Gbit/s and {args.latency_us:g} us per node, "
            f"file system {args.fs_bandwidth_gbps:g} Gbit/s, {args.node_memory_gb:g} GB per node "
            "(memory OVER: the run would not fit)", ""]
    out += measured_vs_model(rows, cal, loop)
    for study in ("strong", "weak"):
        lines, data = model_table(cal, net, study, args.transfers, args.max_nodes, args.ranks_per_node,
                                  args.node_memory_gb * 1e9)
        out += [""] + lines
        if args.plots:
            workload = (f"{args.transfers:,.0f} transfers" if study == "strong"
                        else f"{args.transfers / args.max_nodes:,.0f} transfers per node")
            write_plot(args.plots, study, data, rows, args.max_nodes, workload)
    out.append("=" * 100)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
