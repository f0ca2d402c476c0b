#!/usr/bin/env python3
"""Turns the run reports of a scaling study into one CSV and gnuplot scripts for its PNG plots.

    collect.py --manifest runs.tsv --csv scaling.csv --plots plots/

The manifest is what study.sh writes: one row per measured point (study, launcher, ingest, nodes,
ranks, ...) naming its run report. Reports written by other means (one sbatch per size, say) can be
collected by writing such a manifest by hand; only the columns named in MANIFEST_COLUMNS are read.

Definitions, per (study, launcher, ingest) series, against the series' smallest rank count b:
  strong  speed-up S(r) = b * T(b) / T(r)        ideal r    efficiency S(r) / r
  weak    efficiency E(r) = T(b) / T(r)          ideal 1    scaled speed-up r * E(r)
T is the job's own wall time (report: duration_seconds, else finished_at - started_at): MPI start-up by the launcher is
left out of it and reported apart (launch_seconds), since it says nothing about ledger.
A point is oversubscribed when more ranks run on one physical host than it has cores. A point run
several times is represented by its fastest successful run.

Standard library only, so the study runs wherever python3 does.
"""
import argparse
import csv
import datetime
import json
import os
import sys

# One row per run; repetitions of a point are rows with the same study, launcher, ingest, nodes, ranks.
MANIFEST_COLUMNS = ["study", "launcher", "ingest", "nodes", "ranks", "ranks_per_node", "host_cores",
                    "ranks_on_busiest_host", "launch_seconds", "exit_code", "report", "output",
                    "output_matches"]

CSV_COLUMNS = ["study", "launcher", "ingest", "nodes", "ranks", "ranks_per_node", "host_cores",
               "oversubscribed", "workload_transfers", "accounts", "countries", "input_bytes", "accounts_bytes",
               "repeats", "exit_code", "output_matches", "wall_seconds", "launch_seconds", "transfers_per_second",
               "speedup", "ideal_speedup", "efficiency", "bytes_sent_total", "bytes_sent_max_rank",
               "max_rank_transfers", "largest_single_country_share", "peak_rss_max_bytes",
               "peak_rss_rank0_bytes", "rejected", "balances_bytes", "output_bytes_total",
               "accounts_held_max_rank", "input_bytes_parsed_max_rank", "output_bytes_written_max_rank"]


def parse_utc(text):
    """Seconds since the epoch of an ISO-8601 UTC timestamp such as 2026-11-25T14:01:02.345Z."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def read_report(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"collect: no usable report {path}: {e}", file=sys.stderr)
        return None


def accounts_path(report):
    line = report.get("command_line", [])
    for i, arg in enumerate(line[:-1]):
        if arg == "--accounts":
            return line[i + 1]
    return next((i.get("path") for i in report.get("inputs", [])), None)


def wall_seconds(report):
    if isinstance(report.get("duration_seconds"), (int, float)) and report["duration_seconds"] > 0:
        return float(report["duration_seconds"])
    try:
        seconds = parse_utc(report["finished_at"]) - parse_utc(report["started_at"])
        if seconds > 0:
            return seconds
    except (KeyError, TypeError, ValueError):
        pass
    # Millisecond timestamps of a very short run can be equal; the stages then still tell the time.
    return sum(report.get("stages_seconds", {}).values())


def file_size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return ""


def point_from(row):
    """One CSV row (a dict) from a manifest row and its report; None stage values when no report."""
    report = read_report(row["report"]) if row["exit_code"] == "0" else None
    point = {k: row[k] for k in ["study", "launcher", "ingest", "nodes", "ranks", "ranks_per_node",
                                 "host_cores", "exit_code", "output_matches", "launch_seconds"]}
    point["oversubscribed"] = "yes" if int(row["ranks_on_busiest_host"]) > int(row["host_cores"]) else "no"
    point["stages"] = {}
    if report is None:
        return point
    counts = report.get("counts", {})
    per_rank = report.get("ranks", []) or []
    transfers = int(counts.get("transfers", 0))
    wall = wall_seconds(report)
    point.update({
        "workload_transfers": transfers,
        "accounts": counts.get("accounts", ""),
        "countries": counts.get("countries", ""),
        "input_bytes": sum(int(i.get("bytes", 0)) for i in report.get("inputs", [])),
        # The model tells the accounts file's bytes from the transactions' (bytes per account and per
        # transfer).
        "accounts_bytes": next((int(i.get("bytes", 0)) for i in report.get("inputs", [])
                                if i.get("path") == accounts_path(report)), 0),
        "wall_seconds": round(wall, 6),
        "transfers_per_second": round(transfers / wall, 1) if wall > 0 else "",
        "bytes_sent_total": sum(int(r.get("bytes_sent", 0)) for r in per_rank),
        "bytes_sent_max_rank": max((int(r.get("bytes_sent", 0)) for r in per_rank), default=0),
        "max_rank_transfers": max((int(r.get("transfers", 0)) for r in per_rank), default=0),
        # A rank that owns exactly one country tells that country's share of all transfers; the
        # largest such share bounds replay's speed-up, and the model uses it.
        "largest_single_country_share": round(max(
            (int(r.get("transfers", 0)) / transfers for r in per_rank
             if int(r.get("countries", 0)) == 1 and transfers > 0), default=0.0), 6),
        "peak_rss_max_bytes": max((int(r.get("peak_rss_bytes", 0)) for r in per_rank), default=0),
        "peak_rss_rank0_bytes": next((int(r.get("peak_rss_bytes", 0)) for r in per_rank
                                      if int(r.get("rank", -1)) == 0), 0),
        "rejected": sum(int(v) for v in counts.get("rejected", {}).values()),
        "balances_bytes": file_size(row["output"]),
        # What each rank parsed, held and wrote: parallel ingest spreads all three, root ingest has rank 0
        # do them, and the largest rank's figure is what says which.
        "output_bytes_total": sum(int(r.get("output_bytes_written", 0)) for r in per_rank),
        "accounts_held_max_rank": max((int(r.get("accounts_held", 0)) for r in per_rank), default=0),
        "input_bytes_parsed_max_rank": max((int(r.get("input_bytes_parsed", 0)) for r in per_rank), default=0),
        "output_bytes_written_max_rank": max((int(r.get("output_bytes_written", 0)) for r in per_rank), default=0),
    })
    point["stages"] = {k: float(v) for k, v in report.get("stages_seconds", {}).items()}
    return point


def best_of_repeats(runs):
    """One point per (study, launcher, ingest, nodes, ranks): the fastest successful run of it.

    The fastest, not the mean, because on a shared machine noise only ever adds time. A failure or a
    mismatch in any repetition stays visible in the point's exit_code and output_matches.
    """
    groups = {}
    for run in runs:
        key = tuple(run[k] for k in ("study", "launcher", "ingest", "nodes", "ranks"))
        groups.setdefault(key, []).append(run)
    points = []
    for members in groups.values():
        ok = [m for m in members if m.get("wall_seconds")]
        best = dict(min(ok, key=lambda m: m["wall_seconds"]) if ok else members[0])
        best["repeats"] = len(members)
        best["exit_code"] = next((m["exit_code"] for m in members if m["exit_code"] != "0"), "0")
        matches = {m["output_matches"] for m in members}
        best["output_matches"] = "no" if "no" in matches else best["output_matches"]
        points.append(best)
    return points


def add_scaling(points):
    """Speed-up and efficiency of each point against the smallest rank count of its series."""
    series = {}
    for p in points:
        if p.get("wall_seconds"):
            series.setdefault((p["study"], p["launcher"], p["ingest"]), []).append(p)
    for (study, _, _), members in series.items():
        base = min(members, key=lambda p: int(p["ranks"]))
        b, t_b = int(base["ranks"]), base["wall_seconds"]
        for p in members:
            r, t = int(p["ranks"]), p["wall_seconds"]
            if study == "strong":
                speedup = b * t_b / t
                efficiency = speedup / r
            else:
                efficiency = t_b / t
                speedup = r * efficiency
            p.update(speedup=round(speedup, 4), ideal_speedup=r, efficiency=round(efficiency, 4))


def write_csv(points, stage_names, path):
    columns = CSV_COLUMNS + [f"stage_{s}_seconds" for s in stage_names]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for p in points:
            row = dict(p)
            for s in stage_names:
                v = p["stages"].get(s)
                row[f"stage_{s}_seconds"] = "" if v is None else round(v, 6)
            w.writerow([row.get(c, "") for c in columns])


def write_plot_data(points, stage_names, plots_dir):
    """One whitespace-separated file per (study, ingest): what gnuplot reads."""
    files = {}
    for p in points:
        # The calibration runs (one rank, another accounts ratio) are for the model, not for a plot.
        if not p.get("wall_seconds") or p["study"] not in ("strong", "weak"):
            continue
        key = (p["study"], p["ingest"])
        files.setdefault(key, []).append(p)
    for (study, ingest), members in files.items():
        members.sort(key=lambda p: int(p["ranks"]))
        with open(os.path.join(plots_dir, f"{study}-{ingest}.dat"), "w", encoding="utf-8") as f:
            f.write("ranks wall speedup ideal efficiency oversubscribed label " +
                    " ".join(stage_names) + "\n")
            for p in members:
                over = p["oversubscribed"] == "yes"
                label = f'"{p["ranks"]}{"*" if over else ""}"'
                stages = " ".join(f'{p["stages"].get(s, 0.0):.6f}' for s in stage_names)
                f.write(f'{p["ranks"]} {p["wall_seconds"]:.6f} {p["speedup"]} {p["ideal_speedup"]} '
                        f'{p["efficiency"]} {1 if over else 0} {label} {stages}\n')
    return sorted(files)


GP_HEAD = """# Written by scripts/scaling/collect.py; run with gnuplot from this directory.
set terminal pngcairo size 1200,520 font "sans,10" noenhanced
set datafile missing "?"
set grid ytics
"""

INGEST_TITLE = {"root": "root ingest (rank 0 reads, sorts, scatters)",
                "parallel": "parallel ingest (every rank reads a share)"}
INGEST_STYLE = {"root": 'lc rgb "#1f77b4" pt 7', "parallel": 'lc rgb "#d62728" pt 5'}
OVER_NOTE = "* / open ring: oversubscribed (more ranks than cores on one host)"


def write_gnuplot(series, stage_names, plots_dir):
    studies = sorted({s for s, _ in series})
    first_stage_column = 8
    last_stage_column = first_stage_column + len(stage_names) - 1
    for study in studies:
        ingests = [i for i in ("root", "parallel") if (study, i) in series]
        ranks_max = 1
        wall_max = 0.0
        for ingest in ingests:
            with open(os.path.join(plots_dir, f"{study}-{ingest}.dat"), encoding="utf-8") as f:
                for line in list(f)[1:]:
                    cols = line.split()
                    ranks_max = max(ranks_max, int(cols[0]))
                    wall_max = max(wall_max, sum(float(c) for c in cols[7:]), float(cols[1]))
        what = ("fixed workload, more ranks" if study == "strong"
                else "fixed workload per rank")
        # Time per stage: one stacked bar per rank count, one panel per ingest, a common y axis.
        gp = [GP_HEAD, f'set output "{study}_stages.png"',
              f'set multiplot layout 1,{len(ingests)} title "{study} scaling ({what}): '
              f'time per stage\\n{OVER_NOTE}"',
              "set style data histograms", "set style histogram rowstacked",
              "set style fill solid 0.85 border -1", "set boxwidth 0.7",
              "set key top left invert", 'set xlabel "ranks"', 'set ylabel "seconds (rank 0 view)"',
              f"set yrange [0:{wall_max * 1.25 + 1e-3:.4f}]"]
        for ingest in ingests:
            gp.append(f'set title "{INGEST_TITLE[ingest]}"')
            gp.append(f"plot for [i={first_stage_column}:{last_stage_column}] '{study}-{ingest}.dat' "
                      "using i:xtic(7) title columnheader(i)")
        gp.append("unset multiplot")
        write_text(os.path.join(plots_dir, f"{study}_stages.gp"), gp)

        x_range = f"set xrange [0.8:{ranks_max * 1.25:.2f}]"
        if study == "strong":
            y_label, ideal, y_scale = "speed-up over 1 rank", "x", "set logscale xy 2"
        else:
            y_label, ideal, y_scale = "scaled speed-up (ranks x efficiency)", "x", "set logscale xy 2"
        for kind, column, ylab, ideal_fn, scale in [
                ("speed-up", 3, y_label, ideal, y_scale),
                ("efficiency", 5, "parallel efficiency", "1", "set logscale x 2\nset yrange [0:1.3]")]:
            name = f"{study}_{kind.replace('-', '')}"
            lines = [GP_HEAD, f'set output "{name}.png"',
                     f'set title "{study} scaling ({what}): {kind} against the ideal\\n{OVER_NOTE}"',
                     scale, x_range, 'set xlabel "ranks"', f'set ylabel "{ylab}"', "set key top left",
                     "set xtics (" + ", ".join(f'"{2 ** k}" {2 ** k}' for k in range(0, 10)
                                              if 2 ** k <= ranks_max * 1.25) + ")"]
            plot = [f'{ideal_fn} title "ideal" with lines dt 2 lw 2 lc rgb "black"']
            for ingest in ingests:
                data = f"'{study}-{ingest}.dat'"
                plot.append(f'{data} using 1:{column} title "{INGEST_TITLE[ingest]}" '
                            f"with linespoints lw 2 ps 1.3 {INGEST_STYLE[ingest]}")
            for n, ingest in enumerate(ingests):
                data = f"'{study}-{ingest}.dat'"
                title = '"oversubscribed"' if n == 0 else "notitle"
                title = f"title {title}" if n == 0 else title
                plot.append(f'{data} using 1:($6 == 1 ? ${column} : 1/0) {title} '
                            'with points pt 6 ps 3 lw 2 lc rgb "#ff7f0e"')
            lines.append("plot " + ", \\\n     ".join(plot))
            write_text(os.path.join(plots_dir, f"{name}.gp"), lines)


def write_text(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--plots", required=True, help="directory for the .dat and .gp files")
    args = ap.parse_args()

    with open(args.manifest, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    missing = [c for c in MANIFEST_COLUMNS if rows and c not in rows[0]]
    if missing:
        sys.exit(f"collect: {args.manifest} lacks columns {', '.join(missing)}")

    points = best_of_repeats([point_from(r) for r in rows])
    stage_names = []
    for p in points:  # stage order as the job ran them: the order of the first report that has them
        stage_names += [s for s in p["stages"] if s not in stage_names]
    add_scaling(points)
    write_csv(points, stage_names, args.csv)
    os.makedirs(args.plots, exist_ok=True)
    series = write_plot_data(points, stage_names, args.plots)
    if series and stage_names:
        write_gnuplot(series, stage_names, args.plots)
    measured = sum(1 for p in points if p.get("wall_seconds"))
    print(f"collect: {measured} of {len(points)} points measured -> {args.csv}", file=sys.stderr)
    return 0 if measured == len(points) else 1


if __name__ == "__main__":
    sys.exit(main())
