// Rank 0 turns the gathered results into the output files, all staged first and renamed together.
#pragma once

#include <vector>

#include "options.hpp"
#include "rank_result.hpp"
#include "rank_work.hpp"

namespace ledger {

struct JobOutcome {
    ReplayTotals totals;
    uint64_t bad_rows = 0;
    int scale = 0;
};

JobOutcome write_outputs(const Options& options, const RootState& root, int scale, std::vector<RankResult>& results);

}  // namespace ledger
