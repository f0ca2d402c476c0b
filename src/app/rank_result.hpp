// What each rank sends back to rank 0 after replay: its accounts' closing balances, its rejections and
// its load figures for the report.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/mpi/exchange.hpp"
#include "ledger/records.hpp"
#include "ledger/replay.hpp"
#include "rank_work.hpp"
#include "ops/progress.hpp"
#include "stage_clock.hpp"

namespace ledger {

struct RankFigures {
    uint64_t countries = 0;
    uint64_t transfers = 0;        // transfers replayed on this rank
    uint64_t bytes_sent = 0;
    uint64_t bytes_received = 0;
    uint64_t peak_rss_bytes = 0;
    uint64_t accounts_held = 0;         // the most accounts this rank held in one role (read, directory, replay)
    uint64_t input_bytes_parsed = 0;    // bytes of the input files this rank parsed
    uint64_t output_bytes_written = 0;  // bytes of the output files this rank wrote
    StageTimes times;
};

struct RankResult {
    RankFigures figures;
    ReplayTotals totals;                   // static rejections of this rank included
    std::vector<uint32_t> account_index;
    std::vector<int128> closing;           // parallel to account_index
    std::vector<Rejection> rejections;     // static and insufficient_funds, unordered
};

// Replays this rank's countries and checks conservation for each of them.
RankResult replay_work(RankWork& work, int rank, ProgressReporter& progress);

mpi::Bytes encode_result(const RankResult& result);
RankResult decode_result(std::span<const char> bytes);

uint64_t peak_rss_bytes();

// Collective: every rank's result reaches rank 0 (others get an empty list), with this rank's bytes on
// the wire and peak memory filled in first.
std::vector<RankResult> gather_rank_results(RankResult mine, mpi::Exchange& exchange);

}  // namespace ledger
