// Fuzzes the CSV reader (csv.hpp) and the chunking of the parallel ingest (chunking.hpp) on arbitrary
// bytes. The reader must never crash, never loop and never step outside its text, whatever it is given,
// and what it returns must be usable as the job's input order and messages:
//   - rows come in strictly increasing offsets, each starting after the previous row ended, and
//     `consumed()` strictly advances (no infinite loop);
//   - `raw` lies inside the input, starts at the row's offset and stops before the row's line end;
//   - `line` is the physical line of the row's first byte (1 + line feeds before it), as the spec says;
//   - a well-formed row has fields that point into the text or the row's scratch, no NUL and at most
//     kMaxRowBytes of raw text; a malformed row has an error and no fields;
//   - writing a well-formed row back with append_csv_field and reading it again gives the same fields
//     (the balances file is tomorrow's accounts file);
//   - excerpt() of any raw row is one printable line of bounded length (error messages);
//   - reading the text in 1-4 parts the way the parallel ingest does (propose_cuts, a part starts where
//     the previous one stopped or the cuts are repaired with row_starts_at) gives exactly the rows of
//     one sequential read. A difference would make the parallel ingest disagree with the root ingest.
// The first input byte picks the number of parts; the rest is the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "ledger/chunking.hpp"
#include "ledger/csv.hpp"

namespace {

using ledger::CsvReader;
using ledger::CsvRow;

struct Row {
    uint64_t offset = 0;
    uint64_t line = 0;
    std::string raw;
    std::string error;
    std::vector<std::string> fields;
    bool operator==(const Row&) const = default;
};

Row copy_of(const CsvRow& row) {
    Row out{row.offset, row.line, std::string(row.raw), row.error, {}};
    for (std::string_view f : row.fields) out.fields.emplace_back(f);
    return out;
}

bool inside(std::string_view part, std::string_view whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

uint64_t line_feeds_before(std::string_view text, uint64_t offset) {
    return uint64_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(offset), '\n'));
}

void check_round_trip(const Row& row) {
    // A row of one empty field is written as an empty line, which a reader skips as blank; the job never
    // writes one (ids and countries are never empty), so it is not part of the property.
    if (row.fields.size() == 1 && row.fields[0].empty()) return;
    std::string written;
    for (size_t i = 0; i < row.fields.size(); ++i) {
        if (i > 0) written.push_back(',');
        ledger::append_csv_field(written, row.fields[i]);
    }
    written.push_back('\n');
    CsvReader again(written, 1, 1);  // base offset 1: a leading BOM-like value is data, as in fields_of_row
    CsvRow back;
    FUZZ_CHECK(again.next(back), "a written row reads back as a row");
    FUZZ_CHECK(back.error.empty(), "a written row reads back without error");
    FUZZ_CHECK(back.fields.size() == row.fields.size(), "a written row keeps its field count");
    for (size_t i = 0; i < row.fields.size(); ++i)
        FUZZ_CHECK(back.fields[i] == row.fields[i], "a written field reads back unchanged");
    FUZZ_CHECK(!again.next(back), "a written row is one row");
}

void check_excerpt(std::string_view raw) {
    const std::string shown = ledger::excerpt(raw);
    FUZZ_CHECK(shown.size() <= 4 * 120 + 40, "an excerpt is bounded");
    for (char c : shown) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "an excerpt is printable");
}

std::vector<Row> read_whole(std::string_view text) {
    std::vector<Row> rows;
    CsvReader reader(text);
    CsvRow row;
    size_t consumed = reader.consumed();
    uint64_t previous_offset = 0, previous_line = 0;
    const uint64_t max_rows = line_feeds_before(text, text.size()) + 1;
    while (reader.next(row)) {
        FUZZ_CHECK(reader.consumed() > consumed, "every row advances the reader");
        FUZZ_CHECK(reader.consumed() <= text.size(), "the reader stays inside the text");
        FUZZ_CHECK(row.offset >= consumed, "a row starts after the previous one ended");
        FUZZ_CHECK(rows.empty() || row.offset > previous_offset, "row offsets increase");
        FUZZ_CHECK(rows.empty() || row.line > previous_line, "row lines increase");
        FUZZ_CHECK(inside(row.raw, text), "raw lies inside the input");
        FUZZ_CHECK(uint64_t(row.raw.data() - text.data()) == row.offset, "raw starts at the row's offset");
        FUZZ_CHECK(row.offset + row.raw.size() <= reader.consumed(), "raw ends where the row ends");
        FUZZ_CHECK(row.line == 1 + line_feeds_before(text, row.offset), "line is the physical line");
        if (row.error.empty()) {
            FUZZ_CHECK(!row.fields.empty(), "a good row has fields");
            FUZZ_CHECK(row.raw.size() <= ledger::kMaxRowBytes, "a good row is within the row bound");
            for (std::string_view f : row.fields) {
                FUZZ_CHECK(inside(f, row.raw) || inside(f, row.scratch), "a field points into its row");
                FUZZ_CHECK(f.find('\0') == std::string_view::npos, "a good field has no NUL");
            }
        } else {
            FUZZ_CHECK(row.fields.empty(), "a bad row has no fields");
        }
        rows.push_back(copy_of(row));
        FUZZ_CHECK(rows.size() <= max_rows, "no more rows than lines");
        consumed = reader.consumed();
        previous_offset = row.offset;
        previous_line = row.line;
    }
    return rows;
}

struct Part {
    std::vector<Row> rows;
    uint64_t start = UINT64_MAX;  // first row read, else where reading stopped (as part_start in the ingest)
    uint64_t next = UINT64_MAX;   // first row at or after the part's end (UINT64_MAX: end of text)
};

// One part the way read_transfer_rows reads it: from its cut to the end, stopping at the first row at or
// after the next cut.
Part read_part(std::string_view text, uint64_t begin, uint64_t end) {
    Part part;
    CsvReader reader(text.substr(begin), 1 + line_feeds_before(text, begin), begin);
    CsvRow row;
    while (reader.next(row)) {
        if (row.offset >= end) {
            part.next = row.offset;
            break;
        }
        if (part.start == UINT64_MAX) part.start = row.offset;
        part.rows.push_back(copy_of(row));
    }
    if (part.start == UINT64_MAX) part.start = part.next;
    return part;
}

std::vector<Part> read_parts(std::string_view text, const std::vector<uint64_t>& cuts) {
    std::vector<Part> parts;
    for (size_t p = 0; p + 1 < cuts.size(); ++p) parts.push_back(read_part(text, cuts[p], cuts[p + 1]));
    return parts;
}

bool consistent(const std::vector<Part>& parts) {
    for (size_t p = 1; p < parts.size(); ++p)
        if (parts[p].start != parts[p - 1].next) return false;
    return true;
}

void check_chunked(std::string_view text, int part_count, const std::vector<Row>& whole) {
    std::vector<uint64_t> cuts = ledger::propose_cuts(text, 0, part_count);
    FUZZ_CHECK(cuts.size() == size_t(part_count) + 1, "one cut per part boundary");
    FUZZ_CHECK(cuts.front() == 0 && cuts.back() == text.size(), "cuts span the text");
    FUZZ_CHECK(std::is_sorted(cuts.begin(), cuts.end()), "cuts are non-decreasing");
    std::vector<Part> parts = read_parts(text, cuts);
    if (!consistent(parts)) {
        cuts = ledger::row_starts_at(text, 0, cuts);
        FUZZ_CHECK(cuts.front() == 0 && cuts.back() == text.size(), "repaired cuts span the text");
        FUZZ_CHECK(std::is_sorted(cuts.begin(), cuts.end()), "repaired cuts are non-decreasing");
        parts = read_parts(text, cuts);
        FUZZ_CHECK(consistent(parts), "repaired cuts are consistent");
    }
    std::vector<Row> joined;
    for (const Part& part : parts) joined.insert(joined.end(), part.rows.begin(), part.rows.end());
    FUZZ_CHECK(joined.size() == whole.size(), "reading in parts finds the same number of rows");
    for (size_t i = 0; i < whole.size(); ++i) FUZZ_CHECK(joined[i] == whole[i], "reading in parts gives the same rows");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const int part_count = 1 + data[0] % 4;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::vector<Row> whole = read_whole(text);
    for (const Row& row : whole) {
        if (row.error.empty()) check_round_trip(row);
        check_excerpt(row.raw);
    }
    check_chunked(text, part_count, whole);
    return 0;
}
