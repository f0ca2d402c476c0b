// The accounts of a workload: how many per country, which country each account is in, their ids and
// opening balances, and accounts.csv itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "options.hpp"
#include "random.hpp"

namespace ledger_gen {

class Population {
public:
    explicit Population(const Options& options);

    uint64_t account_count() const { return options_.accounts; }
    uint64_t country_count() const { return country_names_.size(); }
    uint64_t members_in(uint32_t country) const { return group_begin_[country + 1] - group_begin_[country]; }
    // The account (its position in accounts.csv) that is member k of `country`.
    uint64_t member(uint32_t country, uint64_t k) const { return position_of(group_begin_[country] + k); }
    uint32_t country_of(uint64_t account) const;

    // The id of account `index`. Indices at or past account_count() give ids that are in no accounts
    // file of this workload: that is how unknown accounts are made.
    void append_id(std::string& out, uint64_t index) const;

    void write_accounts_file(const std::string& path) const;

private:
    // Accounts are numbered country by country ("grouped" order); an affine permutation modulo the
    // account count scatters them over the file. Computed, not stored: at millions of accounts a table
    // lookup per transfer is a cache miss that would dominate the generator's run time.
    uint64_t position_of(uint64_t grouped) const {
        return (grouped * stride_ + shift_) % options_.accounts;  // < 2^64: accounts <= 2^32
    }
    uint64_t grouped_of(uint64_t position) const {
        const uint64_t n = options_.accounts;
        return (position + n - shift_) % n * inverse_stride_ % n;
    }

    const Options& options_;
    std::vector<std::string> country_names_;
    std::vector<uint64_t> group_begin_;  // country c holds grouped indices [group_begin_[c], group_begin_[c+1])
    uint64_t stride_ = 1, inverse_stride_ = 1, shift_ = 0;
};

}  // namespace ledger_gen
