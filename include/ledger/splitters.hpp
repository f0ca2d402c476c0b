// Cutting a sorted whole that lies spread over the ranks into contiguous ranges, one per rank, from
// samples: what the rejected file's sort across ranks needs (src/app/stages/rejected_part.cpp).
#pragma once

#include <vector>

#include "ledger/records.hpp"

namespace ledger {

// The keys at which the sorted whole is cut into `parts` ranges: parts - 1 keys picked at even steps
// from `samples` (every rank's regular samples). Range r holds the keys in [splitter r - 1, splitter r);
// a range may be empty. With regular samples (parts of them from each rank's sorted list) each range
// holds at most about twice its fair share.
std::vector<OrderKey> choose_splitters(std::vector<OrderKey> samples, int parts);

}  // namespace ledger
