#include "ledger/id_dictionary.hpp"

#include <cstring>

#include "ledger/accounts.hpp"
#include "ledger/errors.hpp"

namespace ledger {

IdDictionary::IdDictionary(uint64_t number_base, uint64_t numbers)
    : number_base_(number_base), numbers_(numbers), by_number_(true) {
    if (numbers >= kEmpty) fail(ExitCode::internal, "account numbers span more values than keys can name");
    seen_.assign((numbers + 63) / 64, 0);
}

uint64_t IdDictionary::locate(std::string_view id) const {
    if (!by_number_) return AccountTable::hash_id(id);  // the accounts table's hash: its top byte is the length
    const auto number = canonical_number(id);
    if (!number || *number < number_base_ || *number - number_base_ >= numbers_) return numbers_;
    return *number - number_base_;
}

void IdDictionary::prefetch(uint64_t locator) const {
    if (by_number_) {
        if (locator < numbers_) __builtin_prefetch(&seen_[locator / 64]);
    } else if (!slots_.empty()) {
        __builtin_prefetch(&slots_[locator & (slots_.size() - 1)]);
    }
}

uint32_t IdDictionary::intern(std::string_view id, uint64_t locator) {
    if (by_number_) {
        if (locator < numbers_) seen_[locator / 64] |= uint64_t{1} << (locator % 64);
        return uint32_t(locator);
    }
    const uint64_t hash = locator;
    if (2 * (key_count() + 1) > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        Slot& slot = slots_[i];
        if (slot.key == kEmpty) {
            if (key_count() >= kEmpty) fail(ExitCode::internal, "more than 4 billion distinct account ids on one rank");
            slot = Slot{hash, uint32_t(key_count())};
            bytes_.append(id);
            offsets_.push_back(bytes_.size());
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
