#include "ledger/instant.hpp"

#include <cstdio>
#include <string>

namespace ledger {
namespace {

// A fixed-width run of digits; false if any is not a digit.
bool read_digits(std::string_view text, size_t at, size_t count, int* out) {
    if (at + count > text.size()) return false;
    int value = 0;
    for (size_t i = at; i < at + count; ++i) {
        char c = text[i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    *out = value;
    return true;
}

std::optional<Instant> fail(std::string* error, const char* why) {
    *error = why;
    return std::nullopt;
}

// A text not of the ISO-8601 form: the reason, then the form with an example.
std::optional<Instant> fail_form(std::string* error, const char* why) {
    *error = std::string(why) + "; " + kInstantFormat;
    return std::nullopt;
}

}  // namespace

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
    // Shift the year to start in March so that the leap day is the last day of the "year".
    year -= month <= 2;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const int64_t year_of_era = year - era * 400;
    const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

std::optional<Instant> parse_instant(std::string_view text, std::string* error) {
    int year, month, day;
    if (!read_digits(text, 0, 4, &year) || text.size() < 10 || text[4] != '-' ||
        !read_digits(text, 5, 2, &month) || text[7] != '-' || !read_digits(text, 8, 2, &day))
        return fail_form(error, "not a date");
    if (month < 1 || month > 12) return fail(error, "month out of range");
    if (day < 1 || day > days_in_month(year, month)) return fail(error, "day out of range");

    int64_t seconds = days_from_civil(year, unsigned(month), unsigned(day)) * 86400;
    if (text.size() == 10) return Instant{seconds, 0};

    const char sep = text[10];
    if (sep != 'T' && sep != 't' && sep != ' ') {
        if (sep == 'Z' || sep == 'z' || sep == '+' || sep == '-')
            return fail(error, "an offset needs a time as in 2024-03-01T09:30:00+01:00");
        return fail_form(error, "no T or space after the date");
    }
    int hour, minute, second = 0;
    if (!read_digits(text, 11, 2, &hour) || text.size() < 16 || text[13] != ':' ||
        !read_digits(text, 14, 2, &minute))
        return fail_form(error, "time is not HH:MM");
    if (hour > 23) return fail(error, "hour out of range");
    if (minute > 59) return fail(error, "minute out of range");
    size_t i = 16;
    int32_t nanos = 0;
    if (i < text.size() && text[i] == ':') {
        if (!read_digits(text, i + 1, 2, &second)) return fail_form(error, "seconds are not SS");
        if (second > 59) return fail(error, "second out of range");
        i += 3;
        if (i < text.size() && text[i] == '.') {
            ++i;
            int digits = 0;
            for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
                if (++digits > 9) return fail(error, "fraction finer than nanoseconds");
                nanos = nanos * 10 + (text[i] - '0');
            }
            if (digits == 0) return fail_form(error, "no digits in the fraction of a second");
            for (int pad = digits; pad < 9; ++pad) nanos *= 10;
        }
    }
    seconds += int64_t(hour) * 3600 + minute * 60 + second;

    if (i < text.size()) {
        const char zone = text[i];
        if ((zone == 'Z' || zone == 'z') && i + 1 == text.size()) {
            // UTC, nothing to adjust
        } else if (zone == '+' || zone == '-') {
            int offset_hours, offset_minutes;
            if (i + 6 != text.size() || !read_digits(text, i + 1, 2, &offset_hours) || text[i + 3] != ':' ||
                !read_digits(text, i + 4, 2, &offset_minutes))
                return fail(error, "offset is not +HH:MM or -HH:MM as in 2024-03-01T09:30:00+01:00");
            if (offset_hours > 23 || offset_minutes > 59) return fail(error, "offset out of range");
            const int64_t offset = int64_t(offset_hours) * 3600 + offset_minutes * 60;
            // Local time minus its offset is UTC.
            seconds += zone == '+' ? -offset : offset;
        } else {
            return fail_form(error, "unexpected text after the time");
        }
    }
    return Instant{seconds, nanos};
}

std::string format_instant(const Instant& instant) {
    int64_t days = instant.seconds >= 0 ? instant.seconds / 86400 : (instant.seconds - 86399) / 86400;
    int64_t rem = instant.seconds - days * 86400;
    // Inverse of days_from_civil.
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2);
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%09dZ", (long long)y,
                  (long long)m, (long long)d, (long long)(rem / 3600), (long long)(rem % 3600 / 60),
                  (long long)(rem % 60), int(instant.nanos));
    return buffer;
}

}  // namespace ledger
