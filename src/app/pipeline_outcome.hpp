// What a run of either pipeline tells the run summary: run-wide counts and, on rank 0, every rank's
// figures and replay totals.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/input_digest.hpp"
#include "rank_result.hpp"

namespace ledger {

struct PipelineOutcome {
    uint64_t accounts = 0;
    uint64_t countries = 0;
    uint64_t transfers_read = 0;  // good transactions rows
    uint64_t bad_rows = 0;
    int scale = 0;
    std::vector<Digest128> input_digests;  // rank 0 only: the accounts file's, then each transactions file's
    std::vector<RankResult> ranks;  // rank 0 only; figures and totals (rows and balances are not sent)
};

}  // namespace ledger
