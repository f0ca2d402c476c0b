// ISO-8601 instants as the spec accepts them: `YYYY-MM-DD`, optionally followed by `T` or one space and
// `HH:MM[:SS[.fraction]]` and an optional `Z` or `±HH:MM` offset. Values without an offset are UTC.
// The result is an exact UTC instant (seconds since 1970 plus nanoseconds), valid for years 0000-9999.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger {

struct Instant {
    int64_t seconds = 0;  // since 1970-01-01T00:00:00Z, may be negative
    int32_t nanos = 0;    // 0..999'999'999
    friend auto operator<=>(const Instant&, const Instant&) = default;
};

// What a date in the input must look like, for the messages that reject one.
inline constexpr const char* kInstantFormat = "expected ISO-8601 like 2024-03-01 or 2024-03-01T09:30:00Z";

// The text must already be trimmed. On failure returns nullopt and sets *error to a short reason, followed
// by kInstantFormat when the text is not of the ISO-8601 form (an impossible day or hour says only that).
std::optional<Instant> parse_instant(std::string_view text, std::string* error);

// Days since 1970-01-01 of a proleptic Gregorian civil date (exact, no time zone database involved).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

// Days in `month` (1-12) of `year` in the proleptic Gregorian calendar.
int days_in_month(int year, int month);

// `YYYY-MM-DDTHH:MM:SS.fffffffffZ`, used for messages and reports.
std::string format_instant(const Instant& instant);

}  // namespace ledger
