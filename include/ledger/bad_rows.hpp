// What happens to a bad row: with the default policy the first one stops the run with
// `file:line: what is wrong (the offending text)`; with `skip` it is kept, verbatim, for the quarantine file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ledger {

enum class BadRowPolicy { fail, skip };

struct BadRow {
    uint32_t file_index = 0;  // order of the file among all inputs (accounts file = 0, transactions 1..)
    uint64_t line = 0;
    std::string file;
    std::string error;
    std::string raw;
};

class BadRowSink {
public:
    explicit BadRowSink(BadRowPolicy policy) : policy_(policy) {}

    // Throws LedgerError(bad_input) under `fail`; records the row under `skip`.
    void add(uint32_t file_index, std::string_view file, uint64_t line, std::string_view error,
             std::string_view raw);

    BadRowPolicy policy() const { return policy_; }
    const std::vector<BadRow>& rows() const { return rows_; }
    std::vector<BadRow>& rows() { return rows_; }

private:
    BadRowPolicy policy_;
    std::vector<BadRow> rows_;
};

std::string bad_row_message(std::string_view file, uint64_t line, std::string_view error, std::string_view raw);

// What is wrong with one field of a row, naming the column and the value as read:
// `transferAmount '1,234.50': not a decimal number; expected ...`.
std::string field_problem(std::string_view column, std::string_view value, std::string_view error);

}  // namespace ledger
