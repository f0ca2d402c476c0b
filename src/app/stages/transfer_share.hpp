// Stage 1b of the parallel ingest: each rank parses a line-aligned byte share of every transactions file.
// No rank holds the accounts, so a row's accounts are named by keys interned in the share's IdDictionary
// and its static reason waits for resolve_ids.
#pragma once

#include <optional>
#include <vector>

#include "ledger/bad_rows.hpp"
#include "ledger/csv.hpp"
#include "ledger/errors.hpp"
#include "ledger/id_dictionary.hpp"
#include "ledger/input_digest.hpp"
#include "ledger/input_file.hpp"
#include "ledger/mpi/exchange.hpp"
#include "ledger/records.hpp"
#include "ledger/transfers.hpp"
#include "ops/progress.hpp"
#include "options.hpp"

namespace ledger {

// This rank's share of one transactions file.
struct TransferFilePart {
    std::vector<uint64_t> cuts;  // ranks + 1 cut offsets, the same on every rank
    RowsRead read;
    size_t transfers_begin = 0, transfers_end = 0;  // its records in the share's transfer vector
    uint64_t line_feeds = 0;  // in this rank's part, [cuts[rank], cuts[rank + 1])
    uint64_t first_line = 0;  // the line of cuts[rank] (header = line 1)
    // The input digest's blocks that start in this rank's byte share (digest_blocks_of_rank), hashed
    // while the part was read to count its line feeds.
    std::vector<Digest128> block_digests;
    bool parsed = false;
};

struct TransferShare {
    std::vector<InputFile> files;  // every transactions file, mapped: rejected rows are read again from them
    std::vector<HeaderMap> headers;
    std::vector<TransferFilePart> parts;
    IdDictionary ids;
    std::vector<Transfer> transfers;  // accounts named by keys in `ids`
    std::vector<WideAmount> wide;
    BadRowSink bad{BadRowPolicy::skip};  // lines the files' own
    // The first transactions file that cannot be opened or has no header; kept, not thrown, because an
    // earlier file's bad row must win over it as in a sequential read.
    std::optional<LedgerError> file_failure;
    int max_scale = 0;
    uint64_t bytes_parsed = 0;
};

// Collective. Accounts are named by keys interned in `ids` (by value when the accounts' ids are numbers).
TransferShare read_transfer_share(const Options& options, IdDictionary ids, mpi::Exchange& exchange,
                                  ProgressReporter& progress);

// Under --on-bad-row fail, the earliest bad row in input order stops the run, as a sequential read would;
// then an unusable file.
void fail_on_first_problem(BadRowPolicy policy, const TransferShare& share);

}  // namespace ledger
