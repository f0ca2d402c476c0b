// The traced rejected file (rejected_trace.hpp, --rejected-columns traced):
//  - number_rejected_lines gives each rejected row the physical line it starts on, the header being
//    line 1, as the CSV reader counts it (CRLF, blank lines and quoted line breaks included), whatever
//    order the rejections come in, from the start of a file or from a later point of it (a rank's part),
//    and reads each file once from its start point up to its last rejected row;
//  - TracedRejectedRows: the five plain columns, unchanged, then file and line, then the extra columns
//    of all headers by name in order of first appearance, empty where a file lacks one, values as read
//    and quoted only where RFC 4180 needs it;
//  - the plain rejected row made from a row's text (the plain-row shortcut) is the one made from
//    fields_of_row, for plain rows and for every kind of row the shortcut declines.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "ledger/csv.hpp"
#include "ledger/errors.hpp"
#include "ledger/input_file.hpp"
#include "ledger/output.hpp"
#include "ledger/rejected_trace.hpp"
#include "ledger/transfers.hpp"

namespace {

using ledger::LinePoint;
using ledger::TracedRejection;

// Header on line 1; CRLF ends; blank lines; a quoted field holding two line breaks; no final newline.
const std::string kFile =
    "date,fromAccountNumber,transferAmount,toAccountNumber,memo\r\n"
    "2024-01-01,A,1,B,first\r\n"
    "\r\n"
    "2024-01-02,A,2,B,\"two\nline\r\nmemo\"\r\n"
    "2024-01-03,B,3,A,after the break\n"
    "\n"
    "2024-01-04,C,4,D,\"x,y\"\n"
    "2024-01-05,D,5,C,last";

struct Row {
    uint64_t offset, line;
};

// The data rows as the CSV reader delimits and numbers them: the reference.
std::vector<Row> rows_of(const std::string& text) {
    ledger::CsvReader reader(text);
    ledger::CsvRow row;
    std::vector<Row> rows;
    reader.next(row);  // the header
    while (reader.next(row)) rows.push_back({row.offset, row.line});
    return rows;
}

TracedRejection rejection_at(uint32_t file, uint64_t offset, int64_t seconds) {
    return {ledger::OrderKey::make(ledger::Instant{seconds, 0}, ledger::make_position(file, offset), 0,
                                   ledger::Reason::unknown_account),
            0};
}

struct CountingReader {
    std::vector<std::string> files;
    uint64_t bytes_read = 0;

    ledger::LineFeedCounter counter() {
        return [this](uint32_t file, uint64_t begin, uint64_t end) {
            bytes_read += end - begin;
            return ledger::count_line_feeds(std::string_view(files[file]).substr(begin, end - begin));
        };
    }
};

TEST(NumberRejectedLines, LinesAreTheReadersInAnyOrderAndTheFileIsReadOnce) {
    const std::vector<Row> rows = rows_of(kFile);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[2].line, 7u);  // after the quoted field's two line breaks
    EXPECT_EQ(rows[3].line, 9u);
    std::vector<TracedRejection> rejections;
    // Later instants for earlier rows: replay order is not position order.
    for (size_t i = 0; i < rows.size(); ++i) rejections.push_back(rejection_at(0, rows[i].offset, 100 - int64_t(i)));
    std::shuffle(rejections.begin(), rejections.end(), std::mt19937(7));
    CountingReader reader{{kFile}};
    ledger::number_rejected_lines(rejections, std::vector<LinePoint>{{0, 1}}, reader.counter());
    ASSERT_EQ(rejections.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(ledger::position_offset(rejections[i].position()), rows[i].offset);
        EXPECT_EQ(rejections[i].line, rows[i].line) << "row " << i;
        EXPECT_EQ(rejections[i].line, ledger::line_of_offset(kFile, rows[i].offset));
        EXPECT_EQ(rejections[i].order.instant().seconds, 100 - int64_t(i));  // the key travels with the line
    }
    EXPECT_EQ(reader.bytes_read, rows.back().offset);
}

TEST(NumberRejectedLines, FromAPartsStartAndAcrossFiles) {
    const std::vector<Row> rows = rows_of(kFile);
    const std::string second = "memo,toAccountNumber,transferAmount,fromAccountNumber,date\n\n\nx,B,1,A,2024-02-01\n";
    const std::vector<Row> second_rows = rows_of(second);
    ASSERT_EQ(second_rows.size(), 1u);
    // A part of the first file that starts at its fourth row, as a rank's part would.
    const std::vector<LinePoint> starts{{rows[3].offset, rows[3].line}, {0, 1}};
    std::vector<TracedRejection> rejections{rejection_at(1, second_rows[0].offset, 5), rejection_at(0, rows[4].offset, 6),
                                            rejection_at(0, rows[3].offset, 7)};
    CountingReader reader{{kFile, second}};
    ledger::number_rejected_lines(rejections, starts, reader.counter());
    EXPECT_EQ(rejections[0].line, rows[3].line);
    EXPECT_EQ(rejections[1].line, rows[4].line);
    EXPECT_EQ(rejections[2].line, 4u);
    EXPECT_EQ(ledger::position_file(rejections[2].position()), 1u);
    EXPECT_EQ(reader.bytes_read, (rows[4].offset - rows[3].offset) + second_rows[0].offset);
}

TEST(NumberRejectedLines, ARowBeforeItsStartPointIsAnInternalError) {
    const std::vector<Row> rows = rows_of(kFile);
    std::vector<TracedRejection> rejections{rejection_at(0, rows[0].offset, 1)};
    CountingReader reader{{kFile}};
    try {
        ledger::number_rejected_lines(rejections, std::vector<LinePoint>{{rows[1].offset, rows[1].line}},
                                      reader.counter());
        FAIL() << "no error";
    } catch (const ledger::LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::internal);
    }
}

ledger::HeaderMap header_of(const std::string& file) {
    ledger::CsvReader reader(file);
    ledger::CsvRow row;
    EXPECT_TRUE(reader.next(row));
    return ledger::resolve_header(row, ledger::kTransferColumns, "tx.csv");
}

TEST(TracedRejectedRows, ExtraColumnsByNameInOrderOfFirstAppearance) {
    const std::string a = "\xEF\xBB\xBF" "id,date,fromAccountNumber,transferAmount,toAccountNumber,note\n";
    const std::string b = "note,toAccountNumber, \"batch,no\" ,transferAmount,date,fromAccountNumber,id,note\n";
    const std::vector<std::vector<std::string>> fields{ledger::header_fields(a), ledger::header_fields(b)};
    EXPECT_EQ(fields[0].front(), "id");  // the BOM is not part of the name
    const std::vector<ledger::HeaderMap> headers{header_of(a), header_of(b)};
    const ledger::TracedRejectedRows layout({"a.csv", "in/b, late.csv"}, fields, headers);
    // b's second `note` is a column of its own; `batch,no` is quoted in the header as it must be.
    EXPECT_EQ(layout.header(),
              "date,fromAccountNumber,transferAmount,toAccountNumber,reason,file,line,id,note,\"batch,no\",note\n");

    std::string out;
    layout.append_row(out, "T-1 , 2024-01-01 ,A,1.50,B,\"said \"\"hi\"\"\"\nnext,row\n", 0, 2,
                      ledger::Reason::insufficient_funds);
    layout.append_row(out, "n1,B,\"7\",-2,2024-01-02T10:00Z,A,\"multi\nline\",n2\r\n", 1, 17,
                      ledger::Reason::invalid_amount);
    EXPECT_EQ(out,
              "2024-01-01,A,1.50,B,insufficient_funds,a.csv,2,T-1,\"said \"\"hi\"\"\",,\n"
              "2024-01-02T10:00Z,A,-2,B,invalid_amount,\"in/b, late.csv\",17,\"multi\nline\",n1,7,n2\n");
}

TEST(TracedRejectedRows, PlainColumnsAreThoseOfThePlainFile) {
    const std::string file = "toAccountNumber,transferAmount,date,fromAccountNumber\n";
    const std::vector<std::vector<std::string>> fields{ledger::header_fields(file)};
    const std::vector<ledger::HeaderMap> headers{header_of(file)};
    const ledger::TracedRejectedRows layout({"t.csv"}, fields, headers);
    EXPECT_TRUE(layout.extra_columns().empty());
    EXPECT_EQ(layout.header(), std::string(ledger::kRejectedHeader.substr(0, ledger::kRejectedHeader.size() - 1)) +
                                   ",file,line\n");
    const std::string row = "\" to \",  3 ,2024-03-01 09:30:00.5+01:00,\"a\"\"b\"\n";
    std::string plain, traced;
    ledger::append_rejected_row(plain, ledger::fields_of_row(row, headers[0]), ledger::Reason::same_account);
    layout.append_row(traced, row, 0, 1234567890123, ledger::Reason::same_account);
    plain.pop_back();
    EXPECT_EQ(traced, plain + ",t.csv,1234567890123\n");
}

TEST(PlainRejectedRow, FromTheRowTextAsFromItsFields) {
    const std::vector<std::string> header_lines = {
        "date,fromAccountNumber,transferAmount,toAccountNumber\n",
        "toAccountNumber,memo,transferAmount,date,fromAccountNumber\n",
    };
    const std::vector<std::string> rows = {
        "2024-01-01,A,1.50,B\nnext,row,2,C\n",   // plain: taken as views
        "2024-01-01,A,1.50,B",                       // no line feed: the last row of a file
        "2024-01-01,A,1.50,B\r\n",                  // CRLF
        " 2024-01-01 ,A,1.50,B\n",                   // blanks the reader trims
        "2024-01-01,\"a,1\",1.50,\"say \"\"hi\"\"\"\n",  // quoted
        "2024-01-01,A,1.50\n",                       // short: a shape the reader reports, not the shortcut
        "B,,-3,2024-01-01,A\n",                      // an empty extra column
        "B,\"multi\nline memo\",-3,2024-01-01,A\n",  // a quoted line break
        "B,memo,-3,2024-01-01,A\nC,x,1,2024-01-02,D\n",
    };
    for (const std::string& header_line : header_lines) {
        const ledger::HeaderMap header = header_of(header_line);
        for (const std::string& row : rows) {
            std::string from_text, from_fields;
            ledger::append_rejected_row(from_text, row, header, ledger::Reason::cross_country);
            ledger::append_rejected_row(from_fields, ledger::fields_of_row(row, header), ledger::Reason::cross_country);
            EXPECT_EQ(from_text, from_fields) << header_line << row;
        }
    }
    std::string plain;
    ledger::append_rejected_row(plain, "B,memo,-3,2024-01-01,A\n", header_of(header_lines[1]), ledger::Reason::same_account);
    EXPECT_EQ(plain, "2024-01-01,A,-3,B,same_account\n");
}

}  // namespace
