// Bad rows found by other ranks travel to rank 0, which alone writes the quarantine file.
#pragma once

#include <span>
#include <vector>

#include "ledger/bad_rows.hpp"
#include "ledger/mpi/exchange.hpp"

namespace ledger {

mpi::Bytes encode_bad_rows(std::span<const BadRow> rows);
// File names are not sent; they are looked up by file index in `file_names` (accounts file first).
void decode_bad_rows(std::span<const char> bytes, std::span<const std::string> file_names, std::vector<BadRow>& out);

}  // namespace ledger
