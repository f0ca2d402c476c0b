// The generator's only source of randomness. Hand-written on purpose: the std distributions are free to
// differ between library versions, and a workload must be the same bytes for a given seed everywhere.
#pragma once

#include <cstdint>

namespace ledger_gen {

// splitmix64 (Steele, Lea, Flood): tiny, fast, and every seed (0 included) gives a good sequence.
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound); bound > 0. Multiply-shift instead of modulo: no division, and the bias
    // (bound / 2^64) is far below anything a workload could show.
    uint64_t below(uint64_t bound) {
        return uint64_t((static_cast<unsigned __int128>(next()) * bound) >> 64);
    }

    // Uniform in [lo, hi], both inclusive.
    int64_t between(int64_t lo, int64_t hi) { return lo + int64_t(below(uint64_t(hi - lo) + 1)); }

    // 53 random bits, the unit in which probabilities are compared (see Chance).
    uint64_t bits53() { return next() >> 11; }

private:
    uint64_t state_;
};

// A probability turned into an integer threshold once, so that each draw is one integer compare and
// 0 and 1 are exact (never and always).
class Chance {
public:
    Chance() = default;
    explicit Chance(double probability)
        : threshold_(probability <= 0 ? 0
                     : probability >= 1 ? (uint64_t{1} << 53)
                                        : uint64_t(probability * double(uint64_t{1} << 53))) {}

    bool hit(Rng& rng) const { return rng.bits53() < threshold_; }
    bool never() const { return threshold_ == 0; }

private:
    uint64_t threshold_ = 0;
};

// Independent streams from one seed: each purpose (row content, bad rows, messy formatting, ...) gets
// its own, so turning on one feature does not shift the random values of another. Rows use
// stream(seed, kRows, row_index), which makes every row a pure function of (seed, index).
inline uint64_t stream_seed(uint64_t seed, uint64_t purpose, uint64_t index = 0) {
    Rng mixer(seed ^ (purpose * 0xD1B54A32D192ED03ull));
    mixer.next();
    Rng second(mixer.next() ^ (index * 0x9E3779B97F4A7C15ull));
    return second.next();
}

enum Stream : uint64_t {
    kPopulation = 1,
    kRows = 2,
    kBadRows = 3,
    kMessy = 4,
    kLayout = 5,
};

}  // namespace ledger_gen
