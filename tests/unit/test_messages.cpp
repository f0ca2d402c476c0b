// The words a user reads when a value is refused or a run ends. An amount or a date in another form
// (thousands separators, a day-first date) must be answered with the form expected and an example, not
// only "not a decimal number"; the message keeps the spec's `file:line: what (row)` shape and names the
// field and its value. The end-of-run line counts in the singular for one ("1 rank", "1 country").
#include <gtest/gtest.h>

#include <string>

#include "ledger/accounts.hpp"
#include "ledger/decimal.hpp"
#include "ledger/errors.hpp"
#include "ledger/instant.hpp"
#include "ledger/run_summary.hpp"
#include "ledger/transfers.hpp"

namespace ledger {
namespace {

std::string decimal_error(std::string_view text) {
    std::string error;
    EXPECT_FALSE(parse_decimal(text, &error).has_value()) << text;
    return error;
}

std::string instant_error(std::string_view text) {
    std::string error;
    EXPECT_FALSE(parse_instant(text, &error).has_value()) << text;
    return error;
}

TEST(Messages, AnAmountInAnotherFormSaysTheFormExpected) {
    const std::string form = "expected digits with an optional sign and '.' like -1234.50";
    EXPECT_EQ(decimal_error("1,234.50"), "not a decimal number; " + form);
    EXPECT_EQ(decimal_error("1e5"), "not a decimal number; " + form);
    EXPECT_EQ(decimal_error(".5"), "not a decimal number; " + form);
    EXPECT_EQ(decimal_error("5."), "no digits after the decimal point; " + form);
    EXPECT_EQ(decimal_error("1.0000000000000000001"), "more than 18 fraction digits");
    // Long values take the general parser; the words are the same.
    EXPECT_EQ(decimal_error("123456789012345678901,5"), "not a decimal number; " + form);
}

TEST(Messages, ADateInAnotherFormSaysTheFormExpected) {
    const std::string form = "expected ISO-8601 like 2024-03-01 or 2024-03-01T09:30:00Z";
    EXPECT_EQ(instant_error("03/01/2024"), "not a date; " + form);
    EXPECT_EQ(instant_error("2024-3-1"), "not a date; " + form);
    EXPECT_EQ(instant_error("2024-03-01_09:30"), "no T or space after the date; " + form);
    EXPECT_EQ(instant_error("2024-03-01T9:30"), "time is not HH:MM; " + form);
    EXPECT_EQ(instant_error("2024-03-01T09:30:5"), "seconds are not SS; " + form);
    EXPECT_EQ(instant_error("2024-03-01T09:30:00 UTC"), "unexpected text after the time; " + form);
    EXPECT_EQ(instant_error("2024-03-01Z"), "an offset needs a time as in 2024-03-01T09:30:00+01:00");
    EXPECT_EQ(instant_error("2024-03-01T09:30+0100"), "offset is not +HH:MM or -HH:MM as in 2024-03-01T09:30:00+01:00");
    // An impossible value in the right form says only what is wrong.
    EXPECT_EQ(instant_error("2024-02-30"), "day out of range");
}

TEST(Messages, ARowMessageNamesTheFieldAndItsValue) {
    BadRowSink bad(BadRowPolicy::fail);
    try {
        read_accounts("accountNumber,country,balance\n1,NL,\"1,234.50\"\n", "accounts.csv", bad);
        ADD_FAILURE() << "a balance with a thousands separator was read";
    } catch (const LedgerError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "accounts.csv:2: balance '1,234.50': not a decimal number; expected digits with an optional sign "
                  "and '.' like -1234.50 (1,NL,\"1,234.50\")");
    }
    EXPECT_EQ(field_problem("date", "01.03.2024", "not a date"), "date '01.03.2024': not a date");
    // A long value is shortened as the row is.
    EXPECT_EQ(field_problem("date", std::string(100, '9'), "x"),
              "date '" + std::string(40, '9') + "... (100 bytes)': x");
}

TEST(Messages, ATooLongRowSaysWhyItMayBeSo) {
    BadRowSink bad(BadRowPolicy::fail);
    try {
        read_accounts("accountNumber,country,balance\n1,NL,1,234.50\n", "accounts.csv", bad);
        ADD_FAILURE() << "a row of four fields was read against a header of three";
    } catch (const LedgerError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "accounts.csv:2: expected 3 fields, found 4; a value holding a comma must be in double quotes and an "
                  "amount takes no thousands separator (1,NL,1,234.50)");
    }
    BadRowSink skip(BadRowPolicy::skip);
    read_accounts("accountNumber,country,balance\n1,NL\n", "accounts.csv", skip);
    ASSERT_EQ(skip.rows().size(), 1u);
    EXPECT_EQ(skip.rows()[0].error, "expected 3 fields, found 2");  // one too few: no such hint
}

TEST(Messages, CountsAreSingularForOne) {
    EXPECT_EQ(counted(0, "rank", "ranks"), "0 ranks");
    EXPECT_EQ(counted(1, "rank", "ranks"), "1 rank");
    EXPECT_EQ(counted(2, "country", "countries"), "2 countries");
    RunSummary summary;
    summary.transfers = 1;
    summary.accepted = 1;
    summary.countries = 1;
    summary.bad_rows = 1;
    EXPECT_EQ(run_summary_line(summary, 1, 0.5, "out.csv"),
              "1 transfer (1 accepted, 0 rejected, 1 bad row) in 1 country on 1 rank in 0.500 s (2 transfers/s); "
              "conservation holds in every country; balances in out.csv");
    summary.transfers = 3;
    summary.rejected[1] = 2;
    summary.countries = 2;
    summary.bad_rows = 0;
    EXPECT_EQ(run_summary_line(summary, 2, 1.0, "-"),
              "3 transfers (1 accepted, 2 rejected, 0 bad rows) in 2 countries on 2 ranks in 1.000 s (3 transfers/s); "
              "conservation holds in every country; balances in stdout");
    EXPECT_NE(run_summary_line(summary, 2, 1.0, "a\nb.csv").find("balances in a\\x0ab.csv"), std::string::npos);
}

}  // namespace
}  // namespace ledger
