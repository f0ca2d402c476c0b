// CSV reading and writing (csv.hpp). The spec lists what real exports contain and the job must
// tolerate — a UTF-8 BOM, CRLF, no final newline, blank lines anywhere, RFC 4180 quoting with ""
// escapes and embedded line breaks, spaces around fields — and it promises `file:line` in messages,
// where the line is the physical line (so a quoted line break moves the next row's line number). It
// also reads columns by header name. Checks each of those, the malformed-row cases (stray quote,
// unterminated quote at end of file) that must become an error on a still-delimited row, the byte
// offsets that the job uses as input order, and the writer's "quote only where needed" rule, by
// reading back what it writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "ledger/csv.hpp"
#include "ledger/errors.hpp"

namespace {

using ledger::CsvReader;
using ledger::CsvRow;

struct Row {
    std::vector<std::string> fields;
    uint64_t line;
    uint64_t offset;
    std::string raw;
    std::string error;
};

std::vector<Row> read_all(std::string_view text, uint64_t first_line = 1, uint64_t base_offset = 0) {
    CsvReader reader(text, first_line, base_offset);
    std::vector<Row> rows;
    CsvRow row;
    while (reader.next(row)) {
        Row copy{{}, row.line, row.offset, std::string(row.raw), row.error};
        for (std::string_view f : row.fields) copy.fields.emplace_back(f);
        rows.push_back(std::move(copy));
        if (rows.size() > 1000) {
            ADD_FAILURE() << "reader does not stop";
            break;
        }
    }
    return rows;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, PlainRowsWithLinesAndOffsets) {
    auto rows = read_all("a,b,c\n1,2,3\n45,6,789\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
    EXPECT_EQ(rows[2].fields, (Fields{"45", "6", "789"}));
    EXPECT_EQ(rows[0].line, 1u);
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[2].line, 3u);
    EXPECT_EQ(rows[0].offset, 0u);
    EXPECT_EQ(rows[1].offset, 6u);
    EXPECT_EQ(rows[2].offset, 12u);
    EXPECT_EQ(rows[1].raw, "1,2,3");
    EXPECT_EQ(rows[2].raw, "45,6,789");
    for (const Row& r : rows) EXPECT_EQ(r.error, "");
}

TEST(CsvReader, FirstLineAndBaseOffsetAreTheFilesOwn) {
    auto rows = read_all("x,y\n1,2\n", 10, 1000);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].line, 10u);
    EXPECT_EQ(rows[1].line, 11u);
    EXPECT_EQ(rows[0].offset, 1000u);
    EXPECT_EQ(rows[1].offset, 1004u);
}

TEST(CsvReader, BomSkippedAtStartOfFile) {
    auto rows = read_all("\xEF\xBB\xBF" "accountNumber,b\n1,2\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].fields, (Fields{"accountNumber", "b"}));
    EXPECT_EQ(rows[0].line, 1u);
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].offset, 3u + 16u);  // offsets count the BOM: they are the file's bytes
}

TEST(CsvReader, BomNotSkippedInsideAFile) {
    // A part of a file that does not start at offset 0 has no BOM: the bytes are data.
    auto rows = read_all("\xEF\xBB\xBF" "a,b\n", 5, 100);
    ASSERT_EQ(rows.size(), 1u);
    ASSERT_EQ(rows[0].fields.size(), 2u);
    EXPECT_EQ(rows[0].fields[0], "\xEF\xBB\xBF" "a");
}

TEST(CsvReader, CrlfLineEnds) {
    auto rows = read_all("a,b\r\n1,2\r\n3,4\r\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(rows[2].fields, (Fields{"3", "4"}));
    EXPECT_EQ(rows[1].raw, "1,2");
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[2].line, 3u);
    EXPECT_EQ(rows[1].offset, 5u);
    EXPECT_EQ(rows[2].offset, 10u);
}

TEST(CsvReader, MissingFinalNewline) {
    auto rows = read_all("a,b\n1,2");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(rows[1].raw, "1,2");
    rows = read_all("a,b\r\n1,\"2\"");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(rows[1].error, "");
}

TEST(CsvReader, BlankLinesAnywhere) {
    auto rows = read_all("\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
    EXPECT_EQ(rows[0].line, 3u);
    EXPECT_EQ(rows[1].line, 5u);
    EXPECT_EQ(rows[2].line, 8u);
    EXPECT_EQ(rows[2].fields, (Fields{"3", "4"}));
    EXPECT_EQ(rows[0].offset, 3u);
    EXPECT_EQ(rows[1].offset, 8u);
}

TEST(CsvReader, OnlyBlankLinesGiveNoRows) {
    EXPECT_TRUE(read_all("").empty());
    EXPECT_TRUE(read_all("\n\n\r\n").empty());
    EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, EmptyFields) {
    auto rows = read_all("a,,c\n,\n\"\",x\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "", "c"}));
    EXPECT_EQ(rows[1].fields, (Fields{"", ""}));
    EXPECT_EQ(rows[2].fields, (Fields{"", "x"}));
}

TEST(CsvReader, QuotedFieldsWithCommasAndEscapes) {
    auto rows = read_all("\"a,b\",c\n\"say \"\"hi\"\"\",\"\"\"\"\n\"x\",\"\"\"q\"\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].fields, (Fields{"a,b", "c"}));
    EXPECT_EQ(rows[1].fields, (Fields{"say \"hi\"", "\""}));
    EXPECT_EQ(rows[2].fields, (Fields{"x", "\"q"}));
    for (const Row& r : rows) EXPECT_EQ(r.error, "");
    EXPECT_EQ(rows[1].raw, "\"say \"\"hi\"\"\",\"\"\"\"");  // raw is the text as read
}

TEST(CsvReader, EmbeddedNewlinesMoveTheNextRowsLine) {
    auto rows = read_all("h1,h2,h3\n1,\"two\nlines\",3\n4,\"a\r\n\r\nb\",6\n7,8,9\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].fields, (Fields{"1", "two\nlines", "3"}));
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].raw, "1,\"two\nlines\",3");
    EXPECT_EQ(rows[2].line, 4u);
    ASSERT_EQ(rows[2].fields.size(), 3u);
    EXPECT_EQ(rows[2].fields[2], "6");
    EXPECT_EQ(rows[3].line, 7u);
    EXPECT_EQ(rows[3].fields, (Fields{"7", "8", "9"}));
    EXPECT_EQ(rows[3].offset, std::string_view("h1,h2,h3\n1,\"two\nlines\",3\n4,\"a\r\n\r\nb\",6\n").size());
}

TEST(CsvReader, SpacesAroundFieldsAreTrimmed) {
    auto rows = read_all("  a , b  ,c \n 1,  2 ,   \n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2", ""}));
    EXPECT_EQ(rows[0].raw, "  a , b  ,c ");  // but the raw row is as read
}

TEST(CsvReader, InnerSpacesKept) {
    auto rows = read_all("a b , c  d\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"a b", "c  d"}));
}

TEST(CsvReader, SpacesAroundQuotedFieldsTrimmedInsideKept) {
    auto rows = read_all("  \"a,b\"  , \"c\" ,\" d \"\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].error, "");
    EXPECT_EQ(rows[0].fields, (Fields{"a,b", "c", " d "}));
}

TEST(CsvReader, StrayQuoteIsAnErrorOnADelimitedRow) {
    auto rows = read_all("h1,h2\na\"b,c\n1,2\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_NE(rows[1].error, "");
    EXPECT_EQ(rows[1].line, 2u);
    EXPECT_EQ(rows[1].raw, "a\"b,c");
    EXPECT_EQ(rows[2].error, "");  // the reader goes on at the next line
    EXPECT_EQ(rows[2].fields, (Fields{"1", "2"}));
    EXPECT_EQ(rows[2].line, 3u);
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
    auto rows = read_all("\"ab\"c,d\n1,2\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_NE(rows[0].error, "");
    EXPECT_EQ(rows[1].error, "");
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
    rows = read_all("\"ab\" x,d\n1,2\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_NE(rows[0].error, "");
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
}

TEST(CsvReader, UnterminatedQuoteAtEndOfFile) {
    auto rows = read_all("h1,h2\n1,2\n3,\"never closed\n4,5\n");
    ASSERT_GE(rows.size(), 3u);
    EXPECT_EQ(rows[1].error, "");
    EXPECT_NE(rows[2].error, "");
    EXPECT_EQ(rows[2].line, 3u);
    // Whatever the reader makes of the rest, nothing after the open quote is a good row.
    for (size_t i = 3; i < rows.size(); ++i) EXPECT_NE(rows[i].error, "") << "row " << i;
    rows = read_all("h\n\"abc");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_NE(rows[1].error, "");
}

TEST(CsvReader, OverlongRowIsABadRowNotACrash) {
    std::string text = "h1,h2\n" + std::string(ledger::kMaxRowBytes + 10, 'x') + ",y\n1,2\n";
    auto rows = read_all(text);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_NE(rows[1].error, "");
    EXPECT_EQ(rows[2].error, "");
    EXPECT_EQ(rows[2].fields, (Fields{"1", "2"}));
    EXPECT_EQ(rows[2].line, 3u);
}

// --- header ---

CsvRow header_row(std::string_view text, std::string& storage) {
    storage = std::string(text);
    CsvReader reader(storage);
    CsvRow row;
    EXPECT_TRUE(reader.next(row));
    return row;
}

constexpr std::string_view kRequired[] = {"accountNumber", "country", "balance"};

TEST(CsvHeader, FindsColumnsByNameInAnyOrder) {
    std::string storage;
    CsvRow row = header_row("balance,extra,accountNumber,country,more\n", storage);
    ledger::HeaderMap map = ledger::resolve_header(row, kRequired, "accounts.csv");
    EXPECT_EQ(map.column, (std::vector<int>{2, 3, 0}));
    EXPECT_EQ(map.field_count, 5u);
}

TEST(CsvHeader, QuotedAndSpacedNamesAndBom) {
    std::string storage;
    CsvRow row = header_row("\xEF\xBB\xBF country , \"accountNumber\",balance\r\n", storage);
    ledger::HeaderMap map = ledger::resolve_header(row, kRequired, "accounts.csv");
    EXPECT_EQ(map.column, (std::vector<int>{1, 0, 2}));
    EXPECT_EQ(map.field_count, 3u);
}

TEST(CsvHeader, MissingColumnNamesColumnAndFile) {
    std::string storage;
    CsvRow row = header_row("accountNumber,balance,region\n", storage);
    try {
        ledger::resolve_header(row, kRequired, "data/accounts-2024.csv");
        FAIL() << "missing column accepted";
    } catch (const ledger::LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::bad_input);
        std::string what = e.what();
        EXPECT_NE(what.find("country"), std::string::npos) << what;
        EXPECT_NE(what.find("data/accounts-2024.csv"), std::string::npos) << what;
    }
}

// --- writer ---

std::string field(std::string_view value) {
    std::string out;
    ledger::append_csv_field(out, value);
    return out;
}

TEST(CsvWriter, QuotesOnlyWhereNeeded) {
    EXPECT_EQ(field("abc"), "abc");
    EXPECT_EQ(field("a b"), "a b");
    EXPECT_EQ(field("007"), "007");
    EXPECT_EQ(field("-12.50"), "-12.50");
    EXPECT_EQ(field("Zürich"), "Zürich");
    EXPECT_EQ(field(""), "");
    EXPECT_EQ(field("a,b"), "\"a,b\"");
    EXPECT_EQ(field("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(field("\""), "\"\"\"\"");
    EXPECT_EQ(field("a\nb"), "\"a\nb\"");
    EXPECT_EQ(field("a\rb"), "\"a\rb\"");
    EXPECT_EQ(field(" a"), "\" a\"");
    EXPECT_EQ(field("a "), "\"a \"");
}

TEST(CsvWriter, AppendsToWhatIsThere) {
    std::string out = "x,";
    ledger::append_csv_field(out, "y,z");
    EXPECT_EQ(out, "x,\"y,z\"");
}

TEST(CsvWriter, ReaderReadsBackWhatWriterWrote) {
    std::vector<std::string> values = {"plain", "a,b", "q\"uote", "multi\nline", " lead", "trail ", "",
                                       "\"\"", "cr\rlf\r\n", "x , y"};
    std::string text;
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) text += ',';
        ledger::append_csv_field(text, values[i]);
    }
    text += "\nnext\n";
    auto rows = read_all(text);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].error, "");
    EXPECT_EQ(rows[0].fields, values);
    EXPECT_EQ(rows[1].fields, (Fields{"next"}));
    EXPECT_EQ(rows[1].line, 4u);  // the two quoted line feeds pushed it down
}

// The vector count sums its byte lanes every 255 blocks of 16 bytes; texts of every length around those
// edges, dense and sparse in line feeds and starting at odd addresses, must count as a plain loop does.
TEST(CountLineFeeds, SameAsAPlainCountAtEveryEdge) {
    std::mt19937_64 rng(7);
    for (const int per_mille : {0, 5, 500, 1000}) {
        std::string text(3 * 255 * 16 + 40, 'x');
        for (char& c : text)
            if (int(rng() % 1000) < per_mille) c = '\n';
        for (const size_t length : {size_t(0), size_t(15), size_t(16), size_t(17), size_t(255 * 16 - 1),
                                    size_t(255 * 16), size_t(255 * 16 + 1), size_t(2 * 255 * 16 + 33), text.size() - 3}) {
            for (const size_t start : {size_t(0), size_t(1), size_t(3)}) {
                const std::string_view part = std::string_view(text).substr(start, length);
                EXPECT_EQ(ledger::count_line_feeds(part), uint64_t(std::count(part.begin(), part.end(), '\n')))
                    << per_mille << " per mille, length " << length << ", start " << start;
            }
        }
    }
}

TEST(CsvExcerpt, ShortTextUnchangedLongTextBounded) {
    EXPECT_EQ(ledger::excerpt("a,b,c"), "a,b,c");
    std::string big(10 << 20, 'g');
    std::string e = ledger::excerpt(big);
    EXPECT_LT(e.size(), 200u);
    EXPECT_EQ(e.substr(0, 50), big.substr(0, 50));
    EXPECT_LE(ledger::excerpt(big, 20).size(), 40u);
}

TEST(CsvOneLine, ControlBytesEscapedPrintableTextKept) {
    EXPECT_EQ(ledger::one_line("cannot read input 'a\nb.csv'"), "cannot read input 'a\\x0ab.csv'");
    EXPECT_EQ(ledger::one_line(std::string_view("\r\t\x7f\0", 4)), "\\x0d\\x09\\x7f\\x00");
    EXPECT_EQ(ledger::one_line("caf\xc3\xa9 \\x0a"), "caf\xc3\xa9 \\x0a");  // UTF-8 and backslashes as they are
    EXPECT_EQ(ledger::excerpt("1\n2", 2), "1\\x0a... (3 bytes)");
}

// A gzip file read as CSV put raw binary on the terminal: every byte that is not part of a printable
// UTF-8 character is shown escaped, while well-formed text in any script stays readable.
TEST(CsvOneLine, BytesThatAreNotPrintableUtf8Escaped) {
    EXPECT_EQ(ledger::one_line("\x1f\x8b\x08"), "\\x1f\\x8b\\x08");  // gzip's magic
    EXPECT_EQ(ledger::one_line("a\xff\xfe" "b"), "a\\xff\\xfeb");  // never in UTF-8
    EXPECT_EQ(ledger::one_line("\xc3"), "\\xc3");  // cut short at the end
    EXPECT_EQ(ledger::one_line("\xc3x"), "\\xc3x");  // cut short by ASCII
    EXPECT_EQ(ledger::one_line("\xc0\x80"), "\\xc0\\x80");  // overlong NUL
    EXPECT_EQ(ledger::one_line("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");  // overlong '/'
    EXPECT_EQ(ledger::one_line("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
    EXPECT_EQ(ledger::one_line("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
    EXPECT_EQ(ledger::one_line("\xc2\x9b" "31m"), "\\xc2\\x9b" "31m");  // C1 control (CSI)
    EXPECT_EQ(ledger::one_line("a\xe2\x80\xae" "b"), "a\\xe2\\x80\\xaeb");  // right-to-left override
    EXPECT_EQ(ledger::one_line("a\xe2\x80\xa8" "b"), "a\\xe2\\x80\\xa8b");  // line separator
    const std::string kept = "S\xc3\xa3o Paulo \xe2\x82\xac \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x92\xb6 \xc2\xa0";
    EXPECT_EQ(ledger::one_line(kept), kept);  // 2, 3 and 4 bytes, and a no-break space
}

TEST(CsvExcerpt, CutsBeforeACharacterNotInsideIt) {
    // "é" is two bytes; a cut after its first would show that byte escaped.
    EXPECT_EQ(ledger::excerpt("ab\xc3\xa9" "cd", 3), "ab... (6 bytes)");
    EXPECT_EQ(ledger::excerpt("ab\xc3\xa9" "cd", 4), "ab\xc3\xa9... (6 bytes)");
    EXPECT_EQ(ledger::excerpt("\xff\xff\xff\xff", 2), "\\xff\\xff... (4 bytes)");
}

}  // namespace
