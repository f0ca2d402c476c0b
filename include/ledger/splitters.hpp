// Cutting a sorted whole that lies spread over the ranks into contiguous ranges, one per rank, from
// samples: what the rejected file's sort across ranks needs (src/app/stages/rejected_part.cpp).
#pragma once

#include <vector>

#include "ledger/records.hpp"

namespace ledger {

// How many regular samples (keys at even steps of its sorted list) each rank gives: with s from every
// rank, a range holds at most about its fair share plus total / s. One per part would allow twice the fair
// share, which two ranks did reach (a 1:1.8 split of the rejected rows, the larger half formatted alone);
// at least 64 keeps a few ranks within a few percent of even. At large part counts, parts of them: the
// all-gather of samples stays at parts^2 keys, with the 2x bound.
size_t samples_per_rank(int parts);

// A regular sample and the size of the list it was drawn from: every rank draws as many, so a rank that
// holds more keys must count for more.
struct RegularSample {
    OrderKey key;
    uint64_t list_size;
};

// The keys at which the sorted whole is cut into `parts` ranges, from every rank's regular samples: the
// keys at which the samples' weight, summed in key order, passes each part's even share. Range r holds
// the keys in [splitter r - 1, splitter r); a range may be empty.
std::vector<OrderKey> choose_splitters(std::vector<RegularSample> samples, int parts);

}  // namespace ledger
