// Rank 0 turns the gathered results into the output files, all staged first and renamed together.
#pragma once

#include <vector>

#include "options.hpp"
#include "rank_result.hpp"
#include "rank_work.hpp"

namespace ledger {

// Writes every output from the gathered results (their rows are used up) and returns the bytes written.
uint64_t write_outputs(const Options& options, const RootState& root, int scale, std::vector<RankResult>& results);

}  // namespace ledger
