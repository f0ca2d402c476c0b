// Under --on-bad-row fail, the first problem in the accounts file is the one reported, whatever its kind:
// a duplicate account on an earlier line wins over a malformed row on a later one, and the other way
// round. A user fixing the file top to bottom should be told about the problems in that order.
#include <gtest/gtest.h>

#include "ledger/accounts.hpp"
#include "ledger/errors.hpp"

namespace ledger {
namespace {

std::string first_error(const std::string& text) {
    BadRowSink bad(BadRowPolicy::fail);
    try {
        read_accounts(text, "accounts.csv", bad);
    } catch (const LedgerError& e) {
        return e.what();
    }
    return "";
}

TEST(AccountsOrder, DuplicateBeforeBadRowIsReportedFirst) {
    const std::string message = first_error("accountNumber,country,balance\na,US,1\na,US,2\nb,US,x\n");
    EXPECT_EQ(message, "accounts.csv:3: duplicate account 'a', first defined at line 2");
}

TEST(AccountsOrder, BadRowBeforeDuplicateIsReportedFirst) {
    const std::string message = first_error("accountNumber,country,balance\na,US,1\nb,US,x\na,US,2\n");
    EXPECT_EQ(message, "accounts.csv:3: balance 'x': not a decimal number; expected digits with an optional sign and '.' "
                       "like -1234.50 (b,US,x)");
}

TEST(AccountsOrder, DuplicateIsAnErrorEvenWhenSkipping) {
    BadRowSink bad(BadRowPolicy::skip);
    EXPECT_THROW(read_accounts("accountNumber,country,balance\nb,US,x\na,US,1\na,US,2\n", "accounts.csv", bad),
                 LedgerError);
    EXPECT_EQ(bad.rows().size(), 1u);
}

}  // namespace
}  // namespace ledger
