// The account ids a rank's transactions name, each given a small key. A rank of the parallel ingest holds
// no accounts table while it parses (each rank parses a share of the accounts file, and no rank holds
// them all); it names a transfer's accounts by these keys, and resolve_ids later learns, once per
// distinct id, whether the account exists, its country and where it is replayed. Ids are compared as
// bytes; a hash only chooses where to look.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ledger {

class IdDictionary {
public:
    // Any ids: each distinct id gets the next key in order of first sight, found again by hash.
    IdDictionary() = default;
    // When every account's id is a canonical decimal integer in [number_base, number_base + numbers) (see
    // canonical_number), as the ranks learn from their shares of the accounts file: an id's key is its
    // value less number_base, with no table to look in, and every other id gets the one key `numbers`,
    // which no account has.
    IdDictionary(uint64_t number_base, uint64_t numbers);

    // Where `id` is looked up: its hash, or its key when ids are numbered. Computed once per id, for
    // prefetch() and then intern() a few rows later.
    uint64_t locate(std::string_view id) const;
    // A hint: the memory intern() will touch for this locator, fetched ahead.
    void prefetch(uint64_t locator) const;
    // The key of `id` (whose locator is `locator`).
    uint32_t intern(std::string_view id, uint64_t locator);
    uint32_t intern(std::string_view id) { return intern(id, locate(id)); }

    // Every key is below key_count().
    size_t key_count() const { return by_number_ ? size_t(numbers_) + 1 : offsets_.size() - 1; }
    // Calls f(key, id) for every id interned (not the numbered form's key for non-numbers), by key.
    template <class F>
    void for_each_id(F f) const;

private:
    static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
    struct Slot {
        uint64_t hash;
        uint32_t key;
    };
    void grow();
    // By hash: open addressing in a power of two at most half full, the ids back to back in key order.
    std::vector<Slot> slots_;
    std::string bytes_;
    std::vector<uint64_t> offsets_{0};
    // By value: which values the rank's transactions named, one bit each.
    std::vector<uint64_t> seen_;
    uint64_t number_base_ = 0, numbers_ = 0;
    bool by_number_ = false;
};

template <class F>
void IdDictionary::for_each_id(F f) const {
    if (!by_number_) {
        for (uint32_t key = 0; key + 1 < offsets_.size(); ++key)
            f(key, std::string_view(bytes_).substr(offsets_[key], offsets_[key + 1] - offsets_[key]));
        return;
    }
    char text[24];
    for (size_t word = 0; word < seen_.size(); ++word)
        for (uint64_t bits = seen_[word]; bits != 0; bits &= bits - 1) {
            const uint64_t key = word * 64 + uint64_t(__builtin_ctzll(bits));
            const auto end = std::to_chars(text, text + sizeof text, number_base_ + key).ptr;
            f(uint32_t(key), std::string_view(text, size_t(end - text)));
        }
}

}  // namespace ledger
