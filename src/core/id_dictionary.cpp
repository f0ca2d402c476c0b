#include "ledger/id_dictionary.hpp"

#include <cstring>

#include "ledger/accounts.hpp"
#include "ledger/errors.hpp"

namespace ledger {

uint64_t IdDictionary::hash_of(std::string_view id) { return AccountTable::hash_id(id); }

uint32_t IdDictionary::intern(std::string_view id, uint64_t hash) {
    if (2 * (size() + 1) > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        Slot& slot = slots_[i];
        if (slot.key == kEmpty) {
            if (size() >= kEmpty) fail(ExitCode::internal, "more than 4 billion distinct account ids on one rank");
            slot = Slot{hash, uint32_t(size())};
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
