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
    // The same hash as the accounts table's (its top byte is the id's length).
    static uint64_t hash_of(std::string_view id);

    // A hint: the slot `hash` starts at, fetched ahead of an intern() a few rows later.
    void prefetch(uint64_t hash) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
    }
    // The key of `id` (whose hash_of is `hash`): the one it was given before, or the next free one.
    uint32_t intern(std::string_view id, uint64_t hash);
    uint32_t intern(std::string_view id) { return intern(id, hash_of(id)); }

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
    std::vector<Slot> slots_;  // open addressing, a power of two, at most half full
    std::string bytes_;
    std::vector<uint64_t> offsets_{0};
};

}  // namespace ledger
