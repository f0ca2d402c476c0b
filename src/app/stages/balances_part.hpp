// Stage 5a: the closing balances go back from the rank that replayed them to the rank that read the
// account, which writes the balances of its share of the accounts file: one contiguous range of the
// output, in accounts-file order.
#pragma once

#include <span>
#include <vector>

#include "account_share.hpp"
#include "ledger/mpi/exchange.hpp"
#include "output_part.hpp"

namespace ledger {

// Collective. `closing` is this rank's replayed accounts' balances, in place order; places_from[r] are the
// places of the accounts that came from rank r, in its order (send_accounts_to_owners). Returns the
// closing balance of every account of `share`.
std::vector<int128> return_closing_balances(const AccountShare& share, std::span<const int> owner,
                                            std::span<const int128> closing,
                                            std::span<const std::vector<uint32_t>> places_from, mpi::Exchange& exchange);

// Collective. This rank's rows of the balances file (rank 0 also writes the header).
OutputPart balances_part(const AccountShare& share, std::span<const int128> closing, int scale, mpi::Exchange& exchange);

}  // namespace ledger
