// Whether the ranks' line-aligned shares of a file were read as one sequence: each share's first row must
// be where the share before it stopped. A cut that fell inside a quoted field spanning lines breaks that,
// and the reader then cuts again on true row starts (chunking.hpp).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ledger/mpi/exchange.hpp"

namespace ledger {

// Collective. For each file f, this rank's first row offset and the offset of the first row after its
// share (UINT64_MAX: none, or the end of the file). Returns, per file, whether the shares join up.
std::vector<bool> shares_join_up(mpi::Exchange& exchange, std::span<const uint64_t> first_rows,
                                 std::span<const uint64_t> next_rows);

}  // namespace ledger
