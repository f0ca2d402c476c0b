#include "date_text.hpp"

#include <cassert>

#include "output_file.hpp"

namespace ledger_gen {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Civil {
    int64_t year;
    unsigned month, day;
};

// Proleptic Gregorian date of a day count since 1970-01-01, via 400-year eras (146097 days each) that
// start on March 1st, so the leap day is the last day of an era-year and needs no special case.
Civil civil_from_days(int64_t days) {
    days += 719468;  // shift the epoch to 0000-03-01
    const int64_t era = floor_div(days, 146097);
    const int64_t day_of_era = days - era * 146097;
    const int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const int64_t month_from_march = (5 * day_of_year + 2) / 153;
    const unsigned day = unsigned(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    const unsigned month = unsigned(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int significant_fraction_digits(int32_t nanos) {
    if (nanos == 0) return 0;
    int digits = 9;
    while (nanos % 10 == 0) {
        nanos /= 10;
        --digits;
    }
    return digits;
}

void append_clock(std::string& out, int64_t second_of_day, DateForm::Precision precision) {
    const int hour = int(second_of_day / 3600), minute = int(second_of_day / 60 % 60), second = int(second_of_day % 60);
    const char text[8] = {char('0' + hour / 10),   char('0' + hour % 10),   ':', char('0' + minute / 10),
                          char('0' + minute % 10), ':', char('0' + second / 10), char('0' + second % 10)};
    out.append(text, precision == DateForm::Precision::second ? 8 : 5);
}

void append_zone(std::string& out, const DateForm& form) {
    switch (form.zone) {
        case DateForm::Zone::none: return;
        case DateForm::Zone::upper_z: out.push_back('Z'); return;
        case DateForm::Zone::lower_z: out.push_back('z'); return;
        case DateForm::Zone::offset: break;
    }
    int minutes = form.offset_minutes;
    out.push_back(minutes < 0 || (minutes == 0 && form.minus_zero) ? '-' : '+');
    if (minutes < 0) minutes = -minutes;
    append_padded(out, uint64_t(minutes / 60), 2);
    out.push_back(':');
    append_padded(out, uint64_t(minutes % 60), 2);
}

}  // namespace

DateForm draw_date_form(Rng& rng) {
    DateForm form;
    const uint64_t kind = rng.below(100);
    const uint64_t detail = rng.below(1000);
    form.offset_minutes = int(15 * rng.between(-48, 56));  // -12:00 .. +14:00, as real zones are
    if (kind < 15) {
        // plain, no zone: UTC
    } else if (kind < 30) {
        form.zone = DateForm::Zone::upper_z;
    } else if (kind < 35) {
        form.separator = 't';
        form.zone = DateForm::Zone::lower_z;
    } else if (kind < 65) {
        form.zone = DateForm::Zone::offset;
    } else if (kind < 75) {
        form.separator = ' ';
        form.zone = detail % 2 ? DateForm::Zone::offset : DateForm::Zone::none;
    } else if (kind < 85) {
        form.zone = DateForm::Zone::upper_z;
        form.min_fraction_digits = int(1 + detail % 9);
    } else if (kind < 93) {
        form.precision = DateForm::Precision::minute;
        form.zone = DateForm::Zone(detail % 4);
    } else if (kind < 95) {
        form.precision = DateForm::Precision::day;
    } else {
        // The edges of the offset range: explicit zero offsets and the largest the lead allows.
        static constexpr int kEdges[] = {0, 0, 23 * 60 + 59, -(23 * 60 + 59), 14 * 60, -(12 * 60)};
        form.zone = DateForm::Zone::offset;
        form.offset_minutes = kEdges[detail % 6];
        form.minus_zero = detail % 6 == 1;
    }
    return form;
}

Instant truncate_to_form(Instant instant, const DateForm& form) {
    switch (form.precision) {
        case DateForm::Precision::second: return instant;
        case DateForm::Precision::minute: return {floor_div(instant.seconds, 60) * 60, 0};
        case DateForm::Precision::day: return {floor_div(instant.seconds, kSecondsPerDay) * kSecondsPerDay, 0};
    }
    return instant;
}

void DateWriter::append_day(std::string& out, int64_t day) {
    if (day != cached_day_) {
        Civil c = civil_from_days(day);
        assert(c.year >= 0 && c.year <= 9999);
        std::string text;
        append_padded(text, uint64_t(c.year), 4);
        text.push_back('-');
        append_padded(text, c.month, 2);
        text.push_back('-');
        append_padded(text, c.day, 2);
        text.copy(cached_text_, sizeof cached_text_);
        cached_day_ = day;
    }
    out.append(cached_text_, sizeof cached_text_);
}

void DateWriter::append_plain(std::string& out, int64_t seconds) {
    const int64_t day = floor_div(seconds, kSecondsPerDay);
    append_day(out, day);
    out.push_back('T');
    append_clock(out, seconds - day * kSecondsPerDay, DateForm::Precision::second);
}

void DateWriter::append(std::string& out, const Instant& instant, const DateForm& form) {
    const int64_t offset_seconds = form.zone == DateForm::Zone::offset ? int64_t{form.offset_minutes} * 60 : 0;
    const int64_t local = instant.seconds + offset_seconds;
    const int64_t day = floor_div(local, kSecondsPerDay);
    append_day(out, day);
    if (form.precision == DateForm::Precision::day) return;  // date-only: never with a zone
    out.push_back(form.separator);
    append_clock(out, local - day * kSecondsPerDay, form.precision);
    if (form.precision == DateForm::Precision::second) {
        int digits = significant_fraction_digits(instant.nanos);
        if (digits < form.min_fraction_digits) digits = form.min_fraction_digits;
        if (digits > 0) {
            out.push_back('.');
            uint64_t scaled = uint64_t(instant.nanos);
            for (int i = digits; i < 9; ++i) scaled /= 10;
            append_padded(out, scaled, digits);
        }
    }
    append_zone(out, form);
}

}  // namespace ledger_gen
