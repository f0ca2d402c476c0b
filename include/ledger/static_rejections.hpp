// The transfers rejected before any replay (unknown account, same account, other country, invalid
// amount: the static reasons) leave the records to replay here, as rejections in their own list.
#pragma once

#include <span>
#include <vector>

#include "ledger/records.hpp"
#include "ledger/replay.hpp"

namespace ledger {

// Transfers whose reasons are already decided (read against a whole accounts table): those with a static
// reason become rejections, counted in `totals`; the rest stay in order, with only their wide amounts.
void split_static_rejections(std::vector<Transfer>& transfers, std::vector<WideAmount>& wide,
                             std::vector<Rejection>& rejections, ReplayTotals& totals);

// The same for transfers read with interned keys (read_transfer_rows with an IdDictionary), in one pass
// with deciding their reasons: key_country[key] is the country of the account with that id, or
// kUnknownAccount when there is none. kept_per_country (a counter per country) counts the transfers
// left to replay by their sender's country, the load the countries' owners are assigned by. The keys stay
// as they are.
void resolve_static_rejections(std::vector<Transfer>& transfers, std::vector<WideAmount>& wide,
                               std::span<const uint32_t> key_country, std::vector<Rejection>& rejections,
                               ReplayTotals& totals, std::span<uint64_t> kept_per_country);

}  // namespace ledger
