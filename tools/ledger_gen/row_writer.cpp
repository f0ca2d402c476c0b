#include "row_writer.hpp"

#include <numeric>

namespace ledger_gen {

Layout draw_layout(const Options& options, size_t canonical_columns, uint64_t file_number) {
    Rng rng(stream_seed(options.seed, kLayout, file_number));
    Layout layout;
    layout.columns.resize(canonical_columns);
    std::iota(layout.columns.begin(), layout.columns.end(), 0);
    if (options.shuffle_columns) {
        layout.columns.push_back(kExtraColumn);
        for (size_t i = layout.columns.size() - 1; i > 0; --i) {
            std::swap(layout.columns[i], layout.columns[rng.below(i + 1)]);
        }
    }
    if (options.messy) {
        layout.bom = rng.below(2) == 0;
        layout.crlf = rng.below(2) == 0;
        layout.final_newline = rng.below(2) == 0;
        layout.trailing_blank_lines = layout.final_newline && rng.below(2) == 0;
    }
    return layout;
}

RowWriter::RowWriter(const Options& options, Layout layout, uint64_t file_number)
    : layout_(std::move(layout)),
      messy_(options.messy),
      rng_(stream_seed(options.seed, kMessy, file_number)),
      quote_(0.10),
      pad_(0.05),
      blank_line_(0.01) {}

void RowWriter::start_line(std::string& buffer) {
    buffer.append(layout_.crlf ? "\r\n" : "\n");
    if (messy_ && blank_line_.hit(rng_)) {
        static constexpr std::string_view kBlanks[] = {"", " ", "\t", "  \t "};
        buffer.append(kBlanks[rng_.below(4)]);
        buffer.append(layout_.crlf ? "\r\n" : "\n");
    }
}

void RowWriter::append_field(std::string& buffer, std::string_view value, bool decorate) {
    if (!decorate || !messy_) {
        buffer.append(value);
        return;
    }
    static constexpr std::string_view kPads[] = {" ", "  ", "\t", " \t"};
    if (pad_.hit(rng_)) buffer.append(kPads[rng_.below(4)]);
    // Values the generator makes never contain a quote, so wrapping them needs no escaping.
    if (quote_.hit(rng_)) {
        buffer.push_back('"');
        buffer.append(value);
        buffer.push_back('"');
    } else {
        buffer.append(value);
    }
    if (pad_.hit(rng_)) buffer.append(kPads[rng_.below(4)]);
}

// The ignored column. Messy files put in it what a CSV reader must get right and the job must then
// ignore: commas, escaped quotes and line breaks inside quotes (a row that spans physical lines).
std::string_view RowWriter::extra_value(bool for_header) {
    if (for_header) return "memo";
    extra_scratch_.clear();
    if (!messy_) {
        extra_scratch_.push_back('m');
        append_uint(extra_scratch_, extra_counter_++);
        return extra_scratch_;
    }
    switch (rng_.below(8)) {
        case 0: return "\"a, b\"";
        case 1: return "\"say \"\"hi\"\"\"";
        case 2: return layout_.crlf ? "\"two\r\nlines\"" : "\"two\nlines\"";
        case 3: return "\"\"";
        case 4: return "";
        default:
            extra_scratch_.append("note ");
            append_uint(extra_scratch_, extra_counter_++);
            return extra_scratch_;
    }
}

void RowWriter::header(OutputFile& out, std::span<const std::string_view> names) {
    std::string& buffer = out.buffer();
    if (layout_.bom) buffer.append("\xEF\xBB\xBF");
    bool first = true;
    for (int column : layout_.columns) {
        if (!first) buffer.push_back(',');
        first = false;
        append_field(buffer, column == kExtraColumn ? extra_value(true) : names[size_t(column)], true);
    }
}

void RowWriter::row(OutputFile& out, std::span<const std::string_view> fields) {
    std::string& buffer = out.buffer();
    start_line(buffer);
    bool first = true;
    for (int column : layout_.columns) {
        if (!first) buffer.push_back(',');
        first = false;
        if (column == kExtraColumn) {
            buffer.append(extra_value(false));  // already CSV text; decorating it could break its quotes
        } else {
            append_field(buffer, fields[size_t(column)], true);
        }
    }
    out.maybe_flush();
}

void RowWriter::bad_row(OutputFile& out, std::span<const std::string_view> fields, int field_count_delta) {
    std::string& buffer = out.buffer();
    start_line(buffer);
    const int written = int(layout_.columns.size()) + (field_count_delta < 0 ? field_count_delta : 0);
    for (int i = 0; i < written; ++i) {
        if (i > 0) buffer.push_back(',');
        const int column = layout_.columns[size_t(i)];
        buffer.append(column == kExtraColumn ? std::string_view("m") : fields[size_t(column)]);
    }
    for (int i = 0; i < field_count_delta; ++i) buffer.append(",extra");
    out.maybe_flush();
}

void RowWriter::finish(OutputFile& out) {
    std::string& buffer = out.buffer();
    if (layout_.final_newline) buffer.append(layout_.crlf ? "\r\n" : "\n");
    if (layout_.trailing_blank_lines) buffer.append(layout_.crlf ? "\r\n\r\n" : "\n \n");
}

}  // namespace ledger_gen
