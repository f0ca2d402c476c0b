#include "numbered_ids.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "ledger/bad_rows.hpp"
#include "ledger/prefault.hpp"
#include "ledger/records.hpp"
#include "step.hpp"

namespace ledger {
namespace {

// An account as the id table gathers it.
struct KeyCountry {
    uint32_t key, country;
};

// Every rank's accounts, in rank order and so in file order; sizes[r] bytes of them from rank r.
mpi::Bytes gather_countries(const AccountShare& share, mpi::Exchange& exchange, std::vector<uint64_t>* sizes) {
    mpi::Bytes mine;
    reserve_huge(mine, share.table.size() * sizeof(KeyCountry));
    for (size_t i = 0; i < share.table.size(); ++i) mpi::append_value(mine, KeyCountry{share.keys[i], share.country[i]});
    return exchange.all_gather_joined(mine, sizes);
}

// Where an account is in the gathered accounts: the rank that read it and its row in that rank's share.
struct SharePlace {
    int rank = -1;
    size_t row = 0;
};

// The first account in file order whose key an earlier one has, and that earlier one.
struct Duplicate {
    SharePlace repeat, first;
    uint32_t key = 0;
};

// The place of the index-th gathered account.
SharePlace place_in_shares(size_t index, std::span<const uint64_t> sizes) {
    SharePlace place{0, index};
    while (place.row * sizeof(KeyCountry) >= sizes[size_t(place.rank)])
        place.row -= sizes[size_t(place.rank++)] / sizeof(KeyCountry);
    return place;
}

std::optional<Duplicate> fill_countries(std::span<const char> gathered, std::span<const uint64_t> sizes,
                                        std::vector<uint32_t>& country) {
    mpi::ByteReader in(gathered);
    for (size_t i = 0; !in.done(); ++i) {
        const KeyCountry account = in.value<KeyCountry>();
        if (account.key + size_t{1} >= country.size())  // the last key is for ids that are not numbers
            fail(ExitCode::internal, "an account number outside the accounts' span");
        if (country[account.key] == kUnknownAccount) {
            country[account.key] = account.country;
            continue;
        }
        mpi::ByteReader again(gathered);  // the first copy, found again
        size_t first = 0;
        while (again.value<KeyCountry>().key != account.key) ++first;
        return Duplicate{place_in_shares(i, sizes), place_in_shares(first, sizes), account.key};
    }
    return std::nullopt;
}

}  // namespace

bool resolves_by_id_table(const AccountShare& share) {
    uint64_t max_accounts = uint64_t{INT32_MAX} / sizeof(KeyCountry);
    // Test-only (tests/e2e/scale_out.sh): a lower limit, so that integer ids can take the directory in a
    // test, as they do past the limit.
    if (const char* text = std::getenv("LEDGER_TEST_ID_TABLE_MAX_ACCOUNTS"); text && *text)
        max_accounts = std::strtoull(text, nullptr, 10);
    return share.ids_are_numbers && share.total <= max_accounts;
}

std::vector<uint32_t> replicate_countries(const AccountShare& share, const std::string& accounts_path,
                                          BadRowPolicy policy, mpi::Exchange& exchange) {
    std::vector<uint32_t> country;
    std::optional<Duplicate> duplicate;
    {
        std::vector<uint64_t> sizes;
        const mpi::Bytes gathered = gather_countries(share, exchange, &sizes);
        step(exchange, [&] {
            assign_huge(country, size_t(share.numbers) + 1, kUnknownAccount);
            duplicate = fill_countries(gathered, sizes, country);
        });
    }
    // Every rank found the same duplicate, if any; the lines of its two rows are known where they were read.
    std::vector<uint64_t> lines(2, 0);
    if (duplicate) {
        if (duplicate->repeat.rank == exchange.rank()) lines[0] = share.table.line[duplicate->repeat.row];
        if (duplicate->first.rank == exchange.rank()) lines[1] = share.table.line[duplicate->first.row];
        exchange.sum_in_place(lines);
    }
    step(exchange, [&] {
        std::optional<LedgerError> earliest = policy == BadRowPolicy::fail ? first_bad_row(share) : std::nullopt;
        if (duplicate && (!earliest || lines[0] < earliest->order()))
            earliest = LedgerError(ExitCode::bad_input,
                                   accounts_path + ":" + std::to_string(lines[0]) + ": duplicate account '" +
                                       std::to_string(share.number_base + duplicate->key) + "', first defined at line " +
                                       std::to_string(lines[1]),
                                   lines[0]);
        if (earliest) throw *earliest;
    });
    return country;
}

std::vector<uint32_t> places_in_key_order(std::span<const uint32_t> key_country, std::span<const int> owner) {
    std::vector<uint32_t> place;
    assign_huge(place, key_country.size(), kUnknownAccount);
    std::vector<uint32_t> next(owner.empty() ? 0 : size_t(*std::max_element(owner.begin(), owner.end())) + 1, 0);
    for (size_t key = 0; key < place.size(); ++key) {
        if (key_country[key] == kUnknownAccount) continue;
        uint32_t& n = next[size_t(owner[key_country[key]])];
        if (n == kUnknownAccount) fail(ExitCode::internal, "one rank would replay 4 billion accounts or more");
        place[key] = n++;
    }
    return place;
}

std::vector<uint32_t> places_of_share(const AccountShare& share, std::span<const uint32_t> key_place) {
    std::vector<uint32_t> places;
    reserve_huge(places, share.table.size());
    for (size_t i = 0; i < share.table.size(); ++i) places.push_back(key_place[share.keys[i]]);
    return places;
}

}  // namespace ledger
