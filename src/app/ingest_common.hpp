// Steps both ingest strategies share: opening balances at the run's scale, per-country load, and the
// accounts part of each rank's work.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "options.hpp"
#include "rank_work.hpp"

namespace ledger {

// Fails fast (before any heavy work) on an output path that cannot be written.
void check_output_paths(const Options& options);

// Opening balances rescaled to `scale`; an overflow is an input error naming the accounts row.
std::vector<int128> rescale_opening(const AccountTable& accounts, int scale, const std::string& file_name);

// Transfers that will be replayed (no static reason), counted by the sender's country.
std::vector<uint64_t> transfers_per_country(std::span<const Transfer> transfers, const AccountTable& accounts);

// Fills work.shape, owner and the accounts of the countries `rank` owns.
void add_accounts_of_rank(RankWork& work, const RunShape& shape, const std::vector<int>& owner,
                          const AccountTable& accounts, std::span<const int128> opening, int rank);

}  // namespace ledger
