// Lays rows out as CSV text: which column goes where, and (with --messy) every tolerance the spec
// promises: BOM, CRLF, quoted and padded fields, blank lines, extra trailing blank lines and a missing
// final newline. Values never change, only their spelling, so a messy file must give the same result
// as a clean one.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"
#include "output_file.hpp"
#include "random.hpp"

namespace ledger_gen {

inline constexpr int kExtraColumn = -1;

struct Layout {
    std::vector<int> columns;  // for each written column: index into the canonical fields, or kExtraColumn
    bool bom = false;
    bool crlf = false;
    bool final_newline = true;
    bool trailing_blank_lines = false;
};

// Canonical order unless --shuffle-columns; the decorations only with --messy. `file_number` makes
// each file's layout its own.
Layout draw_layout(const Options& options, size_t canonical_columns, uint64_t file_number);

class RowWriter {
public:
    RowWriter(const Options& options, Layout layout, uint64_t file_number);

    void header(OutputFile& out, std::span<const std::string_view> names);
    // `fields` in canonical order.
    void row(OutputFile& out, std::span<const std::string_view> fields);
    // A malformed row: no decoration, and `field_count_delta` fields dropped from (or junk fields added
    // at) the end.
    void bad_row(OutputFile& out, std::span<const std::string_view> fields, int field_count_delta);
    void finish(OutputFile& out);

private:
    void start_line(std::string& buffer);
    void append_field(std::string& buffer, std::string_view value, bool decorate);
    std::string_view extra_value(bool for_header);

    Layout layout_;
    bool messy_;
    Rng rng_;
    Chance quote_, pad_, blank_line_;
    uint64_t extra_counter_ = 0;
    std::string extra_scratch_;
};

}  // namespace ledger_gen
