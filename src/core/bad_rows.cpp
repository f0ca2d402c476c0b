#include "ledger/bad_rows.hpp"

#include "ledger/csv.hpp"
#include "ledger/errors.hpp"

namespace ledger {

std::string bad_row_message(std::string_view file, uint64_t line, std::string_view error, std::string_view raw) {
    std::string message(file);
    message += ":" + std::to_string(line) + ": ";
    message += error;
    message += " (" + excerpt(raw) + ")";
    return message;
}

std::string field_problem(std::string_view column, std::string_view value, std::string_view error) {
    std::string problem(column);
    problem += " '" + excerpt(value, 40) + "': ";
    problem += error;
    return problem;
}

void BadRowSink::add(uint32_t file_index, std::string_view file, uint64_t line, std::string_view error,
                     std::string_view raw) {
    if (policy_ == BadRowPolicy::fail)
        throw LedgerError(ExitCode::bad_input, bad_row_message(file, line, error, raw),
                          (uint64_t{file_index} << 48) | line);
    rows_.push_back(BadRow{file_index, line, std::string(file), std::string(error), std::string(raw)});
}

}  // namespace ledger
