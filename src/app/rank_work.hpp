// What the ingest hands to every rank (its countries' accounts and transfers) and what rank 0 keeps to
// write the outputs. Both ingest strategies produce exactly these, so replay, gather and write are shared.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/csv.hpp"
#include "ledger/input_file.hpp"
#include "ledger/mpi/exchange.hpp"
#include "ledger/records.hpp"
#include "ledger/replay.hpp"

namespace ledger {

// Run-wide facts every rank needs before replay.
struct RunShape {
    int scale = 0;
    uint64_t account_count = 0;
    uint64_t country_count = 0;
};

struct RankWork {
    RunShape shape;
    std::vector<int> owner;                  // per country: the rank that replays it
    std::vector<uint32_t> account_index;     // accounts of this rank's countries (global indices)
    std::vector<uint32_t> account_country;   // parallel to account_index
    std::vector<int128> opening;             // parallel to account_index, at the run's scale
    // This rank's countries' transfers, as runs side by side, each in replay order: the first from 0, each
    // later one from the next of later_run_starts (none under the root ingest, which sorts them all as
    // one). The parallel ingest sorts each rank's group where it was parsed, and the replay merges the runs
    // as it goes.
    std::vector<Transfer> transfers;
    std::vector<size_t> later_run_starts;
    std::vector<WideAmount> wide_amounts;    // of those transfers, by position
    std::vector<Rejection> static_rejections;  // decided at parse time on this rank
    ReplayTotals static_totals;              // counts of those
    uint64_t countries_owned = 0;
};

// Rank 0's view of the inputs, kept to write the outputs and to turn positions into file:line.
struct RootState {
    explicit RootState(BadRowPolicy policy) : bad(policy) {}
    AccountTable accounts;
    std::vector<int128> opening;  // every account, at the run's scale
    std::vector<InputFile> transaction_files;
    std::vector<HeaderMap> headers;  // per transactions file
    BadRowSink bad;
    uint64_t transfers_read = 0;     // good transactions rows
};

mpi::Bytes encode_work(const RankWork& work);
RankWork decode_work(std::span<const char> bytes);

}  // namespace ledger
