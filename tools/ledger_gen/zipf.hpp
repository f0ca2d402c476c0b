// Country sizes: country i (0-based) gets a share proportional to 1 / (i + 1)^exponent, for accounts and
// for transfers alike, so every country sees about the same number of transfers per account and the
// biggest country is the load-balancing problem the job has to solve.
#pragma once

#include <cstdint>
#include <vector>

#include "random.hpp"

namespace ledger_gen {

// Splits `total` into `parts` counts following the zipf shares, each at least `minimum`
// (total >= parts * minimum). Largest remainder, ties to the lower index: exact and deterministic.
std::vector<uint64_t> zipf_counts(uint64_t total, uint64_t parts, double exponent, uint64_t minimum);

// Draws a part index with probability equal to its zipf share.
class ZipfSampler {
public:
    ZipfSampler(uint64_t parts, double exponent);
    uint64_t draw(Rng& rng) const;

private:
    static constexpr int kGuideBits = 12;
    std::vector<uint64_t> cumulative_;  // in units of 2^-53, last entry 2^53
    // guide_[j]: the part that owns the start of the j-th of 2^kGuideBits equal slices of the range, so a
    // draw starts its search there and usually stops at once (a binary search per transfer showed up
    // in profiles).
    std::vector<uint32_t> guide_;
};

}  // namespace ledger_gen
