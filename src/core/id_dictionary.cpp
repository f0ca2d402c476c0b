#include "ledger/id_dictionary.hpp"

#include <cstring>

#include "ledger/accounts.hpp"
#include "ledger/errors.hpp"

namespace ledger {

IdDictionary::IdDictionary(uint64_t number_base, uint64_t numbers) : number_base_(number_base), by_number_(true) {
    key_of_number_.assign(numbers, kEmpty);
    add("");  // key 0: no account's id
}

uint32_t IdDictionary::add(std::string_view id) {
    if (size() >= kEmpty) fail(ExitCode::internal, "more than 4 billion distinct account ids on one rank");
    bytes_.append(id);
    offsets_.push_back(bytes_.size());
    return uint32_t(size() - 1);
}

uint64_t IdDictionary::number_entry(std::string_view id) const {
    const auto number = canonical_number(id);
    if (!number || *number < number_base_ || *number - number_base_ >= key_of_number_.size()) return kNoEntry;
    return *number - number_base_;
}

uint64_t IdDictionary::locate(std::string_view id) const {
    // The same hash as the accounts table's (its top byte is the id's length).
    return by_number_ ? number_entry(id) : AccountTable::hash_id(id);
}

void IdDictionary::prefetch(uint64_t locator) const {
    if (by_number_) {
        if (locator != kNoEntry) __builtin_prefetch(&key_of_number_[locator]);
    } else if (!slots_.empty()) {
        __builtin_prefetch(&slots_[locator & (slots_.size() - 1)]);
    }
}

uint32_t IdDictionary::intern(std::string_view id, uint64_t locator) {
    if (by_number_) {
        const uint64_t entry = locator;
        if (entry == kNoEntry) return 0;
        if (key_of_number_[entry] == kEmpty) key_of_number_[entry] = add(id);
        return key_of_number_[entry];
    }
    const uint64_t hash = locator;
    if (2 * (size() + 1) > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        Slot& slot = slots_[i];
        if (slot.key == kEmpty) {
            slot = Slot{hash, add(id)};
            return slot.key;
        }
        // The hash holds the length, so equal hashes compare ids of equal length.
        if (slot.hash == hash && (id.empty() || std::memcmp(bytes_.data() + offsets_[slot.key], id.data(), id.size()) == 0))
            return slot.key;
    }
}

void IdDictionary::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{0, kEmpty});
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (slot.key == kEmpty) continue;
        size_t i = slot.hash & mask;
        while (slots_[i].key != kEmpty) i = (i + 1) & mask;
        slots_[i] = slot;
    }
}

}  // namespace ledger
