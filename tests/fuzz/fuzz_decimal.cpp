// Fuzzes exact decimal money (decimal.hpp) against an oracle written here with strings only, so that a bug
// in the core's integer arithmetic cannot hide itself:
//   - parse_decimal accepts exactly the spec's grammar `[+-]digits[.digits]` with 1-18 fraction digits
//     and a value that fits in a signed 128-bit integer at its own scale; anything else is refused with a
//     non-empty reason;
//   - an accepted value formats (format_units) to its canonical text: no `+`, no leading zeros, no sign
//     on zero, exactly `scale` fraction digits; and that text parses back to the same units and scale;
//   - rescale to every larger scale up to 18 either gives exactly units * 10^k (checked by formatting:
//     the canonical text with k zeros appended) or refuses, and it refuses only when the result really
//     does not fit in 128 bits: money never wraps.
// The input is the decimal text itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "ledger/decimal.hpp"

namespace {

using ledger::int128;

constexpr std::string_view kInt128MaxDigits = "170141183460469231731687303715884105727";
constexpr std::string_view kInt128MinMagnitude = "170141183460469231731687303715884105728";

struct Parts {
    bool negative = false;
    std::string integer;   // digits as written
    std::string fraction;  // digits as written, possibly empty
};

bool all_digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// The spec's grammar, by hand. Returns false for anything it does not allow.
bool split(std::string_view text, Parts* parts) {
    size_t i = 0;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        parts->negative = text[0] == '-';
        i = 1;
    }
    const size_t dot = text.find('.', i);
    const std::string_view integer = text.substr(i, dot == std::string_view::npos ? std::string_view::npos : dot - i);
    if (integer.empty() || !all_digits(integer)) return false;
    parts->integer = std::string(integer);
    if (dot == std::string_view::npos) return true;
    const std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty() || fraction.size() > size_t(ledger::kMaxScale) || !all_digits(fraction)) return false;
    parts->fraction = std::string(fraction);
    return true;
}

std::string strip_leading_zeros(std::string digits) {
    const size_t first = digits.find_first_not_of('0');
    return first == std::string::npos ? "0" : digits.substr(first);
}

// Whether the integer written by `digits` (unsigned) fits in int128 with the given sign.
bool fits(const std::string& digits, bool negative) {
    const std::string d = strip_leading_zeros(digits);
    const std::string_view limit = negative ? kInt128MinMagnitude : kInt128MaxDigits;
    if (d.size() != limit.size()) return d.size() < limit.size();
    return d <= limit;
}

// The canonical text of a value: what format_units must write at the value's own scale.
std::string canonical(const Parts& parts, size_t extra_zeros) {
    const std::string integer = strip_leading_zeros(parts.integer);
    const std::string fraction = parts.fraction + std::string(extra_zeros, '0');
    const bool zero = integer == "0" && fraction.find_first_not_of('0') == std::string::npos;
    std::string out = parts.negative && !zero ? "-" : "";
    out += integer;
    if (!fraction.empty()) out += "." + fraction;
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string error;
    const auto parsed = ledger::parse_decimal(text, &error);

    Parts parts;
    const bool grammatical = split(text, &parts);
    const bool expected = grammatical && fits(parts.integer + parts.fraction, parts.negative);
    FUZZ_CHECK(parsed.has_value() == expected, "parse_decimal accepts exactly the grammar within 128 bits");
    if (!parsed) {
        FUZZ_CHECK(!error.empty(), "a refusal has a reason");
        return 0;
    }
    FUZZ_CHECK(parsed->scale == int(parts.fraction.size()), "the scale is the number of fraction digits");

    const std::string formatted = ledger::format_units(parsed->units, parsed->scale);
    FUZZ_CHECK(formatted == canonical(parts, 0), "format_units writes the canonical form");
    std::string again_error;
    const auto again = ledger::parse_decimal(formatted, &again_error);
    FUZZ_CHECK(again.has_value(), "the canonical form parses");
    FUZZ_CHECK(again->units == parsed->units && again->scale == parsed->scale, "the canonical form round-trips");

    for (int target = parsed->scale; target <= ledger::kMaxScale; ++target) {
        const size_t zeros = size_t(target - parsed->scale);
        const bool should_fit = fits(parts.integer + parts.fraction + std::string(zeros, '0'), parts.negative);
        int128 rescaled = 0;
        const bool ok = ledger::rescale(*parsed, target, &rescaled);
        FUZZ_CHECK(ok == should_fit, "rescale refuses exactly the values that do not fit");
        if (ok) FUZZ_CHECK(ledger::format_units(rescaled, target) == canonical(parts, zeros), "rescale is exact");
    }
    return 0;
}
