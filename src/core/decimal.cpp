#include "ledger/decimal.hpp"

#include <array>
#include <string>

namespace ledger {
namespace {

constexpr std::array<int128, 39> make_powers_of_ten() {
    std::array<int128, 39> powers{};
    int128 p = 1;
    for (size_t i = 0; i < powers.size(); ++i) {
        powers[i] = p;
        if (i + 1 < powers.size()) p *= 10;
    }
    return powers;
}
constexpr auto kPow10 = make_powers_of_ten();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Decimal> parse_decimal(std::string_view text, std::string* error) {
    if (text.size() <= 20)
        if (const auto short_decimal = parse_short_decimal(text)) return short_decimal;
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        negative = text[i] == '-';
        ++i;
    }
    // Digits accumulate as a negative number: the negative range of int128 is one larger, and this
    // way the most negative value parses without a special case.
    int128 acc = 0;
    size_t int_digits = 0;
    for (; i < text.size() && is_digit(text[i]); ++i, ++int_digits) {
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, text[i] - '0', &acc)) {
            *error = "amount does not fit in 128 bits";
            return std::nullopt;
        }
    }
    if (int_digits == 0) {
        *error = std::string("not a decimal number; ") + kDecimalFormat;
        return std::nullopt;
    }
    int scale = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        for (; i < text.size() && is_digit(text[i]); ++i) {
            if (++scale > kMaxScale) {
                *error = "more than 18 fraction digits";
                return std::nullopt;
            }
            if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, text[i] - '0', &acc)) {
                *error = "amount does not fit in 128 bits";
                return std::nullopt;
            }
        }
        if (scale == 0) {
            *error = std::string("no digits after the decimal point; ") + kDecimalFormat;
            return std::nullopt;
        }
    }
    if (i != text.size()) {
        *error = std::string("not a decimal number; ") + kDecimalFormat;
        return std::nullopt;
    }
    if (!negative) {
        if (__builtin_sub_overflow(int128{0}, acc, &acc)) {
            *error = "amount does not fit in 128 bits";
            return std::nullopt;
        }
    }
    return Decimal{acc, scale};
}

bool rescale(const Decimal& value, int target_scale, int128* out) {
    return !__builtin_mul_overflow(value.units, kPow10[size_t(target_scale - value.scale)], out);
}

void append_units(std::string& out, int128 units, int scale) {
    // Work on the magnitude as unsigned so that the most negative value formats correctly. Digits come
    // 19 at a time off a 128-bit magnitude and then one at a time in 64 bits: a 128-bit division is a
    // library call, a 64-bit division by ten a multiply, and the output holds a million balances.
    uint128 magnitude = units < 0 ? uint128(0) - uint128(units) : uint128(units);
    constexpr uint64_t kTenToThe19 = 10'000'000'000'000'000'000u;
    char digits[48];  // least significant first; 39 digits at most, then the zeros up to the scale
    int n = 0;
    while (magnitude > UINT64_MAX) {
        uint64_t chunk = uint64_t(magnitude % kTenToThe19);
        magnitude /= kTenToThe19;
        for (int k = 0; k < 19; ++k, chunk /= 10) digits[n++] = char('0' + chunk % 10);
    }
    uint64_t rest = uint64_t(magnitude);
    do {
        digits[n++] = char('0' + rest % 10);
        rest /= 10;
    } while (rest != 0);
    while (n <= scale) digits[n++] = '0';  // at least one integer digit
    char text[sizeof digits + 2];
    size_t length = 0;
    if (units < 0) text[length++] = '-';
    for (int k = n - 1; k >= 0; --k) {
        if (k == scale - 1) text[length++] = '.';
        text[length++] = digits[k];
    }
    out.append(text, length);
}

std::string format_units(int128 units, int scale) {
    std::string out;
    append_units(out, units, scale);
    return out;
}

std::string too_many_fraction_digits(int scale, int fixed) {
    return std::to_string(scale) + (scale == 1 ? " fraction digit" : " fraction digits") + " where --fixed-scale allows " + std::to_string(fixed) +
           " (never rounded)";
}

}  // namespace ledger
