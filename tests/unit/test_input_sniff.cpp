// A file that is compressed, UTF-16 or separated by something other than commas used to fail as "missing
// required column" or "NUL byte", which sends a user looking for the wrong thing. These check that each
// is recognised from its header row, that the message says what to do, and that a header which is merely
// wrong (a misspelt column) is not mistaken for one of them. Then the same through read_accounts, as a
// user meets it: file and line, no header text after a binary one.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "ledger/accounts.hpp"
#include "ledger/errors.hpp"
#include "ledger/input_sniff.hpp"

namespace ledger {
namespace {

constexpr std::array<std::string_view, 3> kAccountColumns = {"accountNumber", "country", "balance"};

SniffedProblem sniff(std::string_view header) { return sniff_unreadable_header(header, kAccountColumns); }

TEST(InputSniff, CompressedAndArchivedFilesByTheirFirstBytes) {
    EXPECT_EQ(sniff(std::string_view("\x1f\x8b\x08\x00\x12\x34", 6)).what,
              "the file looks gzip-compressed (it starts with bytes 1f 8b); decompress it first (gunzip)");
    EXPECT_EQ(sniff("\x28\xb5\x2f\xfd\x24\x00").what,
              "the file looks zstd-compressed (it starts with bytes 28 b5 2f fd); decompress it first (unzstd)");
    EXPECT_EQ(sniff("BZh91AY&SY").what,
              "the file looks bzip2-compressed (it starts with bytes 42 5a 68); decompress it first (bunzip2)");
    EXPECT_EQ(sniff(std::string_view("\xfd" "7zXZ\0\0", 7)).what,
              "the file looks xz-compressed (it starts with bytes fd 37 7a 58); decompress it first (unxz)");
    EXPECT_EQ(sniff("PK\x03\x04\x14").what,
              "the file looks like a zip archive (it starts with bytes 50 4b 03 04); extract the CSV file from it "
              "first (unzip)");
    for (const std::string_view bom : {std::string_view("\xff\xfe" "a\0c\0", 6), std::string_view("\xfe\xff\0a\0c", 6)})
        EXPECT_NE(sniff(bom).what.find("UTF-16 encoded"), std::string::npos);
    for (const char* text : {"\x1f\x8b", "BZh9"}) EXPECT_FALSE(sniff(text).show_header) << text;
}

TEST(InputSniff, SemicolonAndTabSeparatedHeaders) {
    const SniffedProblem semicolons = sniff("accountNumber;country;balance");
    EXPECT_EQ(semicolons.what,
              "the header looks semicolon (;)-separated, but ledger reads comma-separated CSV only; export or "
              "convert the file with commas between fields");
    EXPECT_TRUE(semicolons.show_header);
    EXPECT_NE(sniff("\"accountNumber\" ; \"country\";\"balance\"").what.find("semicolon"), std::string::npos);
    EXPECT_NE(sniff("accountNumber\tcountry\tbalance\r").what.find("tab-separated"), std::string::npos);
    // One column found is enough when the comma finds none.
    EXPECT_NE(sniff("id;country;amount").what.find("semicolon"), std::string::npos);
}

TEST(InputSniff, AWrongHeaderThatIsNoneOfThemIsLeftAlone) {
    EXPECT_EQ(sniff("accountNumber,country,amount").what, "");        // a misspelt column
    EXPECT_EQ(sniff("accountNumber,country;x,balance").what, "");     // a ';' inside a column name
    EXPECT_EQ(sniff("accountNumber,country,balance;x").what, "");     // finds no more than the comma
    EXPECT_EQ(sniff("BZh,country,balance").what, "");                 // "BZh" but no block size after it
    EXPECT_EQ(sniff("").what, "");
}

std::string accounts_error(const std::string& text) {
    BadRowSink bad(BadRowPolicy::fail);
    try {
        read_accounts(text, "accounts.csv", bad);
    } catch (const LedgerError& e) {
        EXPECT_EQ(e.code(), ExitCode::bad_input);
        return e.what();
    }
    return "no error";
}

TEST(InputSniff, TheHeaderErrorNamesWhatTheFileLooksLike) {
    EXPECT_EQ(accounts_error(std::string("\x1f\x8b\x08\x00\xff\n\x01\x02", 8)),
              "accounts.csv:1: the file looks gzip-compressed (it starts with bytes 1f 8b); decompress it first "
              "(gunzip)");
    EXPECT_EQ(accounts_error("accountNumber;country;balance\n1;NL;5\n"),
              "accounts.csv:1: the header looks semicolon (;)-separated, but ledger reads comma-separated CSV only; "
              "export or convert the file with commas between fields (accountNumber;country;balance)");
    EXPECT_EQ(accounts_error("accountNumber,country,amount\n1,NL,5\n"),
              "accounts.csv:1: missing required column 'balance' in the header (accountNumber,country,amount)");
}

}  // namespace
}  // namespace ledger
