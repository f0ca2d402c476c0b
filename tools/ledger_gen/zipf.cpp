#include "zipf.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ledger_gen {
namespace {

std::vector<double> zipf_shares(uint64_t parts, double exponent) {
    std::vector<double> shares(parts);
    for (uint64_t i = 0; i < parts; ++i) shares[i] = std::pow(double(i + 1), -exponent);
    double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
    for (double& s : shares) s /= sum;
    return shares;
}

}  // namespace

std::vector<uint64_t> zipf_counts(uint64_t total, uint64_t parts, double exponent, uint64_t minimum) {
    std::vector<double> shares = zipf_shares(parts, exponent);
    uint64_t free_total = total - parts * minimum;
    std::vector<uint64_t> counts(parts, minimum);
    std::vector<std::pair<double, uint64_t>> remainders(parts);
    uint64_t given = 0;
    for (uint64_t i = 0; i < parts; ++i) {
        double exact = shares[i] * double(free_total);
        uint64_t whole = std::min<uint64_t>(uint64_t(exact), free_total - given);
        counts[i] += whole;
        given += whole;
        remainders[i] = {exact - double(whole), i};
    }
    // Larger remainder first; equal remainders keep index order so the result never depends on sort
    // stability.
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (uint64_t k = 0; given < free_total; ++k, ++given) counts[remainders[k % parts].second] += 1;
    return counts;
}

ZipfSampler::ZipfSampler(uint64_t parts, double exponent) {
    std::vector<double> shares = zipf_shares(parts, exponent);
    constexpr double kScale = double(uint64_t{1} << 53);
    cumulative_.resize(parts);
    double running = 0;
    for (uint64_t i = 0; i < parts; ++i) {
        running += shares[i];
        cumulative_[i] = std::min<uint64_t>(uint64_t(running * kScale), uint64_t{1} << 53);
    }
    cumulative_.back() = uint64_t{1} << 53;  // rounding must not leave the top of the range unowned
    guide_.resize(size_t{1} << kGuideBits);
    uint32_t part = 0;
    for (size_t j = 0; j < guide_.size(); ++j) {
        const uint64_t slice_start = uint64_t(j) << (53 - kGuideBits);
        while (cumulative_[part] <= slice_start) ++part;
        guide_[j] = part;
    }
}

uint64_t ZipfSampler::draw(Rng& rng) const {
    const uint64_t u = rng.bits53();
    uint64_t part = guide_[u >> (53 - kGuideBits)];
    while (cumulative_[part] <= u) ++part;  // the first part whose cumulative share exceeds u
    return part;
}

}  // namespace ledger_gen
