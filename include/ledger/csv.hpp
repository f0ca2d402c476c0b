// RFC 4180 reading and writing, tolerant the way the spec asks: a UTF-8 BOM, CRLF line ends, a missing
// final newline, blank lines anywhere, quoted fields (with "" escapes and embedded line breaks) and spaces
// around fields. The reader never throws: a malformed row is still delimited and carries its error, so the
// caller decides (fail fast, or quarantine it and go on).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ledger {

inline constexpr size_t kMaxRowBytes = 1 << 20;  // a bound on one row; longer rows are bad rows

struct CsvRow {
    std::vector<std::string_view> fields;  // unquoted, trimmed; views into the text or into `scratch`
    uint64_t line = 0;                     // physical line where the row starts (header = line 1)
    uint64_t offset = 0;                   // byte offset of the row's first byte in the file
    std::string_view raw;                  // the row as read, without its line end
    std::string error;                     // empty when the row is well formed
    std::string scratch;                   // backing store for fields that had "" escapes
};

class CsvReader {
public:
    // `text` is a whole file or a line-aligned part of one; `first_line` and `base_offset` say where it
    // starts in the file, so that lines and offsets in rows are the file's own. A BOM is skipped only at
    // offset 0 of the file.
    CsvReader(std::string_view text, uint64_t first_line = 1, uint64_t base_offset = 0);

    // Fills `row` with the next non-blank row; false at the end of the text.
    bool next(CsvRow& row);

    // Byte position (relative to the text) just after the last row returned.
    size_t consumed() const { return pos_; }
    // Line number of the byte at consumed().
    uint64_t line() const { return line_; }

    // Continues at text[pos], which is on line `line`: a caller that read some rows another way (the fast
    // path of the transactions reader) hands the position back.
    void seek(size_t pos, uint64_t line) {
        pos_ = pos;
        line_ = line;
    }

private:
    void finish_row(CsvRow& row, size_t start, size_t end);
    std::string_view text_;
    size_t pos_ = 0;
    uint64_t line_;
    uint64_t base_offset_;
};

// Column positions of the required columns, found by header name. Throws LedgerError(bad_input) naming
// the missing column and the file.
struct HeaderMap {
    std::vector<int> column;  // column[i] = field index of required[i]
    size_t field_count = 0;
};
HeaderMap resolve_header(const CsvRow& header, std::span<const std::string_view> required,
                         std::string_view file_name);

// Why a data row cannot be read against its header (malformed, or more or fewer fields than the header),
// or "" when its shape is fine.
std::string row_shape_problem(const CsvRow& row, const HeaderMap& header);

// Appends `value` as one CSV field, quoted only where RFC 4180 needs it (comma, quote, CR or LF, or
// leading/trailing space which a tolerant reader would otherwise trim).
void append_csv_field(std::string& out, std::string_view value);

// The number of line feeds in `text`. Inputs are counted whole several times (row bounds, line numbers of
// parallel parts), so this compares 16 bytes at a time rather than one.
uint64_t count_line_feeds(std::string_view text);

// Shortens text for an error message so that a 10 MB garbage line gives a readable one-line error.
std::string excerpt(std::string_view text, size_t max_bytes = 120);

// The text with every byte that is not part of a printable UTF-8 character shown as \xNN (control bytes,
// bytes of malformed UTF-8, C1 controls, line separators and bidirectional overrides), whole: an error is
// one line of readable text on stderr even when a file name or a field holds a line feed or binary.
std::string one_line(std::string_view text);

}  // namespace ledger
