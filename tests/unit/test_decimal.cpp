// Exact decimal money (decimal.hpp). Checks what the spec promises about amounts and balances:
//  - the accepted grammar `[+-]digits[.digits]` with at most 18 fraction digits, and the rejections
//    the spec names (`5.`, `.5`, exponents, empty text, inner spaces, a lone sign);
//  - that parsing keeps the value exact at its own scale (leading zeros, trailing fraction zeros);
//  - that rescaling never wraps: values right at the int128 limits either rescale exactly or report
//    overflow, because "a value that does not fit is an input error, never a wrong number";
//  - that formatting writes exactly `scale` fraction digits, signs and zero included, and that
//    parse and format are inverse, since today's output is tomorrow's input.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core_pipeline.hpp"
#include "ledger/decimal.hpp"

namespace {

using ledger::Decimal;
using ledger::int128;
using ledger::uint128;
using ledger::parse_decimal;
using ledger_test::i128;
using ledger_test::i128_str;
using ledger_test::kInt128Max;
using ledger_test::kInt128Min;

// Parses text that must be valid; fails the test (and returns {0,-1}) otherwise.
Decimal must_parse(std::string_view text) {
    std::string error;
    auto value = parse_decimal(text, &error);
    EXPECT_TRUE(value.has_value()) << "'" << text << "' rejected: " << error;
    return value.value_or(Decimal{0, -1});
}

void expect_parses(std::string_view text, std::string_view units, int scale) {
    SCOPED_TRACE(std::string(text));
    Decimal d = must_parse(text);
    EXPECT_EQ(i128_str(d.units), units);
    EXPECT_EQ(d.scale, scale);
}

void expect_rejected(std::string_view text) {
    std::string error;
    auto value = parse_decimal(text, &error);
    EXPECT_FALSE(value.has_value()) << "'" << text << "' accepted as " << i128_str(value->units) << "e-"
                                    << value->scale;
    EXPECT_FALSE(error.empty()) << "'" << text << "' rejected without a reason";
}

TEST(DecimalParse, IntegersAndSigns) {
    expect_parses("0", "0", 0);
    expect_parses("5", "5", 0);
    expect_parses("+5", "5", 0);
    expect_parses("-5", "-5", 0);
    expect_parses("-0", "0", 0);
    expect_parses("+0", "0", 0);
    expect_parses("1234567890", "1234567890", 0);
}

TEST(DecimalParse, LeadingZerosAreKeptOutOfTheValue) {
    expect_parses("007", "7", 0);
    expect_parses("000", "0", 0);
    expect_parses("00.50", "50", 2);
    expect_parses("-0007.25", "-725", 2);
}

TEST(DecimalParse, FractionKeepsItsOwnScale) {
    expect_parses("12.5", "125", 1);
    expect_parses("12.50", "1250", 2);
    expect_parses("-12.50", "-1250", 2);
    expect_parses("0.001", "1", 3);
    expect_parses("-0.000", "0", 3);
    expect_parses("+3.14", "314", 2);
}

TEST(DecimalParse, EighteenFractionDigitsAcceptedNineteenRejected) {
    expect_parses("1.000000000000000001", "1000000000000000001", 18);
    expect_parses("0.123456789012345678", "123456789012345678", 18);
    expect_parses("-0.000000000000000001", "-1", 18);
    expect_rejected("1.0000000000000000001");
    expect_rejected("0.1234567890123456789");
    expect_rejected("0.0000000000000000000");
}

TEST(DecimalParse, SpecRejections) {
    expect_rejected("5.");
    expect_rejected(".5");
    expect_rejected("-.5");
    expect_rejected("+5.");
    expect_rejected("1e5");
    expect_rejected("1E5");
    expect_rejected("1.5e2");
    expect_rejected("");
    expect_rejected("+");
    expect_rejected("-");
    expect_rejected(".");
}

TEST(DecimalParse, OtherMalformedTextRejected) {
    expect_rejected("1 000");
    expect_rejected("1 .5");
    expect_rejected("1. 5");
    expect_rejected("- 5");
    expect_rejected("--5");
    expect_rejected("+-5");
    expect_rejected("1.2.3");
    expect_rejected("0x10");
    expect_rejected("12a");
    expect_rejected("a12");
    expect_rejected("1,5");
    expect_rejected("inf");
    expect_rejected("NaN");
    expect_rejected("5-");
    expect_rejected("\xd9\xa5");  // ARABIC-INDIC DIGIT FIVE is not a digit here
}

TEST(DecimalParse, Int128Limits) {
    expect_parses("170141183460469231731687303715884105727", "170141183460469231731687303715884105727", 0);
    expect_parses("-170141183460469231731687303715884105728", "-170141183460469231731687303715884105728", 0);
    expect_parses("17014118346046923173168730371588410572.7", "170141183460469231731687303715884105727", 1);
    expect_parses("-170141183460469231731.687303715884105728", "-170141183460469231731687303715884105728", 18);
    expect_rejected("170141183460469231731687303715884105728");
    expect_rejected("-170141183460469231731687303715884105729");
    expect_rejected("17014118346046923173168730371588410572.8");
    expect_rejected("999999999999999999999999999999999999999999");
    expect_rejected("-999999999999999999999999999999999999999999.5");
}

TEST(DecimalRescale, SameScaleAndUpscale) {
    int128 out = -1;
    ASSERT_TRUE(ledger::rescale(Decimal{5, 0}, 0, &out));
    EXPECT_I128_EQ(out, 5);
    ASSERT_TRUE(ledger::rescale(Decimal{5, 0}, 2, &out));
    EXPECT_I128_EQ(out, 500);
    ASSERT_TRUE(ledger::rescale(Decimal{-125, 1}, 4, &out));
    EXPECT_I128_EQ(out, -125000);
    ASSERT_TRUE(ledger::rescale(Decimal{7, 18}, 18, &out));
    EXPECT_I128_EQ(out, 7);
    ASSERT_TRUE(ledger::rescale(Decimal{1, 0}, 18, &out));
    EXPECT_EQ(i128_str(out), "1000000000000000000");
    ASSERT_TRUE(ledger::rescale(Decimal{0, 0}, 18, &out));
    EXPECT_I128_EQ(out, 0);
}

TEST(DecimalRescale, RightAtTheUpperLimit) {
    int128 out = 0;
    int128 tenth = kInt128Max / 10;  // 17014118346046923173168730371588410572
    ASSERT_TRUE(ledger::rescale(Decimal{tenth, 0}, 1, &out));
    EXPECT_EQ(i128_str(out), "170141183460469231731687303715884105720");
    EXPECT_FALSE(ledger::rescale(Decimal{tenth + 1, 0}, 1, &out));
    EXPECT_FALSE(ledger::rescale(Decimal{kInt128Max, 0}, 1, &out));
    // 10^20 at 18 more digits is 10^38, which fits; 2 * 10^20 would be 2 * 10^38, which does not.
    ASSERT_TRUE(ledger::rescale(Decimal{i128("100000000000000000000"), 0}, 18, &out));
    EXPECT_EQ(i128_str(out), "100000000000000000000000000000000000000");
    EXPECT_FALSE(ledger::rescale(Decimal{i128("200000000000000000000"), 0}, 18, &out));
    EXPECT_FALSE(ledger::rescale(Decimal{i128("170141183460469231732"), 0}, 18, &out));
    ASSERT_TRUE(ledger::rescale(Decimal{i128("170141183460469231731"), 0}, 18, &out));
    EXPECT_EQ(i128_str(out), "170141183460469231731000000000000000000");
}

TEST(DecimalRescale, RightAtTheLowerLimit) {
    int128 out = 0;
    int128 tenth = kInt128Min / 10;  // -17014118346046923173168730371588410572 (truncated)
    ASSERT_TRUE(ledger::rescale(Decimal{tenth, 3}, 4, &out));
    EXPECT_EQ(i128_str(out), "-170141183460469231731687303715884105720");
    EXPECT_FALSE(ledger::rescale(Decimal{tenth - 1, 3}, 4, &out));
    EXPECT_FALSE(ledger::rescale(Decimal{kInt128Min, 0}, 1, &out));
    ASSERT_TRUE(ledger::rescale(Decimal{kInt128Min, 5}, 5, &out));
    EXPECT_I128_EQ(out, kInt128Min);
    EXPECT_FALSE(ledger::rescale(Decimal{i128("-200000000000000000000"), 0}, 18, &out));
    ASSERT_TRUE(ledger::rescale(Decimal{i128("-170141183460469231731"), 2}, 18, &out));
    EXPECT_EQ(i128_str(out), "-1701411834604692317310000000000000000");
}

TEST(DecimalFormat, ZeroAtSeveralScales) {
    EXPECT_EQ(ledger::format_units(0, 0), "0");
    EXPECT_EQ(ledger::format_units(0, 1), "0.0");
    EXPECT_EQ(ledger::format_units(0, 2), "0.00");
    EXPECT_EQ(ledger::format_units(0, 18), "0.000000000000000000");
}

TEST(DecimalFormat, PositiveAndNegative) {
    EXPECT_EQ(ledger::format_units(123, 0), "123");
    EXPECT_EQ(ledger::format_units(-123, 0), "-123");
    EXPECT_EQ(ledger::format_units(-1250, 2), "-12.50");
    EXPECT_EQ(ledger::format_units(1250, 2), "12.50");
    EXPECT_EQ(ledger::format_units(5, 3), "0.005");
    EXPECT_EQ(ledger::format_units(-5, 3), "-0.005");
    EXPECT_EQ(ledger::format_units(-50, 2), "-0.50");
    EXPECT_EQ(ledger::format_units(100, 2), "1.00");
    EXPECT_EQ(ledger::format_units(1, 18), "0.000000000000000001");
    EXPECT_EQ(ledger::format_units(-1, 18), "-0.000000000000000001");
    EXPECT_EQ(ledger::format_units(i128("1000000000000000000"), 18), "1.000000000000000000");
}

TEST(DecimalFormat, ExtremeValues) {
    EXPECT_EQ(ledger::format_units(kInt128Max, 0), "170141183460469231731687303715884105727");
    EXPECT_EQ(ledger::format_units(kInt128Min, 0), "-170141183460469231731687303715884105728");
    EXPECT_EQ(ledger::format_units(kInt128Max, 18), "170141183460469231731.687303715884105727");
    EXPECT_EQ(ledger::format_units(kInt128Min, 18), "-170141183460469231731.687303715884105728");
}

// The formatter takes 19 digits at a time off magnitudes past 64 bits: zeros inside such a block and the
// values around 2^64 and 10^19 must come out whole.
TEST(DecimalFormat, AroundSixtyFourBits) {
    EXPECT_EQ(ledger::format_units(i128("18446744073709551615"), 0), "18446744073709551615");
    EXPECT_EQ(ledger::format_units(i128("18446744073709551616"), 0), "18446744073709551616");
    EXPECT_EQ(ledger::format_units(i128("-18446744073709551616"), 2), "-184467440737095516.16");
    EXPECT_EQ(ledger::format_units(i128("10000000000000000000"), 0), "10000000000000000000");
    EXPECT_EQ(ledger::format_units(i128("100000000000000000000000000000000000005"), 1),
              "10000000000000000000000000000000000000.5");
    EXPECT_EQ(ledger::format_units(i128("-100000000000000000000"), 18), "-100.000000000000000000");
}

TEST(DecimalFormat, AppendKeepsWhatIsThere) {
    std::string out = "x=";
    ledger::append_units(out, -705, 2);
    out += ';';
    ledger::append_units(out, 3, 0);
    EXPECT_EQ(out, "x=-7.05;3");
}

TEST(DecimalRoundTrip, CanonicalTextSurvivesParseAndFormat) {
    for (std::string_view text : {"0", "-1", "12.50", "-0.005", "0.000000000000000001", "99999999999.999999",
                                  "170141183460469231731687303715884105727",
                                  "-170141183460469231731.687303715884105728"}) {
        SCOPED_TRACE(std::string(text));
        Decimal d = must_parse(text);
        EXPECT_EQ(ledger::format_units(d.units, d.scale), text);
    }
}

TEST(DecimalRoundTrip, NonCanonicalTextNormalises) {
    Decimal d = must_parse("+007.50");
    EXPECT_EQ(ledger::format_units(d.units, d.scale), "7.50");
    d = must_parse("-0.00");
    EXPECT_EQ(ledger::format_units(d.units, d.scale), "0.00");  // no negative zero in the output
}

TEST(DecimalRoundTrip, RandomUnitsAndScales) {
    std::mt19937_64 rng(20241125);
    for (int i = 0; i < 5000; ++i) {
        int128 units = int128(uint128(rng()) << 64 | uint128(rng()));
        if (i % 3 == 1) units >>= int(rng() % 120);  // also small magnitudes
        if (i % 7 == 0) units = int128(int64_t(rng() % 2001) - 1000);
        int scale = int(rng() % 19);
        std::string text = ledger::format_units(units, scale);
        SCOPED_TRACE(text);
        Decimal back = must_parse(text);
        EXPECT_I128_EQ(back.units, units);
        EXPECT_EQ(back.scale, scale);
        // Rescaling to a larger scale and formatting there gives the same number with more zeros.
        int target = scale + int(rng() % (19 - scale));
        int128 rescaled = 0;
        if (ledger::rescale(back, target, &rescaled)) {
            EXPECT_EQ(ledger::format_units(rescaled, target),
                      text + (scale == 0 && target > 0 ? "." : "") + std::string(size_t(target - scale), '0'));
        }
    }
}

}  // namespace
