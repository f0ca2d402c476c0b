// Exact decimal money. A value is an integer number of units at a decimal scale (10^-scale). Parsing
// keeps each value at its own scale; once the whole input has been seen, every value is rescaled to the
// run's common scale (the largest scale in the input) and from then on money is a plain 128-bit integer.
// Every arithmetic step is overflow-checked: a result that does not fit is an error, never a wrap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger {

using int128 = __int128;
using uint128 = unsigned __int128;

inline constexpr int kMaxScale = 18;  // most fraction digits the spec allows

struct Decimal {
    int128 units = 0;  // value = units * 10^-scale
    int scale = 0;     // 0..kMaxScale
};

// What a decimal in the input must look like, for the messages that reject one.
inline constexpr const char* kDecimalFormat = "expected digits with an optional sign and '.' like -1234.50";

// Parses `[+-]digits[.digits]`; the text must already be trimmed. On failure returns nullopt and sets
// *error to a short reason, followed by kDecimalFormat when the text is not of that form ("5." and ".5"
// are rejected, as are exponents and thousands separators); more than 18 fraction digits is rejected too.
// No comma in these texts, so that a quarantine CSV's error column needs no quotes for them.
std::optional<Decimal> parse_decimal(std::string_view text, std::string* error);

// parse_decimal for a text of at most 18 digits, which fits in 64 bits, where no step can overflow: no
// 128-bit checks (a library call each). Nearly every amount and balance is such a text. Returns nullopt
// for anything else, valid or not; parse_decimal tries this first. Inline: the fast row reader calls it
// for every row.
inline std::optional<Decimal> parse_short_decimal(std::string_view text) {
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        negative = text[i] == '-';
        ++i;
    }
    uint64_t units = 0;
    int digits = 0, scale = -1;  // -1: no point yet
    for (; i < text.size(); ++i) {
        if (text[i] == '.') {
            if (scale >= 0 || digits == 0) return std::nullopt;
            scale = 0;
            continue;
        }
        const unsigned digit = unsigned(text[i] - '0');
        if (digit > 9) return std::nullopt;
        units = units * 10 + digit;
        ++digits;
        if (scale >= 0) ++scale;
    }
    if (digits == 0 || digits > 18 || scale == 0) return std::nullopt;
    return Decimal{negative ? -int128(units) : int128(units), scale < 0 ? 0 : scale};
}

// Why a value with `scale` fraction digits is refused under --fixed-scale `fixed` (no comma, as above).
std::string too_many_fraction_digits(int scale, int fixed);

// units * 10^(target_scale - value.scale); false when the result does not fit in 128 bits.
// target_scale must be >= value.scale.
bool rescale(const Decimal& value, int target_scale, int128* out);

// Formats units at `scale` with exactly `scale` fraction digits ("-12.50"; scale 0 gives "-12").
std::string format_units(int128 units, int scale);
void append_units(std::string& out, int128 units, int scale);

inline bool checked_add(int128 a, int128 b, int128* out) { return !__builtin_add_overflow(a, b, out); }
inline bool checked_sub(int128 a, int128 b, int128* out) { return !__builtin_sub_overflow(a, b, out); }

}  // namespace ledger
