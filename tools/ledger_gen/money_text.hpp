// Money as the generator draws it: a whole part and a fraction written with a chosen number of digits.
// Kept as two integers, never as one scaled integer, because 18 fraction digits on top of a whole part
// would not fit in 64 bits.
#pragma once

#include <cstdint>
#include <string>

#include "output_file.hpp"
#include "random.hpp"

namespace ledger_gen {

struct Money {
    bool negative = false;
    uint64_t whole = 0;
    uint64_t fraction = 0;  // < 10^digits
    int digits = 0;         // fraction digits as written, 0..18
};

inline constexpr uint64_t kPow10[19] = {1,
                                        10,
                                        100,
                                        1000,
                                        10000,
                                        100000,
                                        1000000,
                                        10000000,
                                        100000000,
                                        1000000000,
                                        10000000000,
                                        100000000000,
                                        1000000000000,
                                        10000000000000,
                                        100000000000000,
                                        1000000000000000,
                                        10000000000000000,
                                        100000000000000000,
                                        1000000000000000000};

inline uint64_t pow10(int exponent) { return kPow10[exponent]; }

// Fraction digits of one value: `decimals`, or with `mixed` a random shorter count, which exercises the
// job's rescaling to the largest scale in the input.
inline Money draw_fraction(Rng& rng, int decimals, const Chance& mixed) {
    Money m;
    const uint64_t shorter = rng.below(uint64_t(decimals) + 1);
    const bool use_shorter = mixed.hit(rng);
    m.digits = use_shorter ? int(shorter) : decimals;
    m.fraction = rng.below(pow10(m.digits));
    return m;
}

inline void append_money(std::string& out, const Money& m) {
    if (m.negative) out.push_back('-');
    append_uint(out, m.whole);
    if (m.digits > 0) {
        out.push_back('.');
        append_padded(out, m.fraction, m.digits);
    }
}

inline bool is_zero(const Money& m) { return m.whole == 0 && m.fraction == 0; }

}  // namespace ledger_gen
