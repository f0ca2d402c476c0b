// Fuzzes ISO-8601 instants (instant.hpp) against an oracle written here from the spec's grammar, with its
// own calendar arithmetic (days counted by leap-year rules, not by the core's era formula):
//   - parse_instant accepts exactly `YYYY-MM-DD` [(`T`|`t`|` `) `HH:MM` [`:SS` [`.` 1-9 digits]]
//     [`Z`|`z`|`±HH:MM`]] with a real calendar date, hour <= 23, minute and second <= 59, offset hours
//     <= 23 and minutes <= 59, and no offset on a date-only value; anything else is refused with a reason;
//   - an accepted value is the exact UTC instant the oracle computes (seconds and nanoseconds);
//   - an accepted value whose UTC instant lies in years 0000-9999 formats (format_instant) as
//     `YYYY-MM-DDTHH:MM:SS.fffffffffZ` and that text parses back to the same instant.
// The input is the date text itself.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "ledger/instant.hpp"

namespace {

struct Fields {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    int32_t nanos = 0;
    int64_t offset_seconds = 0;  // local time minus UTC
};

bool digits(std::string_view text, size_t at, size_t count, int* out) {
    if (at + count > text.size()) return false;
    int value = 0;
    for (size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return true;
}

bool leap(int year) { return year % 400 == 0 || (year % 4 == 0 && year % 100 != 0); }

int month_length(int year, int month) {
    if (month == 2) return leap(year) ? 29 : 28;
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

// Days from 0000-01-01 to the given date, counting leap years in [0, year) one by one in closed form.
int64_t days_since_year_zero(int year, int month, int day) {
    const int64_t y = year;
    int64_t days = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    for (int m = 1; m < month; ++m) days += month_length(year, m);
    return days + day - 1;
}

int64_t days_since_epoch(int year, int month, int day) {
    return days_since_year_zero(year, month, day) - days_since_year_zero(1970, 1, 1);
}

// The spec's grammar, by hand. nullopt for anything it does not allow.
std::optional<Fields> oracle(std::string_view t) {
    Fields f;
    if (t.size() < 10 || !digits(t, 0, 4, &f.year) || t[4] != '-' || !digits(t, 5, 2, &f.month) || t[7] != '-' ||
        !digits(t, 8, 2, &f.day))
        return std::nullopt;
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > month_length(f.year, f.month)) return std::nullopt;
    if (t.size() == 10) return f;
    if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return std::nullopt;
    if (!digits(t, 11, 2, &f.hour) || t.size() < 16 || t[13] != ':' || !digits(t, 14, 2, &f.minute)) return std::nullopt;
    if (f.hour > 23 || f.minute > 59) return std::nullopt;
    size_t i = 16;
    if (i < t.size() && t[i] == ':') {
        if (!digits(t, i + 1, 2, &f.second) || f.second > 59) return std::nullopt;
        i += 3;
        if (i < t.size() && t[i] == '.') {
            size_t n = 0;
            int64_t nanos = 0;
            for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++n)
                if (n < 9) nanos = nanos * 10 + (t[i] - '0');
            if (n == 0 || n > 9) return std::nullopt;
            for (; n < 9; ++n) nanos *= 10;
            f.nanos = int32_t(nanos);
        }
    }
    if (i == t.size()) return f;
    if ((t[i] == 'Z' || t[i] == 'z') && i + 1 == t.size()) return f;
    int oh = 0, om = 0;
    if ((t[i] != '+' && t[i] != '-') || i + 6 != t.size() || !digits(t, i + 1, 2, &oh) || t[i + 3] != ':' ||
        !digits(t, i + 4, 2, &om) || oh > 23 || om > 59)
        return std::nullopt;
    f.offset_seconds = (t[i] == '-' ? -1 : 1) * (int64_t(oh) * 3600 + om * 60);
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string error;
    const auto parsed = ledger::parse_instant(text, &error);
    const auto expected = oracle(text);
    FUZZ_CHECK(parsed.has_value() == expected.has_value(), "parse_instant accepts exactly the spec's grammar");
    if (!parsed) {
        FUZZ_CHECK(!error.empty(), "a refusal has a reason");
        return 0;
    }
    const Fields& f = *expected;
    const int64_t seconds = days_since_epoch(f.year, f.month, f.day) * 86400 + int64_t(f.hour) * 3600 +
                            int64_t(f.minute) * 60 + f.second - f.offset_seconds;
    FUZZ_CHECK(parsed->seconds == seconds, "the instant is the oracle's UTC second");
    FUZZ_CHECK(parsed->nanos == f.nanos, "the instant keeps the fraction exactly");
    FUZZ_CHECK(parsed->nanos >= 0 && parsed->nanos < 1'000'000'000, "nanoseconds are in range");

    // An offset can move a value just outside years 0000-9999 in UTC; format_instant cannot write those
    // as four-digit years, so the round trip is a property of the instants inside that range.
    const int64_t first = days_since_epoch(0, 1, 1) * 86400, end = (days_since_epoch(9999, 12, 31) + 1) * 86400;
    if (parsed->seconds < first || parsed->seconds >= end) return 0;
    const std::string formatted = ledger::format_instant(*parsed);
    FUZZ_CHECK(formatted.size() == 30 && formatted[10] == 'T' && formatted.back() == 'Z',
               "format_instant writes YYYY-MM-DDTHH:MM:SS.fffffffffZ");
    std::string again_error;
    const auto again = ledger::parse_instant(formatted, &again_error);
    FUZZ_CHECK(again.has_value(), "a formatted instant parses");
    FUZZ_CHECK(*again == *parsed, "a formatted instant round-trips");
    return 0;
}
