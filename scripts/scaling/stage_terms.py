"""The model's terms: what each stage of each ingest costs a rank, in units of work, bytes on the wire
and messages, and the prediction they add up to (the equations are described in model.py's docstring).
Kept apart from the calibration and the printing so that a change to a stage's code has one place to be
mirrored in: its units, its bytes, its rounds and its line in predict()."""
import math

STAGES = ["read_parse", "digest", "resolve_ids", "sort", "partition", "exchange", "replay", "collect", "gather", "write"]
INGESTS = ("root", "parallel")

# The unit(s) of work each stage's time is proportional to, for one rank, per ingest (see the docstring).
STAGE_UNITS = {
    "root": {"read_parse": ("bytes",), "digest": ("bytes",), "sort": ("n log2 n",), "partition": ("records",),
             "exchange": ("records",), "replay": ("records",), "gather": ("accounts",),
             "write": ("accounts",)},
    "parallel": {"read_parse": ("bytes",), "digest": ("account bytes",), "resolve_ids": ("records", "accounts"),
                 "sort": ("n log2 n",), "partition": ("records", "accounts"), "exchange": ("records",), "replay": ("records",),
                 "collect": ("records", "accounts"), "gather": (), "write": ("output bytes",)},
}

# Bytes on the wire in the parallel ingest, as the stages encode them (src/app/stages/*.cpp).
ID_TABLE_ENTRY = 8        # an account's key and country, all-gathered into every rank's id table

# The id table's work per entry on every rank, which one rank's runs cannot tell apart from the work per
# account of its own share (at one rank they are the same accounts): measured, not fitted, on the project's
# 2-core machine with workload A (5M accounts, 1 rank; fill 17-18 ms, placing 3.1 ms; see
# docs/performance.md). At one rank the fitted rates already include them.
ID_TABLE_FILL_NS = 3.5    # resolve_ids: an entry of the table filled from the gathered accounts
ID_TABLE_PLACE_NS = 0.6   # partition: a key given its place at its owner
ACCOUNT_TO_OWNER = 24     # opening balance, country and place at the owner
RECORD = 32               # a transfer, exchanged in place
BALANCE_BACK = 16         # a closing balance going back to the rank that read the account
REJECTION = 16            # a rejection, sent back to the rank that parsed its row
MADE_ROW = 32             # a formatted rejected row's key and size, sent with its bytes to its range's rank
SAMPLE = 24               # a splitter sample (an order key and its list's size)
MIN_SAMPLES = 64          # splitter samples from each rank, at least (src/core/splitters.cpp)
COUNTRY_NAME = 4          # a country's name in the all-gathered country table
COUNTRY_COUNT = 8         # a country's transfer count, summed over the ranks
BLOCK_DIGEST = 16         # an input block's XXH3-128, gathered to rank 0
DIGEST_BLOCK = 4 << 20    # the input digest's block (docs/reference.md, "Input digests")


def n_log_n(n):
    return n * math.log2(max(n, 2))


class Network:
    def __init__(self, bandwidth_bytes_per_second, latency_seconds, fs_bytes_per_second, account_bytes):
        self.bandwidth = bandwidth_bytes_per_second
        self.latency = latency_seconds
        self.fs = fs_bytes_per_second
        self.account_bytes = account_bytes


def parallel_bytes(cal, transfers, accounts, ranks):
    """Bytes one rank sends to other ranks (all of its peers, before the off-node share) per stage."""
    n, a, p = float(transfers), float(accounts), ranks
    if p <= 1:
        return {}
    return {
        "read_parse": p * cal.countries * COUNTRY_NAME,
        "digest": (a * cal.account_file_bytes + n * cal.transfer_file_bytes) / p / DIGEST_BLOCK * BLOCK_DIGEST,
        "resolve_ids": a * ID_TABLE_ENTRY,  # its A/P to each of the P ranks
        "partition": a / p * ACCOUNT_TO_OWNER + cal.countries * COUNTRY_COUNT,
        "exchange": n / p * RECORD,
        "collect": a / p * BALANCE_BACK + cal.rejected_per_transfer * n / p * (REJECTION + MADE_ROW + cal.rejected_row_bytes)
                   + p * max(p, MIN_SAMPLES) * SAMPLE,
        "gather": cal.figure_bytes,
    }


# All-to-all rounds and small collectives per stage of the parallel ingest, counted in the code
# (src/app/ingest_parallel.cpp and src/app/stages/): the small ones are the agreements after each step,
# prefix sums, all-gathers of counts and the MPI-IO open, write and close.
ALL_TO_ALL_ROUNDS = {"resolve_ids": 1, "partition": 1, "exchange": 2, "collect": 3}
SMALL_COLLECTIVES = {"read_parse": 15, "digest": 1, "resolve_ids": 3, "partition": 3, "sort": 1, "replay": 1, "collect": 6,
                     "gather": 1, "write": 9}


def predict(cal, net, ingest, transfers, nodes, ranks_per_node, accounts=None):
    """Seconds per stage for one run, as a dict in STAGES order."""
    ranks = nodes * ranks_per_node
    n = float(transfers)
    accounts = n * cal.accounts_per_transfer if accounts is None else float(accounts)
    accounts_bytes = accounts * cal.account_file_bytes
    transfer_bytes = n * cal.transfer_file_bytes
    off_node = (ranks - ranks_per_node) / ranks
    busiest = max(n / ranks, cal.country_share * n)
    log_p = math.ceil(math.log2(ranks)) if ranks > 1 else 0
    t = {s: 0.0 for s in STAGES}
    if ingest == "parallel":
        share = n / ranks
        others = accounts * (1 - 1 / ranks)  # id table entries from other ranks' accounts
        output_bytes = accounts * cal.balance_row_bytes + n * cal.rejected_per_transfer * cal.rejected_row_bytes
        t["read_parse"] = max(cal.time(ingest, "read_parse", (accounts_bytes + transfer_bytes) / ranks),
                              (accounts_bytes + transfer_bytes) / net.fs)
        t["digest"] = cal.time(ingest, "digest", accounts_bytes / ranks)
        t["resolve_ids"] = cal.time(ingest, "resolve_ids", share, accounts / ranks) + others * ID_TABLE_FILL_NS * 1e-9
        t["sort"] = cal.time(ingest, "sort", share * math.log2(max(share / ranks, 2)))
        t["partition"] = cal.time(ingest, "partition", share, accounts / ranks) + others * ID_TABLE_PLACE_NS * 1e-9
        t["exchange"] = cal.time(ingest, "exchange", share)
        t["replay"] = cal.time(ingest, "replay", busiest)
        t["collect"] = cal.time(ingest, "collect", share, accounts / ranks)
        t["gather"] = cal.time(ingest, "gather")
        t["write"] = max(cal.time(ingest, "write", output_bytes / ranks), output_bytes / net.fs)
        for stage, sent in parallel_bytes(cal, n, accounts, ranks).items():
            # The gathers (figures, block digests) all go into rank 0's NIC; everything else spreads over every node's.
            node_bytes = sent * ranks if stage in ("gather", "digest") else ranks_per_node * sent * off_node
            t[stage] += node_bytes / net.bandwidth
        if ranks > 1:
            for stage, rounds in ALL_TO_ALL_ROUNDS.items():
                t[stage] += rounds * (ranks - 1) * net.latency
            for stage, count in SMALL_COLLECTIVES.items():
                t[stage] += count * log_p * net.latency
    else:
        t["read_parse"] = cal.time(ingest, "read_parse", accounts_bytes + transfer_bytes)
        t["digest"] = cal.time(ingest, "digest", accounts_bytes + transfer_bytes)
        t["sort"] = cal.time(ingest, "sort", n_log_n(n))
        t["partition"] = cal.time(ingest, "partition", n)
        root_bytes = n * cal.record_bytes * off_node
        # Rank 0 packs every record it sends; on one rank there is nothing to send.
        t["exchange"] = cal.time(ingest, "exchange", n * off_node) + root_bytes / net.bandwidth + \
            (ranks - 1) * net.latency if ranks > 1 else 0.0
        t["replay"] = cal.time(ingest, "replay", busiest)
        gather_network = accounts * net.account_bytes * off_node / net.bandwidth + \
            log_p * net.latency if ranks > 1 else 0.0
        t["gather"] = cal.time(ingest, "gather", accounts) + gather_network
        t["write"] = cal.time(ingest, "write", accounts)
    return t
