#include "ledger/partition.hpp"

#include <algorithm>
#include <numeric>
#include <queue>

namespace ledger {

std::vector<int> assign_countries(std::span<const uint64_t> transfers_per_country, int ranks) {
    std::vector<uint32_t> by_load(transfers_per_country.size());
    std::iota(by_load.begin(), by_load.end(), 0u);
    std::stable_sort(by_load.begin(), by_load.end(), [&](uint32_t a, uint32_t b) {
        return transfers_per_country[a] > transfers_per_country[b];
    });
    // Least loaded rank first; equal loads go to the lowest rank number.
    using Slot = std::pair<uint64_t, int>;
    std::priority_queue<Slot, std::vector<Slot>, std::greater<>> least_loaded;
    for (int r = 0; r < ranks; ++r) least_loaded.push({0, r});
    std::vector<int> owner(transfers_per_country.size(), 0);
    for (uint32_t country : by_load) {
        auto [load, rank] = least_loaded.top();
        least_loaded.pop();
        owner[country] = rank;
        // An empty country still costs a little (its accounts), so empty ones spread out too.
        least_loaded.push({load + transfers_per_country[country] + 1, rank});
    }
    return owner;
}

}  // namespace ledger
