#include "ledger/splitters.hpp"

#include <algorithm>

namespace ledger {

size_t samples_per_rank(int parts) { return std::max<size_t>(size_t(std::max(parts, 1)), 64); }

std::vector<OrderKey> choose_splitters(std::vector<RegularSample> samples, int parts) {
    std::sort(samples.begin(), samples.end(), [](const RegularSample& a, const RegularSample& b) { return a.key < b.key; });
    std::vector<OrderKey> splitters;
    if (samples.empty()) return splitters;
    // 128 bits: a weight is a list's size and there are ranks^2 samples.
    unsigned __int128 total = 0;
    for (const RegularSample& s : samples) total += s.list_size;
    unsigned __int128 before = 0;  // the weight of the samples before samples[i]
    size_t i = 0;
    for (int k = 1; k < parts; ++k) {
        // The first sample with at least k / parts of the weight before it.
        while (i + 1 < samples.size() && before * unsigned(parts) < total * unsigned(k)) before += samples[i++].list_size;
        splitters.push_back(samples[i].key);
    }
    return splitters;
}

}  // namespace ledger
