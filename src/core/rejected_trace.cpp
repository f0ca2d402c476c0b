#include "ledger/rejected_trace.hpp"

#include <algorithm>

#include "ledger/errors.hpp"
#include "ledger/output.hpp"

namespace ledger {

void number_rejected_lines(std::span<TracedRejection> rejections, std::span<const LinePoint> starts,
                           const LineFeedCounter& count_line_feeds) {
    std::sort(rejections.begin(), rejections.end(),
              [](const TracedRejection& a, const TracedRejection& b) { return a.position() < b.position(); });
    std::vector<LinePoint> at(starts.begin(), starts.end());  // each file's last counted point
    for (TracedRejection& r : rejections) {
        const uint32_t file = position_file(r.position());
        const uint64_t offset = position_offset(r.position());
        if (file >= at.size() || offset < at[file].offset)
            fail(ExitCode::internal, "rejected row at byte " + std::to_string(offset) + " of transactions file " +
                                         std::to_string(file + 1) + " lies before the point its line is counted from");
        at[file].line += count_line_feeds(file, at[file].offset, offset);
        at[file].offset = offset;
        r.line = at[file].line;
    }
}

std::vector<std::string> header_fields(std::string_view file_text) {
    CsvReader reader(file_text);
    CsvRow row;
    if (!reader.next(row)) return {};
    return {row.fields.begin(), row.fields.end()};
}

TracedRejectedRows::TracedRejectedRows(std::vector<std::string> file_names,
                                       std::span<const std::vector<std::string>> fields,
                                       std::span<const HeaderMap> headers)
    : file_names_(std::move(file_names)), headers_(headers.begin(), headers.end()) {
    // (name, occurrence within its header) -> extra column
    std::map<std::pair<std::string_view, size_t>, int> column_of;
    for (size_t f = 0; f < fields.size(); ++f) {
        std::vector<int>& mine = extra_field_.emplace_back();
        std::map<std::string_view, size_t> seen;
        for (size_t i = 0; i < fields[f].size(); ++i) {
            const std::vector<int>& required = headers_[f].column;
            if (std::find(required.begin(), required.end(), int(i)) != required.end()) continue;
            const std::string_view name = fields[f][i];
            const auto [found, added] = column_of.try_emplace({name, seen[name]++}, int(extra_names_.size()));
            if (added) extra_names_.emplace_back(name);
            mine.resize(extra_names_.size(), -1);
            mine[size_t(found->second)] = int(i);
        }
    }
    for (std::vector<int>& mine : extra_field_) mine.resize(extra_names_.size(), -1);
}

std::string TracedRejectedRows::header() const {
    std::string out(kRejectedHeader.substr(0, kRejectedHeader.size() - 1));
    out += ",file,line";
    for (const std::string& name : extra_names_) {
        out.push_back(',');
        append_csv_field(out, name);
    }
    out.push_back('\n');
    return out;
}

void TracedRejectedRows::append_row(std::string& out, std::string_view row_text, uint32_t file, uint64_t line,
                                    Reason reason) const {
    const HeaderMap& header = headers_[file];
    CsvReader reader(row_text, 1, 1);  // offset 1: never treat the row start as a BOM
    CsvRow row;
    // A rejected row was read well formed; should it not be, its fields stay empty as in the plain file.
    const bool read = reader.next(row) && row.error.empty() && row.fields.size() == header.field_count;
    const auto field = [&](int index) { return read && index >= 0 ? row.fields[size_t(index)] : std::string_view(); };
    for (int column : header.column) {
        append_csv_field(out, field(column));
        out.push_back(',');
    }
    out += reason_name(reason);
    out.push_back(',');
    append_csv_field(out, file_names_[file]);
    out.push_back(',');
    out += std::to_string(line);
    for (int index : extra_field_[file]) {
        out.push_back(',');
        append_csv_field(out, field(index));
    }
    out.push_back('\n');
}

}  // namespace ledger
