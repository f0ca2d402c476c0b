#!/usr/bin/env python3
"""Performance model of ledger: predicts strong and weak scaling far past what one machine can measure.

    model.py --csv scaling.csv [--transfers 1e9] [--max-nodes 64] [--bandwidth-gbps 10] ...

Everything this prints under a MODEL heading is a prediction, not a measurement.

Why a model: the study can only measure up to a few ranks on a workstation or a test cluster whose
"nodes" share two cores, so points past 2 ranks are oversubscribed and say little about a real cluster.
The model takes what one rank measurably does per second in each stage, adds the network cost of the
records each rank has to send, and asks what a cluster with a given network would do.

Calibration, from the study's CSV: each stage's time in the 1-rank runs is fitted as
t = fixed + x / rate (least squares over the workload sizes the study ran; the strong and the weak
study give two), x being the stage's unit of work:
  read_parse                      input bytes (accounts file + transactions)
  partition, replay               records
  exchange (CPU part)             records passed through it (fitted on parallel-ingest 1-rank runs; the
                                  parallel exchange works in place and a 1-rank run passes nothing
                                  through it, so this fits to zero and the network term below is
                                  the parallel exchange's whole cost)
  sort                            n log2 n, n records sorted by one rank
  write, gather                   accounts, on rank 0 (gather also pays the network below)
  B                               bytes sent per record that changes rank, from the multi-rank runs'
                                  bytes_sent (default 48 when the study had no such run)
  file bytes per transfer and per account, accounts per transfer, rank-0 peak memory per transfer

The stages, for N transfers, A accounts, P = nodes x ranks_per_node ranks, a share s = N/P:
  parallel ingest: every rank parses the whole accounts file and its s-record share of the
    transactions (but no faster in total than the shared file system serves them), partitions them,
    sends the (P - rpn)/P of them owned by ranks on other nodes to their owners (all-to-all: every
    node's NIC carries rpn x s x B x (P - rpn)/P bytes each way, plus P - 1 message latencies), sorts
    and replays what it owns.
  root ingest: rank 0 parses, sorts and partitions all N records, then sends every record owned by
    another node through its one NIC: N x B x (P - rpn)/P bytes, plus P - 1 message latencies.
  both: replay is bounded by the busiest rank, which holds at least max(N/P, f x N) records, f the
    largest country's share of the transfers (one country never splits across ranks); rank 0 gathers
    A balances (A x account_bytes over its NIC) and writes them.
The network is assumed non-blocking (full bisection), stages do not overlap, and every rank has a
core of its own: the model is an optimistic bound, and the measured/model ratio beside the measured
points shows how far this machine is from it.

Python standard library only.
"""
import argparse
import csv
import math
import statistics
import sys

STAGES = ["read_parse", "sort", "partition", "exchange", "replay", "gather", "write"]


def number(text, default=None):
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


def linear_fit(points):
    """(fixed, slope) of t = fixed + slope * x through (x, t) points, by least squares.

    With one distinct x, or a fit that comes out non-physical (slope <= 0), the fixed part is taken as
    zero and the slope as the median t / x: tiny runs then overstate the cost, never understate it.
    """
    xs = [x for x, _ in points]
    if len(set(xs)) >= 2:
        mx = statistics.fmean(xs)
        mt = statistics.fmean(t for _, t in points)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (t - mt) for x, t in points) / sxx
        fixed = mt - slope * mx
        if slope > 0:
            return max(fixed, 0.0), slope
    return 0.0, statistics.median(t / x for x, t in points if x > 0)


def n_log_n(n):
    return n * math.log2(max(n, 2))


# The unit of work each stage's time is proportional to, for one rank.
STAGE_UNITS = {"read_parse": "bytes", "partition": "records", "replay": "records", "sort": "n log2 n",
               "gather": "accounts", "write": "accounts", "exchange": "records"}


class Calibration:
    """What one rank of this machine costs per unit of work in each stage, fitted to the study's runs."""

    def __init__(self, rows, args):
        ones = [r for r in rows if r["ranks"] == "1" and r["exit_code"] == "0" and number(r["wall_seconds"])]
        if not ones:
            sys.exit("model: the CSV has no successful 1-rank run to calibrate from")
        self.sizes = sorted({int(r["workload_transfers"]) for r in ones})

        def units(row, stage):
            n = number(row["workload_transfers"])
            unit = STAGE_UNITS[stage]
            if unit == "bytes":
                return number(row["input_bytes"])
            return n if unit == "records" else n_log_n(n) if unit == "n log2 n" else number(row["accounts"])

        # stage -> (fixed seconds, seconds per unit); a stage with no time column costs nothing.
        self.cost = {}
        for stage in STAGES:
            # The exchange's own CPU work is fitted on the parallel ingest's 1-rank runs; root ingest
            # skips the stage on one rank. (The parallel exchange now works in place and does nothing
            # on one rank, so this fits to zero: see the module's docstring.)
            runs = [r for r in ones if stage != "exchange" or r["ingest"] == "parallel"]
            points = [(units(r, stage), number(r.get(f"stage_{stage}_seconds"), 0.0)) for r in runs]
            self.cost[stage] = linear_fit(points) if points else (0.0, 0.0)
        self.account_file_bytes = statistics.median(
            number(r.get("accounts_bytes"), 0.0) / number(r["accounts"]) for r in ones)
        self.transfer_file_bytes = statistics.median(
            (number(r["input_bytes"]) - number(r.get("accounts_bytes"), 0.0)) / number(r["workload_transfers"])
            for r in ones)
        self.accounts_per_transfer = statistics.median(
            number(r["accounts"]) / number(r["workload_transfers"]) for r in ones)
        _, self.rss_per_transfer = linear_fit(
            [(number(r["workload_transfers"]), number(r["peak_rss_rank0_bytes"], 0.0)) for r in ones])

        moved = []
        for r in rows:
            p, n, sent = number(r["ranks"]), number(r.get("workload_transfers")), number(r.get("bytes_sent_total"))
            if r["exit_code"] == "0" and p and p > 1 and n and sent:
                moved.append(sent / (n * (p - 1) / p))
        self.record_bytes = args.record_bytes or (statistics.median(moved) if moved else 48.0)
        self.record_bytes_measured = bool(moved) and not args.record_bytes

        shares = [number(r.get("largest_single_country_share"), 0.0) for r in rows if r["exit_code"] == "0"]
        measured_share = max(shares, default=0.0)
        self.country_share = args.largest_country_share if args.largest_country_share is not None \
            else measured_share

    def time(self, stage, amount):
        fixed, per_unit = self.cost[stage]
        return fixed + per_unit * amount

    def describe(self):
        out = [f"  from {len(self.sizes)} workload size(s) run on 1 rank: "
               + ", ".join(f"{n:,}" for n in self.sizes) + " transfers"]
        for stage, (fixed, per_unit) in self.cost.items():
            unit = STAGE_UNITS[stage]
            if per_unit <= 0:
                rate = "no cost measured"
            elif unit == "n log2 n":
                rate = f"{per_unit:.3e} s x n log2 n"
            else:
                rate = f"{1 / per_unit:,.0f} {unit}/s"
            out.append(f"  {stage:10} {rate:>28}  + {fixed * 1000:7.1f} ms fixed")
        out += [
            f"  B = {self.record_bytes:.1f} bytes per record moved "
            f"({'measured' if self.record_bytes_measured else 'assumed'})    "
            f"input {self.transfer_file_bytes:.1f} bytes/transfer, {self.account_file_bytes:.1f} bytes/account    "
            f"accounts/transfer {self.accounts_per_transfer:.4f}",
            f"  rank-0 memory {self.rss_per_transfer:.0f} bytes/transfer    "
            f"largest country share f = {self.country_share:.4f}",
        ]
        return out


class Network:
    def __init__(self, bandwidth_bytes_per_second, latency_seconds, fs_bytes_per_second, account_bytes):
        self.bandwidth = bandwidth_bytes_per_second
        self.latency = latency_seconds
        self.fs = fs_bytes_per_second
        self.account_bytes = account_bytes


def predict(cal, net, ingest, transfers, nodes, ranks_per_node):
    """Seconds per stage for one run, as a dict in STAGES order."""
    ranks = nodes * ranks_per_node
    n = float(transfers)
    accounts = n * cal.accounts_per_transfer
    accounts_bytes = accounts * cal.account_file_bytes
    transfer_bytes = n * cal.transfer_file_bytes
    share = n / ranks
    off_node = (ranks - ranks_per_node) / ranks
    busiest = max(share, cal.country_share * n)
    t = {}
    if ingest == "parallel":
        # Every rank reads the whole accounts file and its share of the transactions; the shared file
        # system serves all of it.
        read_bytes = accounts_bytes + transfer_bytes / ranks
        t["read_parse"] = max(cal.time("read_parse", read_bytes),
                              (accounts_bytes * ranks + transfer_bytes) / net.fs)
        t["partition"] = cal.time("partition", share)
        node_bytes = ranks_per_node * share * cal.record_bytes * off_node
        t["exchange"] = cal.time("exchange", share) + \
            (node_bytes / net.bandwidth + (ranks - 1) * net.latency if ranks > 1 else 0.0)
        t["sort"] = cal.time("sort", n_log_n(busiest))
    else:
        t["read_parse"] = cal.time("read_parse", accounts_bytes + transfer_bytes)
        t["sort"] = cal.time("sort", n_log_n(n))
        t["partition"] = cal.time("partition", n)
        root_bytes = n * cal.record_bytes * off_node
        # Rank 0 packs every record it sends; on one rank there is nothing to send.
        t["exchange"] = cal.time("exchange", n * off_node) + root_bytes / net.bandwidth + \
            (ranks - 1) * net.latency if ranks > 1 else 0.0
    t["replay"] = cal.time("replay", busiest)
    gather_network = accounts * net.account_bytes * off_node / net.bandwidth + \
        math.ceil(math.log2(ranks)) * net.latency if ranks > 1 else 0.0
    t["gather"] = cal.time("gather", accounts) + gather_network
    t["write"] = cal.time("write", accounts)
    return {s: t[s] for s in STAGES}


def fmt_seconds(s):
    return f"{s:9.3f}" if s < 1e4 else f"{s:9.3g}"


def measured_vs_model(rows, cal, loop):
    """The measured points with what the model says for the very same runs on this machine."""
    out = ["Measured points beside the MODEL for the same runs (this machine's loopback network; the",
           "model assumes a core per rank, so oversubscribed points are expected to be slower):",
           f"{'study':6} {'ingest':8} {'nodes':>5} {'ranks':>5} {'transfers':>11} {'oversub':>7} "
           f"{'measured s':>10} {'MODEL s':>9} {'meas/MODEL':>10}"]
    for r in rows:
        if r["exit_code"] != "0" or not number(r.get("wall_seconds")):
            continue
        nodes, ranks = int(r["nodes"]), int(r["ranks"])
        # Every rank's records cross the loopback device, as if each rank were a node of its own.
        stages = predict(cal, loop, r["ingest"], int(r["workload_transfers"]), ranks, 1)
        model = sum(stages.values())
        wall = number(r["wall_seconds"])
        out.append(f"{r['study']:6} {r['ingest']:8} {nodes:5d} {ranks:5d} {int(r['workload_transfers']):11,d} "
                   f"{r['oversubscribed']:>7} {wall:10.3f} {model:9.3f} {wall / model:10.2f}")
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
                    help="aggregate read bandwidth of the shared file system, Gbit/s [40]")
    ap.add_argument("--node-memory-gb", type=float, default=256.0, help="memory of a node, GB [256]")
    ap.add_argument("--record-bytes", type=float, default=None,
                    help="bytes per record moved between ranks [measured, else 48]")
    ap.add_argument("--account-bytes", type=float, default=48.0, help="bytes per gathered balance [48]")
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
