// Stage 3 of the parallel ingest: every record goes to the rank that replays its country (its owner,
// assigned by load). Accounts travel with their opening balances from the rank that read them; transfers
// are grouped by owner where they were parsed, each group sorted there, and exchanged in place, so an
// owner holds one sorted run from every rank, which the replay merges.
#pragma once

#include <span>
#include <vector>

#include "account_share.hpp"
#include "ledger/mpi/exchange.hpp"
#include "rank_work.hpp"
#include "stage_clock.hpp"
#include "transfer_share.hpp"

namespace ledger {

// Collective. Per account of `share`, its place among the accounts of its owner when owners hold their
// accounts in file order: the count of the owner's accounts in lower ranks' shares (an exclusive prefix
// sum per owner) plus those before it in this share.
std::vector<uint32_t> place_accounts(const AccountShare& share, std::span<const int> owner, mpi::Exchange& exchange);

// Collective. Sends each account of `share` with its opening balance to its owner, where it takes the
// place `share_places` gives it among the accounts of `work`. Returns, per rank, the places of the accounts
// that came from it, in its order: where their closing balances are found to go back.
std::vector<std::vector<uint32_t>> send_accounts_to_owners(const AccountShare& share, std::span<const int128> opening,
                                                           std::span<const uint32_t> share_places,
                                                           std::span<const int> owner, RankWork& work,
                                                           mpi::Exchange& exchange);

// Collective. The share's transfers (static rejections already split off), whose keys key_country and
// key_place resolve, go to their owners as runs sorted for replay; the share's wide amounts go with them.
// transfers_per_owner counts the share's transfers by the rank that replays them.
void send_transfers_to_owners(TransferShare& share, std::span<const uint32_t> key_country,
                              std::span<const uint32_t> key_place, std::span<const uint64_t> transfers_per_owner,
                              std::span<const int> owner, RankWork& work, StageTimes& times, mpi::Exchange& exchange);

}  // namespace ledger
