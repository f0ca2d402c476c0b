// Stage 2 of the parallel ingest: account ids resolved through a distributed directory. The home rank of
// an id is a hash of its bytes; each home holds only the accounts hashed to it and answers, for the ids
// that the ranks' transactions name, whether the account exists, its country and, once countries have
// owners, its place among the accounts of the rank that replays it. Ids are compared as bytes: the hash
// only picks the rank, so a collision can never change a result. Duplicate accounts are found at their
// home, which sees every copy of an id. When every id is a dense integer, a table of every id's country,
// held by every rank, takes the directory's place (numbered_ids.hpp): it is smaller and faster there.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "account_share.hpp"
#include "ledger/accounts.hpp"
#include "ledger/id_dictionary.hpp"
#include "ledger/mpi/exchange.hpp"

namespace ledger {

// The rank that holds `id` in the directory, the same on every rank and every build.
int home_rank_of(std::string_view id, int ranks);

class AccountDirectory {
public:
    // Collective. Sends every account of `share` to its home (or, numbered, to every rank). Throws (agreed by every rank) the earliest
    // failure in file order among the duplicates and, under --on-bad-row fail, the accounts file's bad
    // rows, with the same message a single sequential read gives.
    static AccountDirectory build(const AccountShare& share, const std::string& accounts_path, BadRowPolicy policy,
                                  mpi::Exchange& exchange);

    // Collective. Per key of `ids`: the country of the account with that id, or kUnknownAccount.
    std::vector<uint32_t> resolve_countries(const IdDictionary& ids, mpi::Exchange& exchange);

    // Collective, after resolve_countries; not for numbered ids. `share_slots` gives, per account of `share`, its place among
    // the accounts of its owner. Returns, per key of the ids resolved before (key_count of them), that
    // place, or kUnknownAccount for an id that is no account's.
    std::vector<uint32_t> resolve_slots(const AccountShare& share, std::span<const uint32_t> share_slots,
                                        size_t key_count, mpi::Exchange& exchange);

    size_t accounts_held() const { return table_.country.size(); }

private:
    // When the accounts' ids are dense integers (AccountShare::ids_are_numbers) there is no directory:
    // every rank holds every id's country (numbered_ids.hpp).
    bool by_number_ = false;
    std::vector<uint32_t> country_of_key_;
    int ranks_ = 1;
    AccountTable table_;  // the accounts homed here, in file order: country, line and id, by hash
    std::vector<uint32_t> rows_from_;  // how many of them each rank sent
    // Per requesting rank, per id it asked for: the row of table_ that has it, or kUnknownAccount.
    std::vector<std::vector<uint32_t>> found_;
    // At the requester: per home rank, the keys asked of it, in the order asked.
    std::vector<std::vector<uint32_t>> asked_;
};

}  // namespace ledger
