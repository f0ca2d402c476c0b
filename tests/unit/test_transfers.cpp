// Reading the two input files into records (accounts.hpp, transfers.hpp, bad_rows.hpp). Checks the
// spec's input rules where they are decided:
//  - accounts: columns by name, ids compared exactly (`007` != `7`), a duplicate account is an error
//    naming both lines whatever the bad-row policy, empty id/country, a 65-byte id, a bad balance and a
//    wrong field count are bad rows: quarantined under `skip`, a `file:line: ...` LedgerError under
//    `fail`; bad rows do not count towards the output scale;
//  - transactions: records carry account indices, exact amounts at their own scale, the UTC instant and
//    the input position (file index + byte offset) that orders equal instants; the static rejection
//    reasons follow the spec's precedence (unknown_account, invalid_amount, same_account,
//    cross_country); reading a file in line-aligned parts gives what reading it whole gives;
//  - rescale_transfers reports overflow with the offending row's position;
//  - fields_of_row gives back the values as they appeared, for the rejected file.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core_pipeline.hpp"
#include "ledger/accounts.hpp"
#include "ledger/bad_rows.hpp"
#include "ledger/errors.hpp"
#include "ledger/records.hpp"
#include "ledger/transfers.hpp"
#include "ledger/wide_amounts.hpp"

namespace {

using ledger::AccountTable;
using ledger::BadRowPolicy;
using ledger::BadRowSink;
using ledger::kUnknownAccount;
using ledger::LedgerError;
using ledger::Reason;
using ledger::Transfer;
using ledger_test::i128_str;

constexpr int64_t k2024 = 1704067200;  // 2024-01-01T00:00:00Z

bool mentions_number(const std::string& text, int number) {
    return std::regex_search(text, std::regex("(^|[^0-9])" + std::to_string(number) + "([^0-9]|$)"));
}

// Runs `body` and returns the LedgerError it throws (fails the test if it throws none).
template <typename F>
LedgerError expect_ledger_error(F body) {
    try {
        body();
    } catch (const LedgerError& e) {
        return e;
    }
    ADD_FAILURE() << "no LedgerError thrown";
    return LedgerError(ledger::ExitCode::ok, "");
}

// --- accounts ---

TEST(ReadAccounts, ColumnsByNameAndExactIds) {
    BadRowSink bad(BadRowPolicy::fail);
    AccountTable t = ledger::read_accounts(
        "country,extra,balance,accountNumber\nUS,x,10.5,007\r\nDE,y,3,7\n\n US , z , -2.125 , abc \n", "accounts.csv",
        bad);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t.ids, (std::vector<std::string>{"007", "7", "abc"}));
    EXPECT_EQ(t.countries, (std::vector<std::string>{"US", "DE"}));
    EXPECT_EQ(t.country, (std::vector<uint32_t>{0, 1, 0}));
    EXPECT_EQ(t.line, (std::vector<uint64_t>{2, 3, 5}));
    EXPECT_EQ(i128_str(t.opening(0).units), "105");
    EXPECT_EQ(t.opening(0).scale, 1);
    EXPECT_EQ(i128_str(t.opening(1).units), "3");
    EXPECT_EQ(t.opening(1).scale, 0);
    EXPECT_EQ(i128_str(t.opening(2).units), "-2125");
    EXPECT_EQ(t.opening(2).scale, 3);
    EXPECT_EQ(t.max_scale, 3);
    EXPECT_EQ(t.find("007"), std::optional<uint32_t>(0));
    EXPECT_EQ(t.find("7"), std::optional<uint32_t>(1));
    EXPECT_EQ(t.find("abc"), std::optional<uint32_t>(2));
    EXPECT_EQ(t.find("07"), std::nullopt);
    EXPECT_EQ(t.find("ABC"), std::nullopt);
    EXPECT_EQ(t.find(""), std::nullopt);
    EXPECT_TRUE(bad.rows().empty());
}

TEST(ReadAccounts, QuotedIdsKeepTheirContent) {
    BadRowSink bad(BadRowPolicy::fail);
    AccountTable t = ledger::read_accounts(
        "accountNumber,country,balance\n\"a,b\",\"U\"\"S\",1\n\"multi\nline\",US,2\n", "accounts.csv", bad);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t.ids[0], "a,b");
    EXPECT_EQ(t.ids[1], "multi\nline");
    EXPECT_EQ(t.countries[0], "U\"S");
    EXPECT_EQ(t.line, (std::vector<uint64_t>{2, 3}));
    EXPECT_EQ(t.find("a,b"), std::optional<uint32_t>(0));
}

TEST(ReadAccounts, DuplicateAccountNamesBothLinesUnderEitherPolicy) {
    const std::string text = "accountNumber,country,balance\nalice,US,1\nbob,US,2\n\nalice,DE,3\ncarol,US,4\n";
    for (BadRowPolicy policy : {BadRowPolicy::fail, BadRowPolicy::skip}) {
        BadRowSink bad(policy);
        LedgerError e = expect_ledger_error([&] { ledger::read_accounts(text, "accounts.csv", bad); });
        std::string what = e.what();
        EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
        EXPECT_NE(what.find("accounts.csv"), std::string::npos) << what;
        EXPECT_TRUE(mentions_number(what, 2)) << what;
        EXPECT_TRUE(mentions_number(what, 5)) << what;
        EXPECT_NE(what.find("alice"), std::string::npos) << what;
    }
}

// Integer ids are indexed by number (the fast table) and string ids by hash; both report the earliest
// repeat in file order with both lines, and a duplicate before a bad row wins under fail, as it would in a
// row-by-row check.
TEST(ReadAccounts, DuplicateFoundInFileOrderByEitherIndex) {
    const std::vector<std::pair<std::string, std::string>> files = {
        {"accountNumber,country,balance\n10,US,1\n11,US,2\n12,US,3\n11,DE,3\n10,US,4\n", "'11'"},
        {"accountNumber,country,balance\nx10,US,1\nx11,US,2\nx12,US,3\nx11,DE,3\nx10,US,4\n", "'x11'"},
        {"accountNumber,country,balance\n10,US,1\n11,US,2\n11,US,3\n12,US,oops\n", "'11'"},
        {"accountNumber,country,balance\nx10,US,1\nx11,US,2\nx11,US,3\nx12,US,oops\n", "'x11'"},
    };
    for (const auto& file : files) {
        const std::string& text = file.first;  // not a structured binding: clang 14 cannot capture one
        const std::string& id = file.second;
        BadRowSink bad(BadRowPolicy::fail);
        LedgerError e = expect_ledger_error([&] { ledger::read_accounts(text, "accounts.csv", bad); });
        const std::string what = e.what();
        EXPECT_NE(what.find("duplicate account " + id), std::string::npos) << what;
        EXPECT_TRUE(mentions_number(what, 3)) << what;
    }
    const std::string numeric = "accountNumber,country,balance\n10,US,1\n11,US,2\n";
    BadRowSink bad(BadRowPolicy::fail);
    EXPECT_FALSE(ledger::read_accounts(numeric, "accounts.csv", bad).slot_by_number.empty());
}

// A bad row before any duplicate is still the error under fail.
TEST(ReadAccounts, BadRowBeforeADuplicateWinsUnderFail) {
    const std::string text = "accountNumber,country,balance\n10,US,1\n11,US,oops\n10,US,3\n";
    BadRowSink bad(BadRowPolicy::fail);
    LedgerError e = expect_ledger_error([&] { ledger::read_accounts(text, "accounts.csv", bad); });
    EXPECT_NE(std::string(e.what()).find("accounts.csv:3"), std::string::npos) << e.what();
}

struct BadAccountCase {
    std::string row;
    const char* why;
};

TEST(ReadAccounts, BadRowsAreQuarantinedUnderSkip) {
    const std::vector<BadAccountCase> cases = {
        {",US,1", "empty id"},
        {"x,,1", "empty country"},
        {std::string(65, 'i') + ",US,1", "65-byte id"},
        {"x,US,abc", "bad balance"},
        {"x,US,5.", "balance 5."},
        {"x,US,.5", "balance .5"},
        {"x,US,1e5", "balance 1e5"},
        {"x,US,1.0000000000000000001", "19 fraction digits"},
        {"x,US", "too few fields"},
        {"x,US,1,extra", "too many fields"},
        {"x,US,1 000", "space inside balance"},
        {"x,US,\"1\"\"", "unterminated quote"},
    };
    for (const BadAccountCase& c : cases) {
        SCOPED_TRACE(c.why);
        std::string text = "accountNumber,country,balance\ngood,US,1.25\n" + c.row + "\nlast,DE,2\n";
        BadRowSink bad(BadRowPolicy::skip);
        AccountTable t = ledger::read_accounts(text, "accounts.csv", bad);
        bool unterminated = std::string(c.why) == "unterminated quote";
        if (!unterminated) {
            EXPECT_EQ(t.ids, (std::vector<std::string>{"good", "last"}));
            EXPECT_EQ(t.countries, (std::vector<std::string>{"US", "DE"}));
        } else {
            EXPECT_EQ(t.ids, (std::vector<std::string>{"good"}));
        }
        EXPECT_EQ(t.max_scale, 2);  // the 19-digit bad row does not count
        ASSERT_EQ(bad.rows().size(), 1u);
        const ledger::BadRow& b = bad.rows()[0];
        EXPECT_EQ(b.line, 3u);
        EXPECT_EQ(b.file, "accounts.csv");
        EXPECT_EQ(b.file_index, 0u);
        EXPECT_NE(b.error, "");
        if (!unterminated) {
            EXPECT_EQ(b.raw, c.row);
        }
    }
}

TEST(ReadAccounts, BadRowFailsWithFileLineMessage) {
    const std::vector<BadAccountCase> cases = {
        {",US,1", "empty id"},
        {std::string(65, 'i') + ",US,1", "65-byte id"},
        {"x,US,12.5.1", "bad balance"},
        {"x,US", "too few fields"},
        {"x,US,1,extra", "too many fields"},
    };
    for (const BadAccountCase& c : cases) {
        SCOPED_TRACE(c.why);
        std::string text = "accountNumber,country,balance\n\ngood,US,1\n" + c.row + "\n";
        BadRowSink bad(BadRowPolicy::fail);
        LedgerError e = expect_ledger_error([&] { ledger::read_accounts(text, "in/accounts.csv", bad); });
        std::string what = e.what();
        EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
        EXPECT_EQ(what.rfind("in/accounts.csv:4: ", 0), 0u) << what;
        EXPECT_NE(what.find(c.row.substr(0, 20)), std::string::npos) << what;  // the offending text
    }
}

TEST(ReadAccounts, SixtyFourByteIdIsFine) {
    BadRowSink bad(BadRowPolicy::fail);
    std::string id(64, 'i');
    AccountTable t = ledger::read_accounts("accountNumber,country,balance\n" + id + ",US,1\n", "a.csv", bad);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t.ids[0], id);
}

TEST(ReadAccounts, MissingColumnNamesColumnAndFile) {
    BadRowSink bad(BadRowPolicy::skip);
    LedgerError e = expect_ledger_error(
        [&] { ledger::read_accounts("accountNumber,country,amount\na,US,1\n", "acc.csv", bad); });
    std::string what = e.what();
    EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
    EXPECT_NE(what.find("balance"), std::string::npos) << what;
    EXPECT_NE(what.find("acc.csv"), std::string::npos) << what;
}

TEST(CheckId, Bounds) {
    EXPECT_NE(ledger::check_id(""), "");
    EXPECT_EQ(ledger::check_id("a"), "");
    EXPECT_EQ(ledger::check_id(std::string(64, 'x')), "");
    EXPECT_NE(ledger::check_id(std::string(65, 'x')), "");
    EXPECT_NE(ledger::check_id(std::string_view("a\0b", 3)), "");
}

TEST(BadRows, MessageFormatAndPolicies) {
    std::string m = ledger::bad_row_message("t.csv", 7, "bad amount", "x,y,z");
    EXPECT_EQ(m.rfind("t.csv:7: bad amount", 0), 0u) << m;
    EXPECT_NE(m.find("(x,y,z)"), std::string::npos) << m;

    BadRowSink skip(BadRowPolicy::skip);
    skip.add(3, "t.csv", 7, "bad amount", "x,y,z");
    ASSERT_EQ(skip.rows().size(), 1u);
    EXPECT_EQ(skip.rows()[0].file_index, 3u);
    EXPECT_EQ(skip.rows()[0].line, 7u);
    EXPECT_EQ(skip.rows()[0].file, "t.csv");
    EXPECT_EQ(skip.rows()[0].error, "bad amount");
    EXPECT_EQ(skip.rows()[0].raw, "x,y,z");

    BadRowSink fail(BadRowPolicy::fail);
    LedgerError e = expect_ledger_error([&] { fail.add(3, "t.csv", 7, "bad amount", "x,y,z"); });
    EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
    EXPECT_EQ(std::string(e.what()), m);
}

// --- transactions ---

const char* kAccounts = "accountNumber,country,balance\nA,US,100\nB,US,0\nC,DE,50\n";  // A=0 B=1 C=2

AccountTable three_accounts() {
    BadRowSink bad(BadRowPolicy::fail);
    return ledger::read_accounts(kAccounts, "accounts.csv", bad);
}

ledger::TransferText file_of(const std::string& text, uint32_t index = 1) {
    ledger::TransferText f;
    f.text = text;
    f.file_name = "tx.csv";
    f.file_index = index;
    return f;
}

uint64_t offset_of(const std::string& text, std::string_view row) {
    size_t at = text.find(row);
    EXPECT_NE(at, std::string::npos) << row;
    return at;
}

// Amounts wider than 63 bits are read exactly, by either row path, and kept beside their records: with
// the sender and reason of their rows, in input order, and only those.
TEST(ReadTransfers, WideAmountsAreKeptBesideTheirRecords) {
    AccountTable accounts = three_accounts();
    const std::string text =
        "date,fromAccountNumber,transferAmount,toAccountNumber\n"
        "2024-01-01,A,9223372036854775807,B\n"          // 2^63 - 1: the widest in a record (19 digits)
        "2024-01-02,A,9223372036854775808,B\n"          // 2^63
        "2024-01-03,B,-9223372036854775808,A\n"         // -2^63, the wide mark: beside the record
        "2024-01-04,ghost,170141183460469231731687303715884105727,A\n"  // 2^127 - 1, unknown account
        "2024-01-05,A,1.000000000000000001,B\n"         // 19 digits, scale 18
        "2024-01-06,C,12345678901234567890.5,A\n";      // cross-country
    for (const bool fast : {true, false}) {
        ledger::TransferText file = file_of(text);
        file.fast_rows = fast;
        BadRowSink bad(BadRowPolicy::fail);
        std::vector<Transfer> out;
        std::vector<ledger::WideAmount> wide;
        ledger::read_transfer_file(file, accounts, bad, out, wide);
        ASSERT_EQ(out.size(), 6u);
        const char* want[] = {"9223372036854775807", "9223372036854775808", "-9223372036854775808",
                              "170141183460469231731687303715884105727", "1000000000000000001", "123456789012345678905"};
        for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(i128_str(ledger::amount_of(out[i], wide)), want[i]) << i;
        EXPECT_FALSE(out[0].wide());
        EXPECT_FALSE(out[4].wide());
        ASSERT_EQ(wide.size(), 4u) << (fast ? "fast" : "general");
        const size_t wide_rows[] = {1, 2, 3, 5};
        for (size_t k = 0; k < wide.size(); ++k) {
            const Transfer& t = out[wide_rows[k]];
            EXPECT_TRUE(t.wide());
            EXPECT_EQ(wide[k].position, t.position());
            EXPECT_EQ(wide[k].from, t.from);
            EXPECT_EQ(wide[k].reason, t.reason());
            EXPECT_EQ(int(wide[k].scale), t.amount_scale());
        }
        EXPECT_EQ(out[2].reason(), Reason::invalid_amount);
        EXPECT_EQ(out[3].reason(), Reason::unknown_account);
        EXPECT_EQ(out[5].reason(), Reason::cross_country);
    }
}

TEST(ReadTransfers, RowsBecomeRecords) {
    AccountTable accounts = three_accounts();
    const std::string text =
        "date,fromAccountNumber,transferAmount,toAccountNumber\n"
        "2024-01-01T00:00:00.25Z,A,10.5,B\n"
        "2024-01-02,C,7,A\n"
        "2024-01-03,ghost,1.125,A\n"
        "2024-01-04,A,0,B\n"
        "2024-01-05,B,5,B\n"
        "2024-01-06T01:00:00+01:00,B,-5,ghost\n";
    BadRowSink bad(BadRowPolicy::fail);
    std::vector<Transfer> out;
    std::vector<ledger::WideAmount> wide;
    int scale = ledger::read_transfer_file(file_of(text), accounts, bad, out, wide);
    EXPECT_EQ(scale, 3);  // the unknown-account row counts: rejected rows are not bad rows
    ASSERT_EQ(out.size(), 6u);

    EXPECT_EQ(out[0].from, 0u);
    EXPECT_EQ(out[0].to, 1u);
    EXPECT_EQ(i128_str(ledger::amount_of(out[0], wide)), "105");
    EXPECT_EQ(out[0].amount_scale(), 1);
    EXPECT_EQ(out[0].instant().seconds, k2024);
    EXPECT_EQ(out[0].instant().nanos, 250000000);
    EXPECT_EQ(out[0].reason(), Reason::none);
    EXPECT_EQ(out[0].position(), ledger::make_position(1, offset_of(text, "2024-01-01T00")));

    EXPECT_EQ(out[1].from, 2u);
    EXPECT_EQ(out[1].to, 0u);
    EXPECT_EQ(i128_str(ledger::amount_of(out[1], wide)), "7");
    EXPECT_EQ(out[1].amount_scale(), 0);
    EXPECT_EQ(out[1].instant().seconds, k2024 + 86400);
    EXPECT_EQ(out[1].reason(), Reason::cross_country);

    EXPECT_EQ(out[2].from, kUnknownAccount);
    EXPECT_EQ(out[2].to, 0u);
    EXPECT_EQ(i128_str(ledger::amount_of(out[2], wide)), "1125");
    EXPECT_EQ(out[2].amount_scale(), 3);
    EXPECT_EQ(out[2].reason(), Reason::unknown_account);

    EXPECT_EQ(out[3].reason(), Reason::invalid_amount);
    EXPECT_EQ(out[4].reason(), Reason::same_account);
    EXPECT_EQ(out[4].from, 1u);
    EXPECT_EQ(out[4].to, 1u);

    EXPECT_EQ(out[5].to, kUnknownAccount);
    EXPECT_EQ(out[5].reason(), Reason::unknown_account);  // before invalid_amount
    EXPECT_EQ(out[5].instant().seconds, k2024 + 5 * 86400);
    EXPECT_EQ(i128_str(ledger::amount_of(out[5], wide)), "-5");
    EXPECT_EQ(out[5].position(), ledger::make_position(1, offset_of(text, "2024-01-06")));

    for (size_t i = 1; i < out.size(); ++i) EXPECT_LT(out[i - 1].position(), out[i].position());
    EXPECT_TRUE(bad.rows().empty());
}

TEST(ReadTransfers, ReorderedColumnsQuotesAndSpaces) {
    AccountTable accounts = three_accounts();
    const std::string text =
        "\xEF\xBB\xBF" "memo,toAccountNumber,date,transferAmount,fromAccountNumber\r\n"
        "\"x,y\", B ,2024-01-01 10:00, 3.50 ,\"A\"\r\n"
        "\r\n"
        "plain,\"C\",2024-01-01,+1,C\r\n";
    BadRowSink bad(BadRowPolicy::fail);
    std::vector<Transfer> out;
    std::vector<ledger::WideAmount> wide;
    int scale = ledger::read_transfer_file(file_of(text, 0), accounts, bad, out, wide);
    EXPECT_EQ(scale, 2);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].from, 0u);
    EXPECT_EQ(out[0].to, 1u);
    EXPECT_EQ(i128_str(ledger::amount_of(out[0], wide)), "350");
    EXPECT_EQ(out[0].instant().seconds, k2024 + 36000);
    EXPECT_EQ(out[0].reason(), Reason::none);
    EXPECT_EQ(out[0].position(), ledger::make_position(0, offset_of(text, "\"x,y\"")));
    EXPECT_EQ(out[1].reason(), Reason::same_account);
    EXPECT_EQ(i128_str(ledger::amount_of(out[1], wide)), "1");
    EXPECT_EQ(out[1].position(), ledger::make_position(0, offset_of(text, "plain")));
}

const std::string kBadTransfers =
    "date,fromAccountNumber,transferAmount,toAccountNumber\n"  // 1
    "2024-02-30,A,1,B\n"                                      // 2 impossible date
    "2024-01-01,A,5.,B\n"                                     // 3 amount 5.
    "2024-01-01,A,1.1234567,B,extra\n"                        // 4 too many fields
    "2024-01-01,,1,B\n"                                       // 5 empty id
    "2024-01-01,A,2.5,B\n"                                    // 6 good
    "2024-01-01Z,A,1,B\n"                                     // 7 offset on date-only
    "2024-01-01,A,.5,B\n"                                     // 8 amount .5
    "\n"                                                      // 9 blank
    "2024-01-01,A,1e5,B\n"                                    // 10 exponent
    "2024-01-01T24:00,A,1,B\n"                                // 11 hour 24
    "2024-01-01,A,1\n"                                        // 12 too few fields
    "2024-01-01,A,1,\n"                                       // 13 empty to
    "2024-01-02,B,1,A\n";                                     // 14 good

TEST(ReadTransfers, BadRowsSkipped) {
    AccountTable accounts = three_accounts();
    BadRowSink bad(BadRowPolicy::skip);
    std::vector<Transfer> out;
    std::vector<ledger::WideAmount> wide;
    int scale = ledger::read_transfer_file(file_of(kBadTransfers), accounts, bad, out, wide);
    EXPECT_EQ(scale, 1);  // the 7-digit amount was on a bad row
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(i128_str(ledger::amount_of(out[0], wide)), "25");
    EXPECT_EQ(out[1].from, 1u);
    std::vector<uint64_t> lines;
    for (const ledger::BadRow& b : bad.rows()) {
        lines.push_back(b.line);
        EXPECT_EQ(b.file, "tx.csv");
        EXPECT_EQ(b.file_index, 2u);  // transactions file 1 is input file 2
        EXPECT_NE(b.error, "");
        EXPECT_NE(kBadTransfers.find("\n" + b.raw + "\n"), std::string::npos) << b.raw;
    }
    EXPECT_EQ(lines, (std::vector<uint64_t>{2, 3, 4, 5, 7, 8, 10, 11, 12, 13}));
}

TEST(ReadTransfers, FirstBadRowFailsWithFileLineMessage) {
    AccountTable accounts = three_accounts();
    BadRowSink bad(BadRowPolicy::fail);
    std::vector<Transfer> out;
    std::vector<ledger::WideAmount> wide;
    LedgerError e = expect_ledger_error([&] { ledger::read_transfer_file(file_of(kBadTransfers), accounts, bad, out, wide); });
    std::string what = e.what();
    EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
    EXPECT_EQ(what.rfind("tx.csv:2: ", 0), 0u) << what;
    EXPECT_NE(what.find("2024-02-30"), std::string::npos) << what;
}

TEST(ReadTransfers, MissingColumnNamesColumnAndFile) {
    AccountTable accounts = three_accounts();
    BadRowSink bad(BadRowPolicy::skip);
    std::vector<Transfer> out;
    std::vector<ledger::WideAmount> wide;
    std::string text = "date,fromAccountNumber,amount,toAccountNumber\n2024-01-01,A,1,B\n";
    LedgerError e = expect_ledger_error([&] { ledger::read_transfer_file(file_of(text), accounts, bad, out, wide); });
    std::string what = e.what();
    EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
    EXPECT_NE(what.find("transferAmount"), std::string::npos) << what;
    EXPECT_NE(what.find("tx.csv"), std::string::npos) << what;
}

TEST(ReadTransfers, PartsGiveWhatTheWholeFileGives) {
    AccountTable accounts = three_accounts();
    const std::string& text = kBadTransfers;
    BadRowSink whole_bad(BadRowPolicy::skip);
    std::vector<Transfer> whole;
    std::vector<ledger::WideAmount> whole_wide;
    int whole_scale = ledger::read_transfer_file(file_of(text), accounts, whole_bad, whole, whole_wide);

    // Header resolved separately, then the body in two line-aligned parts (split after line 6).
    size_t header_end = text.find('\n') + 1;
    size_t split = offset_of(text, "2024-01-01Z");
    ledger::CsvReader reader(text);
    ledger::CsvRow header_row;
    ASSERT_TRUE(reader.next(header_row));
    ledger::HeaderMap header = ledger::resolve_header(header_row, ledger::kTransferColumns, "tx.csv");

    BadRowSink parts_bad(BadRowPolicy::skip);
    std::vector<Transfer> parts;
    std::vector<ledger::WideAmount> parts_wide;
    ledger::TransferText first = file_of(text);
    first.text = std::string_view(text).substr(header_end, split - header_end);
    first.first_line = 2;
    first.base_offset = header_end;
    ledger::TransferText second = file_of(text);
    second.text = std::string_view(text).substr(split);
    second.first_line = 7;
    second.base_offset = split;
    ledger::RowsRead r1 = ledger::read_transfer_rows(first, header, accounts, parts_bad, parts, parts_wide);
    ledger::RowsRead r2 = ledger::read_transfer_rows(second, header, accounts, parts_bad, parts, parts_wide);

    EXPECT_EQ(std::max(r1.max_scale, r2.max_scale), whole_scale);
    EXPECT_EQ(r1.first_row_offset, header_end);
    EXPECT_EQ(r1.first_row_line, 2u);
    EXPECT_EQ(r2.first_row_offset, split);
    EXPECT_EQ(r2.first_row_line, 7u);
    ASSERT_EQ(parts.size(), whole.size());
    for (size_t i = 0; i < whole.size(); ++i) {
        EXPECT_EQ(parts[i].position(), whole[i].position());
        EXPECT_EQ(parts[i].instant().seconds, whole[i].instant().seconds);
        EXPECT_EQ(i128_str(ledger::amount_of(parts[i], parts_wide)), i128_str(ledger::amount_of(whole[i], whole_wide)));
        EXPECT_EQ(parts[i].from, whole[i].from);
        EXPECT_EQ(parts[i].to, whole[i].to);
    }
    ASSERT_EQ(parts_bad.rows().size(), whole_bad.rows().size());
    for (size_t i = 0; i < whole_bad.rows().size(); ++i) {
        EXPECT_EQ(parts_bad.rows()[i].line, whole_bad.rows()[i].line);
        EXPECT_EQ(parts_bad.rows()[i].raw, whole_bad.rows()[i].raw);
    }
}

TEST(ReadTransfers, MultiLineQuotedRowKeepsLineNumbersRight) {
    AccountTable accounts = three_accounts();
    const std::string text =
        "date,fromAccountNumber,transferAmount,toAccountNumber,memo\n"
        "2024-01-01,A,1,B,\"two\nlines\"\n"
        "2024-01-01,A,oops,B,x\n";
    BadRowSink bad(BadRowPolicy::skip);
    std::vector<Transfer> out;
    std::vector<ledger::WideAmount> wide;
    ledger::read_transfer_file(file_of(text), accounts, bad, out, wide);
    EXPECT_EQ(out.size(), 1u);
    ASSERT_EQ(bad.rows().size(), 1u);
    EXPECT_EQ(bad.rows()[0].line, 4u);
}

// --- static reasons ---

TEST(StaticReason, SpecPrecedence) {
    AccountTable t = three_accounts();  // A=0 US, B=1 US, C=2 DE
    const uint32_t A = 0, B = 1, C = 2, X = kUnknownAccount;
    // unknown_account beats everything
    EXPECT_EQ(ledger::static_reason(X, A, 5, t), Reason::unknown_account);
    EXPECT_EQ(ledger::static_reason(A, X, 5, t), Reason::unknown_account);
    EXPECT_EQ(ledger::static_reason(X, X, -5, t), Reason::unknown_account);
    EXPECT_EQ(ledger::static_reason(A, X, 0, t), Reason::unknown_account);
    // invalid_amount beats same_account and cross_country
    EXPECT_EQ(ledger::static_reason(A, A, 0, t), Reason::invalid_amount);
    EXPECT_EQ(ledger::static_reason(A, C, -1, t), Reason::invalid_amount);
    EXPECT_EQ(ledger::static_reason(A, B, 0, t), Reason::invalid_amount);
    // same_account (countries trivially equal)
    EXPECT_EQ(ledger::static_reason(A, A, 5, t), Reason::same_account);
    EXPECT_EQ(ledger::static_reason(C, C, 1, t), Reason::same_account);
    // cross_country, both directions
    EXPECT_EQ(ledger::static_reason(A, C, 5, t), Reason::cross_country);
    EXPECT_EQ(ledger::static_reason(C, B, 5, t), Reason::cross_country);
    // fine (insufficient_funds is replay's business)
    EXPECT_EQ(ledger::static_reason(A, B, 1, t), Reason::none);
    EXPECT_EQ(ledger::static_reason(B, A, 1000000, t), Reason::none);
}

TEST(ReasonNames, AsTheSpecSpellsThem) {
    EXPECT_EQ(ledger::reason_name(Reason::unknown_account), "unknown_account");
    EXPECT_EQ(ledger::reason_name(Reason::invalid_amount), "invalid_amount");
    EXPECT_EQ(ledger::reason_name(Reason::same_account), "same_account");
    EXPECT_EQ(ledger::reason_name(Reason::cross_country), "cross_country");
    EXPECT_EQ(ledger::reason_name(Reason::insufficient_funds), "insufficient_funds");
}

// --- rescale ---

// A record with `amount` at `scale`, the amount stored as the parser stores it (beside the record when wide).
Transfer transfer(ledger::int128 amount, int scale, uint64_t position, std::vector<ledger::WideAmount>& wide) {
    Transfer t{};
    t.order = ledger::OrderKey::make(ledger::Instant{0, 0}, position, scale, Reason::none);
    t.from = 0;
    t.to = 1;
    ledger::store_amount(t, amount, wide);
    return t;
}

TEST(RescaleTransfers, ToTheRunScale) {
    std::vector<ledger::WideAmount> wide;
    std::vector<Transfer> v = {transfer(105, 1, 1, wide), transfer(7, 0, 2, wide), transfer(1125, 3, 3, wide),
                               transfer(-5, 0, 4, wide)};
    ledger::rescale_transfers(v, wide, 3);
    EXPECT_EQ(i128_str(ledger::amount_of(v[0], wide)), "10500");
    EXPECT_EQ(i128_str(ledger::amount_of(v[1], wide)), "7000");
    EXPECT_EQ(i128_str(ledger::amount_of(v[2], wide)), "1125");
    EXPECT_EQ(i128_str(ledger::amount_of(v[3], wide)), "-5000");
    for (const Transfer& t : v) EXPECT_EQ(t.amount_scale(), 3);
    EXPECT_TRUE(wide.empty());
}

// Amounts around the 64-bit edge: those that fit stay in the record, the others are kept beside it, and
// rescaling moves an amount that outgrows its record there, keeping the wide amounts sorted by position.
TEST(RescaleTransfers, AmountsThatOutgrowTheirRecordMoveBesideIt) {
    using ledger_test::i128;
    std::vector<ledger::WideAmount> wide;
    std::vector<Transfer> v = {
        transfer(i128("922337203685477580"), 0, 10, wide),     // x 10 = 2^63 - 8: still fits
        transfer(i128("922337203685477581"), 0, 20, wide),     // x 10 > 2^63 - 1: outgrows its record
        transfer(i128("-922337203685477580"), 0, 30, wide),    // x 10 = -2^63 + 8: fits
        transfer(i128("-922337203685477581"), 0, 40, wide),    // outgrows
        transfer(i128("123456789012345678901234567"), 1, 5, wide),  // wide from the start, already at scale 1
        transfer(i128("-9223372036854775808"), 0, 50, wide),   // -2^63 is the wide mark itself: wide
        transfer(1, 0, 60, wide),
    };
    ASSERT_EQ(wide.size(), 2u);
    EXPECT_TRUE(v[4].wide() && v[5].wide() && !v[0].wide() && !v[1].wide());
    ledger::rescale_transfers(v, wide, 1);
    const char* want[] = {"9223372036854775800", "9223372036854775810", "-9223372036854775800",
                          "-9223372036854775810", "123456789012345678901234567", "-92233720368547758080", "10"};
    for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(i128_str(ledger::amount_of(v[i], wide)), want[i]) << i;
    EXPECT_FALSE(v[0].wide());
    EXPECT_TRUE(v[1].wide());
    EXPECT_FALSE(v[2].wide());
    EXPECT_TRUE(v[3].wide());
    ASSERT_EQ(wide.size(), 4u);
    for (size_t i = 1; i < wide.size(); ++i) EXPECT_LT(wide[i - 1].position, wide[i].position);
    for (const ledger::WideAmount& w : wide) EXPECT_EQ(w.scale, 1);
}

TEST(RescaleTransfers, OverflowNamesTheEarliestPosition) {
    const uint64_t bad_position = ledger::make_position(2, 4242);
    std::vector<ledger::WideAmount> wide;
    std::vector<Transfer> v = {transfer(1, 0, 1, wide),
                               transfer(ledger_test::i128("10000000000000000000000000000000000000"), 0, bad_position, wide),
                               transfer(3, 0, 3, wide)};
    try {
        ledger::rescale_transfers(v, wide, 2);
        FAIL() << "overflow not detected";
    } catch (const ledger::PositionedError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
        EXPECT_EQ(e.position(), bad_position);
    }
    // A wide amount and a record amount that both overflow: the earlier one in input order is named,
    // wherever it is kept.
    for (const bool wide_first : {true, false}) {
        std::vector<ledger::WideAmount> w;
        const uint64_t wide_at = wide_first ? 100 : 300, narrow_at = wide_first ? 300 : 100;
        std::vector<Transfer> two = {transfer(ledger_test::i128("9000000000000000000"), 0, narrow_at, w),
                                     transfer(ledger_test::i128("-10000000000000000000000000000000000000"), 0, wide_at, w)};
        try {
            ledger::rescale_transfers(two, w, 20);  // 9 x 10^18 x 10^20 > 2^127 as well
            FAIL() << "overflow not detected";
        } catch (const ledger::PositionedError& e) {
            EXPECT_EQ(e.position(), 100u) << (wide_first ? "wide first" : "record first");
        }
    }
}

// --- fields for the rejected file ---

TEST(FieldsOfRow, ValuesAsTheyAppearedTrimmedAndUnquoted) {
    std::string storage = "date,fromAccountNumber,transferAmount,toAccountNumber\n";
    ledger::CsvReader reader(storage);
    ledger::CsvRow row;
    ASSERT_TRUE(reader.next(row));
    ledger::HeaderMap header = ledger::resolve_header(row, ledger::kTransferColumns, "tx.csv");
    ledger::TransferFields f = ledger::fields_of_row(" 2024-01-01T01:00+01:00 , \"a,1\" ,007.50, \"say \"\"hi\"\"\"\r\nnext,row,1,2\n",
                              header);
    EXPECT_EQ(f.date, "2024-01-01T01:00+01:00");
    EXPECT_EQ(f.from, "a,1");
    EXPECT_EQ(f.amount, "007.50");
    EXPECT_EQ(f.to, "say \"hi\"");
}

TEST(FieldsOfRow, ReorderedHeaderWithExtraColumns) {
    std::string storage = "toAccountNumber,memo,transferAmount,date,fromAccountNumber\n";
    ledger::CsvReader reader(storage);
    ledger::CsvRow row;
    ASSERT_TRUE(reader.next(row));
    ledger::HeaderMap header = ledger::resolve_header(row, ledger::kTransferColumns, "tx.csv");
    ledger::TransferFields f = ledger::fields_of_row("B,\"multi\nline memo\",-3,2024-01-01,A", header);
    EXPECT_EQ(f.date, "2024-01-01");
    EXPECT_EQ(f.from, "A");
    EXPECT_EQ(f.amount, "-3");
    EXPECT_EQ(f.to, "B");
}

}  // namespace

namespace {

// --fixed-scale N: an amount with more than N fraction digits is a bad row, worded the same by the fast
// and the general row path (the fast path declines it), never rounded into the run; amounts with N or
// fewer are read as ever, and the scale read never exceeds N.
TEST(ReadTransfers, AmountsWithMoreFractionDigitsThanTheFixedScaleAreBadRows) {
    AccountTable accounts = three_accounts();
    const std::string text =
        "date,fromAccountNumber,transferAmount,toAccountNumber\n"
        "2024-01-01,A,1.5,B\n"
        "2024-01-02,A,1.505,B\n"      // three digits: bad under 2
        "2024-01-03,A,2.10,B\n"
        "2024-01-04,A,7.000,B\n"      // trailing zeros count: the text has three
        "2024-01-05,A,12,B\n";
    for (const bool fast : {true, false}) {
        ledger::TransferText file = file_of(text);
        file.fast_rows = fast;
        file.max_fraction_digits = 2;
        BadRowSink bad(BadRowPolicy::skip);
        std::vector<Transfer> out;
        std::vector<ledger::WideAmount> wide;
        EXPECT_EQ(ledger::read_transfer_file(file, accounts, bad, out, wide), 2) << fast;
        ASSERT_EQ(out.size(), 3u) << fast;
        ASSERT_EQ(bad.rows().size(), 2u) << fast;
        EXPECT_EQ(bad.rows()[0].line, 3u);
        EXPECT_EQ(bad.rows()[0].error, "transferAmount '1.505': 3 fraction digits where --fixed-scale allows 2 (never rounded)");
        EXPECT_EQ(bad.rows()[1].line, 5u);
        EXPECT_EQ(bad.rows()[1].raw, "2024-01-04,A,7.000,B");
    }
    // Under fail the first one stops the read with file:line.
    ledger::TransferText file = file_of(text);
    file.max_fraction_digits = 0;
    BadRowSink bad(BadRowPolicy::fail);
    std::vector<Transfer> out;
    std::vector<ledger::WideAmount> wide;
    try {
        ledger::read_transfer_file(file, accounts, bad, out, wide);
        FAIL() << "no error";
    } catch (const LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
        EXPECT_NE(std::string(e.what()).find("tx.csv:2: transferAmount '1.5': 1 fraction digit where --fixed-scale allows 0"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
