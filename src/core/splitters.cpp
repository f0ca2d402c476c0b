#include "ledger/splitters.hpp"

#include <algorithm>

namespace ledger {

std::vector<OrderKey> choose_splitters(std::vector<OrderKey> samples, int parts) {
    std::sort(samples.begin(), samples.end());
    std::vector<OrderKey> splitters;
    if (samples.empty()) return splitters;
    for (int k = 1; k < parts; ++k) splitters.push_back(samples[samples.size() * size_t(k) / size_t(parts)]);
    return splitters;
}

}  // namespace ledger
