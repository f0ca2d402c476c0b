// Writing instants as the ISO-8601 text the spec accepts. The plain form is the fast path used for big
// workloads; the mixed forms (offsets, Z, fractions, lower case, space, shorter precisions) exist to show
// that the job compares instants, never text.
#pragma once

#include <cstdint>
#include <string>

#include "random.hpp"

namespace ledger_gen {

struct Instant {
    int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
    int32_t nanos = 0;
};

struct DateForm {
    enum class Precision { day, minute, second };
    enum class Zone { none, upper_z, lower_z, offset };
    Precision precision = Precision::second;
    Zone zone = Zone::none;
    char separator = 'T';
    int offset_minutes = 0;       // with Zone::offset; local time = UTC + offset
    bool minus_zero = false;      // writes a zero offset as -00:00, which still means UTC
    int min_fraction_digits = 0;  // at least this many; more if the nanos need them
};

// A random mixed form, drawn from `rng`.
DateForm draw_date_form(Rng& rng);

// Drops what `form` cannot show (the time of day for a date-only form, seconds for a minute form), so
// that the text and the instant agree exactly.
Instant truncate_to_form(Instant instant, const DateForm& form);

class DateWriter {
public:
    // `YYYY-MM-DDTHH:MM:SS`, UTC.
    void append_plain(std::string& out, int64_t seconds);
    // Any form; the instant must already be truncated to it.
    void append(std::string& out, const Instant& instant, const DateForm& form);

private:
    void append_day(std::string& out, int64_t day);
    int64_t cached_day_ = INT64_MIN;
    char cached_text_[10] = {};
};

}  // namespace ledger_gen
