#!/usr/bin/env python3
"""Turns the benchmark's raw measurements (one JSON object per line) into the table it prints.

Each line holds: workload, row (what ran), runs (wall seconds of every run), transfers, bytes, wc_seconds,
and for ledger rows the report of the median run (stages, per-rank peak RSS and bytes on the wire)."""
import json
import statistics
import sys

TIMER_RESOLUTION_SECONDS = 0.01
STAGES = ["read_parse", "digest", "resolve_ids", "sort", "partition", "exchange", "replay", "collect", "gather", "write"]


def fmt(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    header = ["workload", "row", "wall_s", "Mtransfers/s", "MB/s", "x wc -l", "rss_max_MiB", "rss_total_MiB",
              "wire_MiB/rank"] + [f"{s}_s" for s in STAGES]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in rows:
        # /usr/bin/time counts in hundredths: a tiny smoke run can read 0.00, which is "under 0.01".
        wall = max(statistics.median(r["runs"]), TIMER_RESOLUTION_SECONDS)
        report = r.get("report") or {}
        ranks = report.get("ranks", [])
        rss = [k["peak_rss_bytes"] / 2**20 for k in ranks] or ([r["peak_rss_kb"] / 1024] if r.get("peak_rss_kb") else [])
        wire = [(k["bytes_sent"] + k["bytes_received"]) / 2**20 for k in ranks]
        stages = report.get("stages_seconds", {})
        cells = [r["workload"], r["row"], fmt(wall), fmt(r["transfers"] / wall / 1e6), fmt(r["bytes"] / wall / 1e6, 0),
                 fmt(wall / max(r["wc_seconds"], TIMER_RESOLUTION_SECONDS), 1) if "wc_seconds" in r else "-",
                 fmt(max(rss), 0) if rss else "-", fmt(sum(rss), 0) if rss else "-",
                 fmt(max(wire), 1) if wire else "-"] + [fmt(stages.get(s)) if stages else "-" for s in STAGES]
        print(" | ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1])
