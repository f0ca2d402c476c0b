// The accounts reader's plain-row path (split_plain_row, plain_row.hpp) against the general CSV reader:
// a whole file read with fast_rows on must give what it gives with fast_rows off: the same accounts in
// the same order (ids, countries, balances at their own scale, lines), the same largest scale, the same
// bad rows with their lines and messages, and the same error when the file stops the run (a duplicate
// account, or a bad row under --on-bad-row fail). Files come from a generator of account rows and are
// then mutated byte by byte with the characters that matter to CSV and decimals.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ledger/accounts.hpp"
#include "ledger/errors.hpp"
#include "row_mutation.hpp"

namespace ledger {
namespace {

// Everything a read leaves behind, as text, so that a difference prints readably.
std::vector<std::string> read_all(const std::string& text, bool fast_rows, BadRowPolicy policy) {
    BadRowSink bad(policy);
    std::vector<std::string> out;
    try {
        const AccountTable table = read_accounts(text, "accounts.csv", bad, fast_rows);
        for (size_t i = 0; i < table.size(); ++i)
            out.push_back(table.ids[i] + "|" + table.countries[table.country[i]] + "|" +
                          format_units(table.opening(i).units, table.opening(i).scale) + "|" +
                          std::to_string(table.line[i]) + "|" + (table.find(table.ids[i]) == i ? "found" : "lost"));
        out.push_back("max_scale " + std::to_string(table.max_scale));
    } catch (const LedgerError& e) {
        out.push_back(std::string("error ") + e.what());
    }
    for (const BadRow& row : bad.rows())
        out.push_back("bad " + std::to_string(row.line) + "|" + row.error + "|" + std::string(row.raw));
    return out;
}

std::string random_row(std::mt19937_64& rng, bool integer_ids) {
    auto pick = [&](std::initializer_list<const char*> options) {
        return std::string(*(options.begin() + rng() % options.size()));
    };
    std::string id = integer_ids ? std::to_string(rng() % 60) : "AC-" + std::to_string(rng() % 60);
    if (rng() % 20 == 0) id = std::string(64 + rng() % 2, '7');  // at and past the 64-byte limit
    const std::string country = rng() % 20 == 0 ? std::string(64 + rng() % 2, 'C') : pick({"US", "DE", "FR", "A B", "x"});
    const std::string balance = pick({"0", "100", "-5", "+7", "12.50", "-0.001", "007", "1.", ".5", "", "1e3",
                                      "123456789012345678", "1234567890123456789", "-99999999999999999999.5",
                                      "0.000000000000000001", "0.0000000000000000001"});
    return id + "," + country + "," + balance;
}

// One byte replaced, inserted or deleted, with one of the characters CSV and decimals care about (NUL too).
std::string mutate(const std::string& row, std::mt19937_64& rng) {
    static const std::string kBytes = std::string(" \t\",\r\n0-9.+") + '\0';
    return ledger_test::mutate_one_byte(row, rng, kBytes);
}

void check_random_files(bool integer_ids, uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (int file = 0; file < 400; ++file) {
        std::string text = file % 50 == 0 ? "balance,accountNumber,country\n" : "accountNumber,country,balance\n";
        if (file % 50 == 1) text = "accountNumber,country,balance,note\n";  // a fourth column: general rows only
        const int rows = 1 + int(rng() % 30);
        for (int r = 0; r < rows; ++r) {
            std::string row = random_row(rng, integer_ids);
            if (file % 50 == 1) row += ",n";
            if (rng() % 4 == 0) row = mutate(row, rng);
            // Now and then leading zeros make the row long: it spans the splitter's 64-byte blocks, and
            // around 512 bytes it reaches the length past which the splitter declines.
            if (rng() % 10 == 0) row.insert(row.rfind(',') + 1, std::string(rng() % 600, '0'));
            text += row;
            if (r + 1 < rows || rng() % 3) text += rng() % 10 == 0 ? "\r\n" : "\n";
        }
        for (BadRowPolicy policy : {BadRowPolicy::skip, BadRowPolicy::fail})
            EXPECT_EQ(read_all(text, true, policy), read_all(text, false, policy)) << text;
    }
}

TEST(AccountsFastRows, SameAsGeneralReaderWithIntegerIds) { check_random_files(true, 11); }

TEST(AccountsFastRows, SameAsGeneralReaderWithStringIds) { check_random_files(false, 12); }

// Rows the general reader takes between plain ones (a quoted field spanning lines, a blank line, a bad
// row) must leave the plain rows after them on their right lines.
TEST(AccountsFastRows, LinesStayRightAroundRowsTheGeneralReaderTakes) {
    const std::string text =
        "accountNumber,country,balance\n"
        "1,US,5\n"
        "\"2\",\"U\nS\",6\n"
        "3,US,7\n"
        "\n"
        "4,US,x\n"
        "5,US,8\n";
    BadRowSink bad(BadRowPolicy::skip);
    const AccountTable table = read_accounts(text, "accounts.csv", bad);
    ASSERT_EQ(table.size(), 4u);
    EXPECT_EQ(table.line[0], 2u);
    EXPECT_EQ(table.line[1], 3u);
    EXPECT_EQ(table.line[2], 5u);
    EXPECT_EQ(table.line[3], 8u);
    ASSERT_EQ(bad.rows().size(), 1u);
    EXPECT_EQ(bad.rows()[0].line, 7u);
    EXPECT_EQ(read_all(text, true, BadRowPolicy::skip), read_all(text, false, BadRowPolicy::skip));
}

}  // namespace
}  // namespace ledger
