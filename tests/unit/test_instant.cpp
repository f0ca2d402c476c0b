// ISO-8601 instants (instant.hpp). Replay order is "ascending instant", so every accepted spelling of a
// date must map to the exact UTC instant and every impossible one must be refused (it is a bad row, not
// a silently shifted date). Checks:
//  - the accepted forms: date only, `T`/`t`/one space, seconds optional, fractions of 1..9 digits,
//    `Z`/`z`, `±HH:MM` offsets, each against a UTC value computed by hand;
//  - the rejected forms: 10 fraction digits, an offset on a date-only value, Feb 29 in non-leap years
//    (1900, 2023), Feb 30, month 13, hour 24, minute 60, second 60 (leap seconds are rejected: the
//    lead's decision), malformed text;
//  - ordering over years 0000..9999 and equality of one instant written several ways;
//  - days_from_civil against a plain day-by-day calendar walk over the whole range.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ledger/instant.hpp"

namespace {

using ledger::Instant;
using ledger::parse_instant;

Instant must_parse(std::string_view text) {
    std::string error;
    auto value = parse_instant(text, &error);
    EXPECT_TRUE(value.has_value()) << "'" << text << "' rejected: " << error;
    return value.value_or(Instant{INT64_MIN, -1});
}

void expect_instant(std::string_view text, int64_t seconds, int32_t nanos) {
    SCOPED_TRACE(std::string(text));
    Instant i = must_parse(text);
    EXPECT_EQ(i.seconds, seconds);
    EXPECT_EQ(i.nanos, nanos);
}

void expect_rejected(std::string_view text) {
    std::string error;
    auto value = parse_instant(text, &error);
    EXPECT_FALSE(value.has_value()) << "'" << text << "' accepted as " << value->seconds << "s " << value->nanos
                                    << "ns";
    EXPECT_FALSE(error.empty()) << "'" << text << "' rejected without a reason";
}

constexpr int64_t k2024 = 1704067200;  // 2024-01-01T00:00:00Z

TEST(InstantParse, DateOnlyIsMidnightUtc) {
    expect_instant("2024-01-01", k2024, 0);
    expect_instant("1970-01-01", 0, 0);
    expect_instant("1969-12-31", -86400, 0);
    expect_instant("1900-02-28", -2203977600, 0);
    expect_instant("1900-03-01", -2203891200, 0);
}

TEST(InstantParse, SeparatorsAndOptionalSeconds) {
    expect_instant("2024-01-01T10:20:00", k2024 + 37200, 0);
    expect_instant("2024-01-01 10:20:00", k2024 + 37200, 0);
    expect_instant("2024-01-01t10:20:00", k2024 + 37200, 0);
    expect_instant("2024-01-01T10:20", k2024 + 37200, 0);
    expect_instant("2024-01-01 10:20", k2024 + 37200, 0);
    expect_instant("2024-01-01T10:20:07", k2024 + 37207, 0);
    expect_instant("2024-01-01T00:00", k2024, 0);
}

TEST(InstantParse, ZuluInEitherCase) {
    expect_instant("2024-01-01T10:20:00Z", k2024 + 37200, 0);
    expect_instant("2024-01-01T10:20:00z", k2024 + 37200, 0);
    expect_instant("2024-01-01t10:20z", k2024 + 37200, 0);
    expect_instant("2024-01-01 10:20Z", k2024 + 37200, 0);
}

TEST(InstantParse, FractionsOfOneToNineDigits) {
    expect_instant("2024-01-01T00:00:00.5", k2024, 500000000);
    expect_instant("2024-01-01T00:00:00.12", k2024, 120000000);
    expect_instant("2024-01-01T00:00:00.123", k2024, 123000000);
    expect_instant("2024-01-01T00:00:00.1234", k2024, 123400000);
    expect_instant("2024-01-01T00:00:00.12345", k2024, 123450000);
    expect_instant("2024-01-01T00:00:00.123456", k2024, 123456000);
    expect_instant("2024-01-01T00:00:00.1234567", k2024, 123456700);
    expect_instant("2024-01-01T00:00:00.12345678", k2024, 123456780);
    expect_instant("2024-01-01T00:00:00.123456789", k2024, 123456789);
    expect_instant("2024-01-01T00:00:00.000000001Z", k2024, 1);
    expect_instant("2024-01-01T00:00:00.999999999Z", k2024, 999999999);
    expect_instant("2024-01-01T00:00:00.0", k2024, 0);
    expect_rejected("2024-01-01T00:00:00.1234567890");
    expect_rejected("2024-01-01T00:00:00.0000000000");
    expect_rejected("2024-01-01T00:00:00.");
    expect_rejected("2024-01-01T00:00.5");  // a fraction belongs to seconds
}

TEST(InstantParse, OffsetsGiveTheExactUtcInstant) {
    expect_instant("2024-01-01T05:30:00+05:30", k2024, 0);
    expect_instant("2024-01-01T05:30+05:30", k2024, 0);
    expect_instant("2024-03-10T01:30:00-08:00", 1710063000, 0);  // 2024-03-10T09:30:00Z
    expect_instant("2024-01-01T00:30:00+01:00", 1704065400, 0);  // 2023-12-31T23:30:00Z
    expect_instant("2024-12-31T20:00-08:00", 1735704000, 0);     // 2025-01-01T04:00:00Z
    expect_instant("2024-01-01T00:00:00+00:00", k2024, 0);
    expect_instant("2024-01-01T00:00:00-00:00", k2024, 0);
    expect_instant("2024-02-29T12:34:56.5+01:00", 1709206496, 500000000);
    expect_instant("2000-03-01T00:59:59.25+01:00", 951868799, 250000000);  // 2000-02-29T23:59:59.25Z
}

TEST(InstantParse, OffsetOnDateOnlyRejected) {
    expect_rejected("2024-01-01Z");
    expect_rejected("2024-01-01z");
    expect_rejected("2024-01-01+01:00");
    expect_rejected("2024-01-01-08:00");
}

TEST(InstantParse, MalformedOffsetsRejected) {
    expect_rejected("2024-01-01T10:00+5:30");
    expect_rejected("2024-01-01T10:00+05");
    expect_rejected("2024-01-01T10:00+05:3");
    expect_rejected("2024-01-01T10:00+05:60");
    expect_rejected("2024-01-01T10:00:00ZZ");
    expect_rejected("2024-01-01T10:00:00+01:00Z");
    expect_rejected("2024-01-01T10:00:00 Z");
}

TEST(InstantParse, LeapYears) {
    expect_instant("2000-02-29", 951782400, 0);
    expect_instant("2024-02-29", 1709164800, 0);
    expect_rejected("1900-02-29");
    expect_rejected("2023-02-29");
    expect_rejected("2100-02-29");
    expect_instant("0000-02-29", (-719528 + 59) * int64_t{86400}, 0);  // year 0 is a leap year
}

TEST(InstantParse, ImpossibleDatesAndTimes) {
    expect_rejected("2024-02-30");
    expect_rejected("2024-02-31");
    expect_rejected("2024-04-31");
    expect_rejected("2024-13-01");
    expect_rejected("2024-00-10");
    expect_rejected("2024-01-00");
    expect_rejected("2024-01-32");
    expect_rejected("2024-01-01T24:00");
    expect_rejected("2024-01-01T24:00:00");
    expect_rejected("2024-01-01T23:60");
    expect_rejected("2024-01-01T23:59:60");
    expect_rejected("2016-12-31T23:59:60Z");  // a real leap second: rejected by decision
    expect_rejected("2024-01-01T25:00");
    expect_rejected("2024-01-01T99:99:99");
}

TEST(InstantParse, MalformedTextRejected) {
    for (std::string_view text : {"", "2024", "2024-01", "2024-1-01", "2024-01-1", "24-01-01", "2024/01/01",
                                  "20240101", "+2024-01-01", "-2024-01-01", "10000-01-01", "2024-01-01T",
                                  "2024-01-01 ", "2024-01-01T10", "2024-01-01T1:00", "2024-01-01T10:0",
                                  "2024-01-01  10:00", "2024-01-01X10:00", "2024-01-01T10:00:0",
                                  "2024-01-01T10:00:00x", "2024-0a-01", "abcd-ef-gh", " 2024-01-01"}) {
        SCOPED_TRACE(std::string(text));
        expect_rejected(text);
    }
}

TEST(InstantOrder, YearsZeroToNineThousandNineHundredNinetyNine) {
    std::vector<std::string_view> ascending = {
        "0000-01-01",
        "0000-01-01T00:00:00.000000001",
        "0000-12-31T23:59:59.999999999",
        "0001-01-01",
        "1899-12-31T23:59:59",
        "1969-12-31T23:59:59.999999999",
        "1970-01-01",
        "1970-01-01T00:00:00.000000001Z",
        "2024-02-29",
        "2024-02-29T00:00:00.000000001",
        "9999-12-31T23:59:59.999999998Z",
        "9999-12-31T23:59:59.999999999Z",
    };
    for (size_t i = 0; i + 1 < ascending.size(); ++i) {
        SCOPED_TRACE(std::string(ascending[i]) + " < " + std::string(ascending[i + 1]));
        EXPECT_LT(must_parse(ascending[i]), must_parse(ascending[i + 1]));
    }
    expect_instant("0000-01-01", -719528 * int64_t{86400}, 0);
    expect_instant("9999-12-31T23:59:59.999999999Z", 253402300799, 999999999);
    expect_instant("1969-12-31T23:59:59.5Z", -1, 500000000);  // nanos stay in 0..999'999'999
}

TEST(InstantOrder, OneInstantWrittenManyWays) {
    Instant reference = must_parse("2024-01-01T00:00:00Z");
    for (std::string_view text : {"2024-01-01T01:00:00+01:00", "2024-01-01", "2024-01-01 00:00", "2024-01-01T00:00",
                                  "2023-12-31T16:00-08:00", "2024-01-01t00:00:00.000z", "2024-01-01T05:30+05:30",
                                  "2024-01-01T00:00:00.000000000", "2023-12-31 23:00:00-01:00"}) {
        SCOPED_TRACE(std::string(text));
        EXPECT_EQ(must_parse(text), reference);
    }
}

TEST(DaysFromCivil, KnownDates) {
    EXPECT_EQ(ledger::days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(ledger::days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(ledger::days_from_civil(2000, 2, 29), 11016);
    EXPECT_EQ(ledger::days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(ledger::days_from_civil(1, 1, 1), -719162);
    EXPECT_EQ(ledger::days_from_civil(0, 1, 1), -719528);
    EXPECT_EQ(ledger::days_from_civil(9999, 12, 31), 2932896);
}

TEST(DaysFromCivil, MatchesAPlainCalendarWalk) {
    // Walk every day of 0000..9999 with the textbook leap-year rule and compare.
    auto leap = [](int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
    const unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t expected = -719528;
    int64_t mismatches = 0;
    for (int64_t y = 0; y <= 9999; ++y) {
        for (unsigned m = 1; m <= 12; ++m) {
            unsigned days = month_days[m - 1] + (m == 2 && leap(y) ? 1 : 0);
            for (unsigned d = 1; d <= days; ++d, ++expected) {
                if (ledger::days_from_civil(y, m, d) != expected && mismatches++ < 5) {
                    ADD_FAILURE() << y << "-" << m << "-" << d << ": " << ledger::days_from_civil(y, m, d)
                                  << " != " << expected;
                }
            }
        }
    }
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(expected, 2932897);  // one past 9999-12-31
}

TEST(InstantFormat, FixedWidthUtc) {
    EXPECT_EQ(ledger::format_instant(must_parse("2024-02-29T12:34:56.5+01:00")), "2024-02-29T11:34:56.500000000Z");
    EXPECT_EQ(ledger::format_instant(Instant{0, 0}), "1970-01-01T00:00:00.000000000Z");
    EXPECT_EQ(ledger::format_instant(Instant{-1, 500000000}), "1969-12-31T23:59:59.500000000Z");
    EXPECT_EQ(ledger::format_instant(Instant{-719528 * int64_t{86400}, 7}), "0000-01-01T00:00:00.000000007Z");
}

TEST(InstantFormat, RoundTripsThroughParse) {
    std::mt19937_64 rng(7);
    const int64_t lo = -719528 * int64_t{86400};
    const int64_t hi = 253402300799;
    for (int i = 0; i < 5000; ++i) {
        Instant original{lo + int64_t(rng() % uint64_t(hi - lo + 1)), int32_t(rng() % 1000000000)};
        std::string text = ledger::format_instant(original);
        SCOPED_TRACE(text);
        EXPECT_EQ(must_parse(text), original);
    }
}

}  // namespace
