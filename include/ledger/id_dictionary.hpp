// The account ids a rank's transactions name, each given a small key in order of first sight. A rank of
// the parallel ingest holds no accounts table while it parses (each rank parses a share of the accounts
// file, and no rank holds them all); it names a transfer's accounts by these keys, and resolve_ids later
// learns, once per distinct id, whether the account exists, its country and where it is replayed.
// Ids are compared as bytes; the hash only chooses where to look.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ledger {

class IdDictionary {
public:
    // Any ids: found by hash.
    IdDictionary() = default;
    // When every account's id is a canonical decimal integer in [number_base, number_base + numbers) (see
    // canonical_number), as the ranks learn from their shares of the accounts file: an id is found by its
    // value in a table of `numbers` keys, one memory access where the hash takes three, and an id that is
    // not such a number gets key 0, kept for "no account has this id".
    IdDictionary(uint64_t number_base, uint64_t numbers);

    // Where `id` is looked up: its place in the table of values, or its hash. Computed once per id, for
    // prefetch() and then intern() a few rows later.
    uint64_t locate(std::string_view id) const;
    // A hint: the memory intern() will read for this locator, fetched ahead.
    void prefetch(uint64_t locator) const;
    // The key of `id` (whose locator is `locator`): the one it was given before, or the next free one.
    uint32_t intern(std::string_view id, uint64_t locator);
    uint32_t intern(std::string_view id) { return intern(id, locate(id)); }

    size_t size() const { return offsets_.size() - 1; }
    std::string_view id(uint32_t key) const {
        return std::string_view(bytes_).substr(offsets_[key], offsets_[key + 1] - offsets_[key]);
    }
    // All ids, back to back in key order, and where each starts (size() + 1 offsets).
    const std::string& bytes() const { return bytes_; }
    const std::vector<uint64_t>& offsets() const { return offsets_; }

private:
    static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
    struct Slot {
        uint64_t hash;
        uint32_t key;
    };
    void grow();
    uint32_t add(std::string_view id);
    static constexpr uint64_t kNoEntry = UINT64_MAX;
    uint64_t number_entry(std::string_view id) const;  // where in key_of_number_ `id` belongs, or kNoEntry
    std::vector<Slot> slots_;  // open addressing, a power of two, at most half full
    // By value: key_of_number_[value - number_base_], kEmpty until the id is first seen.
    std::vector<uint32_t> key_of_number_;
    uint64_t number_base_ = 0;
    bool by_number_ = false;
    std::string bytes_;
    std::vector<uint64_t> offsets_{0};
};

}  // namespace ledger
