// Which rank replays which country. Countries never interact, so each goes whole to one rank; they are
// assigned by load (transfer count), largest first onto the least loaded rank, so that one big country
// does not leave the others idle. Ties break by country index and rank number: the assignment is a pure
// function of the counts, and every rank computes the same one.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ledger {

// Returns owner[country] in [0, ranks).
std::vector<int> assign_countries(std::span<const uint64_t> transfers_per_country, int ranks);

}  // namespace ledger
