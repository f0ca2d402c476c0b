// Byte-level mutation of generated CSV rows, shared by the tests that hold a fast path to the general one.
#pragma once

#include <random>
#include <string>
#include <string_view>

namespace ledger_test {

// Replaces, inserts or deletes one byte of `row` with one of `bytes` (the characters that matter to what
// reads the row).
inline std::string mutate_one_byte(std::string row, std::mt19937_64& rng, std::string_view bytes) {
    const size_t at = row.empty() ? 0 : rng() % row.size();
    const char c = bytes[rng() % bytes.size()];
    switch (rng() % 3) {
        case 0: if (!row.empty()) row[at] = c; break;
        case 1: row.insert(row.begin() + std::ptrdiff_t(at), c); break;
        default: if (!row.empty()) row.erase(at, 1); break;
    }
    return row;
}

}  // namespace ledger_test
