// Cutting one file's data rows into line-aligned parts, one per rank, for the parallel ingest. A cut is
// put after a line feed; that is a row boundary unless a quoted field spans the line end, which the
// ingest detects (a part's first row is not where the previous part stopped) and then repairs with
// row_starts_at, which finds the true boundaries by reading the rows in order.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ledger {

// parts + 1 offsets: [data_start, c1, ..., text.size()], each cut just after a line feed, non-decreasing.
std::vector<uint64_t> propose_cuts(std::string_view text, uint64_t data_start, int parts);

// The same shape, each inner cut moved to the offset of the first real row starting at or after it (or
// the end of the text), found by reading every row from data_start.
std::vector<uint64_t> row_starts_at(std::string_view text, uint64_t data_start, std::span<const uint64_t> cuts);

}  // namespace ledger
