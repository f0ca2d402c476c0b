// Stage 2 of the parallel ingest: account ids resolved through a distributed directory. The home rank of
// an id is a hash of its bytes; each home holds only the accounts hashed to it and answers, for the ids
// that the ranks' transactions name, whether the account exists, its country and, once countries have
// owners, its place among the accounts of the rank that replays it. Ids are compared as bytes: the hash
// only picks the rank, so a collision can never change a result. Duplicate accounts are found at their
// home, which sees every copy of an id.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "account_share.hpp"
#include "ledger/accounts.hpp"
#include "ledger/id_dictionary.hpp"
#include "ledger/mpi/exchange.hpp"

namespace ledger {

// The rank that holds `id` in the directory, the same on every rank and every build (for ids that are
// not all dense integers; those are homed by value, see AccountDirectory).
int home_rank_of(std::string_view id, int ranks);

class AccountDirectory {
public:
    // Collective. Sends every account of `share` to its home. Throws (agreed by every rank) the earliest
    // failure in file order among the duplicates and, under --on-bad-row fail, the accounts file's bad
    // rows, with the same message a single sequential read gives.
    static AccountDirectory build(const AccountShare& share, const std::string& accounts_path, BadRowPolicy policy,
                                  mpi::Exchange& exchange);

    // Collective. Per key of `ids`: the country of the account with that id, or kUnknownAccount.
    std::vector<uint32_t> resolve_countries(const IdDictionary& ids, mpi::Exchange& exchange);

    // Collective, after resolve_countries. `share_slots` gives, per account of `share`, its place among
    // the accounts of its owner. Returns, per key of the ids resolved before (key_count of them), that
    // place, or kUnknownAccount for an id that is no account's.
    std::vector<uint32_t> resolve_slots(const AccountShare& share, std::span<const uint32_t> share_slots,
                                        size_t key_count, mpi::Exchange& exchange);

    size_t accounts_held() const { return table_.country.size(); }

private:
    // The home of an account of a share, as build() and resolve_slots() send it.
    int home_of(std::string_view id) const;
    // When the accounts' ids are dense integers (AccountShare::ids_are_numbers), an id is named by its
    // key (value less the base, as IdDictionary's numbered form), homed at key % ranks and found at
    // row_of_key_[key / ranks]: no text, no hash. Otherwise by its bytes, in table_'s hash index.
    bool by_number_ = false;
    uint64_t number_base_ = 0;
    int ranks_ = 1;
    std::vector<uint32_t> row_of_key_;
    AccountTable table_;  // the accounts homed here, in file order: country and line (and ids, by hash)
    std::vector<uint32_t> rows_from_;  // how many of them each rank sent
    // Per requesting rank, per id it asked for: the row of table_ that has it, or kUnknownAccount.
    std::vector<std::vector<uint32_t>> found_;
    // At the requester: per home rank, the keys asked of it, in the order asked.
    std::vector<std::vector<uint32_t>> asked_;
};

}  // namespace ledger
