#include "ledger/bad_rows.hpp"
#include "ledger/csv.hpp"
#include "ledger/errors.hpp"
#include "ledger/input_sniff.hpp"

namespace ledger {

HeaderMap resolve_header(const CsvRow& header, std::span<const std::string_view> required,
                         std::string_view file_name) {
    const std::string file(file_name);
    // Like a bad row's message: the file, the line, what is wrong and the header as read.
    // A file that is compressed, UTF-16 or not comma-separated is named for what it is, rather than for
    // the column that then seems to be missing.
    const auto header_error = [&](const std::string& what) {
        if (const SniffedProblem sniffed = sniff_unreadable_header(header.raw, required); !sniffed.what.empty()) {
            if (!sniffed.show_header)
                fail(ExitCode::bad_input, file + ":" + std::to_string(header.line) + ": " + sniffed.what);
            fail(ExitCode::bad_input, bad_row_message(file, header.line, sniffed.what, header.raw));
        }
        fail(ExitCode::bad_input, bad_row_message(file, header.line, what, header.raw));
    };
    if (!header.error.empty()) header_error("bad header: " + header.error);
    HeaderMap map;
    map.field_count = header.fields.size();
    for (std::string_view name : required) {
        int found = -1;
        for (size_t i = 0; i < header.fields.size(); ++i) {
            if (header.fields[i] != name) continue;
            if (found >= 0) header_error("column '" + std::string(name) + "' appears twice in the header");
            found = int(i);
        }
        if (found < 0) header_error("missing required column '" + std::string(name) + "' in the header");
        map.column.push_back(found);
    }
    return map;
}

std::string row_shape_problem(const CsvRow& row, const HeaderMap& header) {
    if (!row.error.empty()) return row.error;
    if (row.fields.size() != header.field_count) {
        std::string problem =
            "expected " + std::to_string(header.field_count) + " fields, found " + std::to_string(row.fields.size());
        // The usual cause of one field too many: a thousands separator (1,234.50) or a name holding a comma.
        if (row.fields.size() > header.field_count)
            problem += "; a value holding a comma must be in double quotes and an amount takes no thousands separator";
        return problem;
    }
    return "";
}

}  // namespace ledger
