// Stage 2 of the parallel ingest when every account id is a dense integer (AccountShare::ids_are_numbers):
// instead of asking a directory, every rank holds the country of every id, indexed by the id's value less
// the base (the key IdDictionary's numbered form gives). The rank's transactions already name accounts by
// that key, so resolving them is an array read. The table costs 4 bytes per possible id on every rank
// (and 4 more for the places while the records are routed), the size of the per-key answers the
// directory would have returned anyway, and it is built with one all-gather of 8 bytes per account
// instead of the directory's three rounds per distinct id.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "account_share.hpp"
#include "ledger/mpi/exchange.hpp"

namespace ledger {

// Whether the ids of `share`'s file are resolved through the dense id table: they are dense integers
// (AccountShare::ids_are_numbers), and the table's all-gather of 8 bytes an account stays under MPI's
// 2 GiB count limit. Otherwise they go through the directory (resolve_ids.hpp), which takes any ids.
bool resolves_by_id_table(const AccountShare& share);

// Collective. Per key (share.numbers + 1 of them: the last names every id that is not a number), the
// country of the account with that id, or kUnknownAccount. Throws (agreed by every rank) the earliest
// failure in file order among the duplicates and, under --on-bad-row fail, the accounts file's bad rows,
// with the message a sequential read gives.
std::vector<uint32_t> replicate_countries(const AccountShare& share, const std::string& accounts_path,
                                          BadRowPolicy policy, mpi::Exchange& exchange);

// Per key (as key_country, which replicate_countries gave), the account's place among the accounts of
// its country's owner, or kUnknownAccount for a key that is no account's. Owners hold their accounts in
// key order, so every rank works every place out alone, with no message.
std::vector<uint32_t> places_in_key_order(std::span<const uint32_t> key_country, std::span<const int> owner);

// Per account of `share`, its place as key_place gives it.
std::vector<uint32_t> places_of_share(const AccountShare& share, std::span<const uint32_t> key_place);

}  // namespace ledger
