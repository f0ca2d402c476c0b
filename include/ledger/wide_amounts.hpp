// Amounts too wide for a record (records.hpp): how a transfer's amount is stored and read back. A rank
// keeps its wide amounts in one vector sorted by position; they are rare (an amount needs 19 or more
// digits at the run's scale), so a lookup may cost a binary search.
#pragma once

#include <span>
#include <vector>

#include "ledger/records.hpp"

namespace ledger {

// Stores `units` as t's amount: in the record when it fits, else as a WideAmount appended to `wide`.
// t's position, sender, scale and reason must be set already, since the WideAmount copies them.
void store_amount(Transfer& t, int128 units, std::vector<WideAmount>& wide);

// The wide amount at `position`; a missing one is an internal error (a wide amount lost on the way).
int128 wide_amount_at(std::span<const WideAmount> wide, uint64_t position);

// t's amount, from `wide` (sorted by position) when t is wide.
inline int128 amount_of(const Transfer& t, std::span<const WideAmount> wide) {
    return t.wide() ? wide_amount_at(wide, t.position()) : int128(t.amount);
}

void sort_by_position(std::span<WideAmount> wide);

}  // namespace ledger
