// The traced rejected file (--rejected-columns traced): the five columns of the plain file, then where
// each rejected row came from (`file`, `line`) and the transactions files' extra columns, so that a user
// can find a rejected transfer in the input and keep the ids the job itself ignores. Pure: lines are
// counted through a callback, so the caller decides how the file's bytes are read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ledger/csv.hpp"
#include "ledger/records.hpp"

namespace ledger {

// A byte offset in a transactions file and the line it is on (header = line 1).
struct LinePoint {
    uint64_t offset = 0;
    uint64_t line = 1;
};

// A rejection with the physical line its row starts on.
struct TracedRejection {
    OrderKey order;
    uint64_t line;

    uint64_t position() const { return order.position(); }
    Reason reason() const { return order.reason(); }
};
static_assert(std::is_trivially_copyable_v<TracedRejection>);

// Replay order, as for the Rejection it was made from.
inline bool replay_before(const TracedRejection& a, const TracedRejection& b) { return a.order < b.order; }

// Line feeds in [begin, end) of transactions file `file`.
using LineFeedCounter = std::function<uint64_t(uint32_t file, uint64_t begin, uint64_t end)>;

// Sets the line of every rejection. starts[f] is a point of file f at or before each of its rows here;
// from it the line feeds are counted up to each row in turn, so each file is read once, from its start
// point to its last rejected row, however many rows are rejected. Leaves the rejections in position order.
// Throws std::logic_error if a row lies before its file's start point.
void number_rejected_lines(std::span<TracedRejection> rejections, std::span<const LinePoint> starts,
                           const LineFeedCounter& count_line_feeds);

// The fields of a file's first row (its header), unquoted and trimmed; empty for an empty file.
std::vector<std::string> header_fields(std::string_view file_text);

// The layout of the traced file and the formatting of its rows. The extra columns are every column of
// the transactions headers other than the four required ones, by name, in order of first appearance
// across the files; a name that a header holds twice is two columns (its first and second occurrence).
class TracedRejectedRows {
public:
    // One entry per transactions file, in the order given: its path as given, its header's fields and
    // its resolved header.
    TracedRejectedRows(std::vector<std::string> file_names, std::span<const std::vector<std::string>> fields,
                       std::span<const HeaderMap> headers);

    // `date,fromAccountNumber,transferAmount,toAccountNumber,reason,file,line` and the extra columns.
    std::string header() const;
    // One row, read from `row_text` (which starts at the row's first byte) of file `file`. A file that
    // lacks an extra column gets an empty field there.
    void append_row(std::string& out, std::string_view row_text, uint32_t file, uint64_t line, Reason reason) const;

    const std::vector<std::string>& extra_columns() const { return extra_names_; }

private:
    std::vector<std::string> file_names_;
    std::vector<HeaderMap> headers_;
    std::vector<std::string> extra_names_;
    std::vector<std::vector<int>> extra_field_;  // [file][extra column]: the file's field, or -1
};

}  // namespace ledger
