"""The calibration: each stage's cost per unit of work on one rank of this machine, fitted by least
squares to the study's 1-rank runs, and the workload's shape (bytes per transfer and per account,
rejected share, ...) taken from its runs."""
import math
import statistics
import sys

from stage_terms import INGESTS, STAGE_UNITS, n_log_n


def number(text, default=None):
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


def solve(matrix, vector):
    """x with matrix x = vector (Gaussian elimination with partial pivoting); None when singular."""
    n = len(vector)
    a = [list(row) + [v] for row, v in zip(matrix, vector)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-300:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


def least_squares(rows, ts, with_fixed):
    """Coefficients (fixed first when with_fixed) of t = [fixed +] sum c_i x_i; None when not determined."""
    design = [([1.0] if with_fixed else []) + list(x) for x in rows]
    k = len(design[0])
    if k == 0 or len(design) < k:
        return None
    scale = [max(abs(row[j]) for row in design) or 1.0 for j in range(k)]  # keeps the normal equations sane
    design = [[row[j] / scale[j] for j in range(k)] for row in design]
    normal = [[sum(row[i] * row[j] for row in design) for j in range(k)] for i in range(k)]
    rhs = [sum(row[i] * t for row, t in zip(design, ts)) for i in range(k)]
    solution = solve(normal, rhs)
    return None if solution is None else [c / scale[j] for j, c in enumerate(solution)]


def fit(points):
    """(fixed, [rate coefficient per unit]) of t = fixed + sum c_i x_i through (x tuple, t) points.

    Tried in order, the first physical one (no negative fixed part, every rate positive) wins: with a
    fixed part; through the origin; then the first unit alone (median t / x). Tiny runs then overstate the cost, never
    understate it. A stage with no unit costs its median time.
    """
    xs = [x for x, _ in points]
    ts = [t for _, t in points]
    units = len(xs[0])
    if units == 0:
        return statistics.median(ts), []

    def spread(j):  # how far unit j's amount strays from proportional to the first unit's over the runs
        ratios = [x[j] / x[0] for x in xs if x[0] > 0]
        return max(ratios) / min(ratios) if ratios and min(ratios) > 0 else math.inf

    if units > 1 and all(spread(j) <= 1.01 for j in range(1, units)):
        # The units grew together in every run (one accounts ratio): only the first one's rate can be told.
        fixed, rates = fit([(x[:1], t) for x, t in points])
        return fixed, rates + [0.0] * (units - 1)
    distinct = len(set(xs))
    for with_fixed in (True, False):
        if distinct < units + with_fixed:
            continue
        c = least_squares(xs, ts, with_fixed)
        if c is not None and all(v > 0 for v in (c[1:] if with_fixed else c)) and (not with_fixed or c[0] >= 0):
            return (c[0], c[1:]) if with_fixed else (0.0, c)
    ratios = [t / x[0] for x, t in points if x[0] > 0]
    return 0.0, [statistics.median(ratios) if ratios else 0.0] + [0.0] * (units - 1)


class Calibration:
    """What one rank of this machine costs per unit of work in each stage, fitted to the study's runs."""

    def __init__(self, rows, args):
        ok = [r for r in rows if r["exit_code"] == "0" and number(r["wall_seconds"])]
        ones = [r for r in ok if r["ranks"] == "1"]
        if not ones:
            sys.exit("model: the CSV has no successful 1-rank run to calibrate from")
        # The ratios describing a workload come from the study's main runs; the calibration runs (another
        # accounts ratio) only help tell the stages' rates apart.
        main = [r for r in ones if r["study"] in ("strong", "weak")] or ones
        self.sizes = sorted({(int(r["workload_transfers"]), int(r["accounts"])) for r in ones})

        def median_of(values, default=0.0):
            values = [v for v in values if v is not None]
            return statistics.median(values) if values else default

        self.account_file_bytes = median_of(
            number(r.get("accounts_bytes"), 0.0) / number(r["accounts"]) for r in main)
        self.transfer_file_bytes = median_of(
            (number(r["input_bytes"]) - number(r.get("accounts_bytes"), 0.0)) / number(r["workload_transfers"])
            for r in main)
        self.accounts_per_transfer = median_of(
            number(r["accounts"]) / number(r["workload_transfers"]) for r in main)
        self.countries = median_of(number(r.get("countries")) for r in main)
        self.rejected_per_transfer = median_of(
            number(r.get("rejected")) / number(r["workload_transfers"]) for r in main if number(r.get("rejected")) is not None)
        self.balance_row_bytes = median_of(
            number(r.get("balances_bytes")) / number(r["accounts"]) for r in main if number(r.get("balances_bytes")))
        self.rejected_row_bytes = median_of(
            (number(r["output_bytes_total"]) - number(r["balances_bytes"])) / number(r["rejected"])
            for r in main if r["ingest"] == "parallel" and number(r.get("output_bytes_total"))
            and number(r.get("balances_bytes")) and number(r.get("rejected")))
        self.rss_per_transfer = fit(
            [((number(r["workload_transfers"]),), number(r["peak_rss_rank0_bytes"], 0.0)) for r in main])[1][0]

        # ingest -> stage -> (fixed seconds, [seconds per unit]); a stage with no runs costs nothing.
        self.cost = {}
        self.separated = {}
        for ingest in INGESTS:
            runs = [r for r in ones if r["ingest"] == ingest]
            self.cost[ingest] = {}
            for stage, units in STAGE_UNITS[ingest].items():
                points = [(self.units_of_run(r, units), number(r.get(f"stage_{stage}_seconds"), 0.0)) for r in runs]
                self.cost[ingest][stage] = fit(points) if points else (0.0, [0.0] * len(units))
            self.separated[ingest] = len({round(number(r["accounts"]) / number(r["workload_transfers"]), 3)
                                          for r in runs}) >= 2

        moved = []
        for r in ok:
            p, n, sent = number(r["ranks"]), number(r.get("workload_transfers")), number(r.get("bytes_sent_total"))
            if r["ingest"] == "root" and p > 1 and n and sent:
                moved.append(sent / (n * (p - 1) / p))
        self.record_bytes = args.record_bytes or (statistics.median(moved) if moved else 48.0)
        self.record_bytes_measured = bool(moved) and not args.record_bytes
        self.figure_bytes = args.figure_bytes

        shares = [number(r.get("largest_single_country_share"), 0.0) for r in ok]
        measured_share = max(shares, default=0.0)
        self.country_share = args.largest_country_share if args.largest_country_share is not None \
            else measured_share

    def units_of_run(self, row, units):
        """The amounts of a 1-rank run's units of work, in the order units names them."""
        n = number(row["workload_transfers"])
        a = number(row["accounts"])
        amounts = {"bytes": number(row["input_bytes"]), "account bytes": number(row.get("accounts_bytes"), 0.0),
                   "records": n, "n log2 n": n_log_n(n), "accounts": a,
                   "output bytes": number(row.get("output_bytes_total"), 0.0)}
        return tuple(amounts[u] for u in units)

    def time(self, ingest, stage, *amounts):
        fixed, rates = self.cost[ingest].get(stage, (0.0, []))
        return fixed + sum(c * x for c, x in zip(rates, amounts))

    def describe(self):
        out = ["  from the 1-rank runs of " + ", ".join(f"{n:,} transfers / {a:,} accounts" for n, a in self.sizes)]
        for ingest in INGESTS:
            note = "" if self.separated[ingest] or ingest == "root" else \
                "  (one accounts ratio only: ids' rate not separable, taken as zero)"
            out.append(f"  {ingest} ingest:{note}")
            for stage, (fixed, rates) in self.cost[ingest].items():
                parts = []
                for unit, c in zip(STAGE_UNITS[ingest][stage], rates):
                    if c <= 0:
                        parts.append(f"no cost per {unit.split()[-1] if unit != 'n log2 n' else unit}")
                    elif unit == "n log2 n":
                        parts.append(f"{c:.3e} s x n log2 n")
                    else:
                        parts.append(f"{1 / c:,.0f} {unit}/s")
                out.append(f"    {stage:11} {', '.join(parts) or 'fixed only':>44}  + {fixed * 1000:7.1f} ms fixed")
        out += [
            f"  root ingest: B = {self.record_bytes:.1f} bytes per record scattered "
            f"({'measured' if self.record_bytes_measured else 'assumed'}); parallel ingest: rank figures {self.figure_bytes:g} bytes",
            f"  input {self.transfer_file_bytes:.1f} bytes/transfer, {self.account_file_bytes:.1f} bytes/account;  "
            f"accounts/transfer {self.accounts_per_transfer:.4f};  countries {self.countries:.0f};  "
            f"rejected/transfer {self.rejected_per_transfer:.4f}",
            f"  output {self.balance_row_bytes:.1f} bytes/account, {self.rejected_row_bytes:.1f} bytes/rejected row;  "
            f"rank-0 memory {self.rss_per_transfer:.0f} bytes/transfer;  largest country share f = {self.country_share:.4f}",
        ]
        return out
