#include "ledger/wide_amounts.hpp"

#include <algorithm>

#include "ledger/errors.hpp"

namespace ledger {

void store_amount(Transfer& t, int128 units, std::vector<WideAmount>& wide) {
    if (fits_in_record(units)) {
        t.amount = int64_t(units);
        return;
    }
    t.amount = kWideAmount;
    wide.push_back(WideAmount{units, t.position(), t.from, uint8_t(t.amount_scale()), t.reason()});
}

int128 wide_amount_at(std::span<const WideAmount> wide, uint64_t position) {
    const auto it = std::lower_bound(wide.begin(), wide.end(), position,
                                     [](const WideAmount& w, uint64_t p) { return w.position < p; });
    if (it == wide.end() || it->position != position)
        fail(ExitCode::internal, "internal error: the amount of the transfer at input position " +
                                     std::to_string(position) + " was lost between ranks");
    return it->units;
}

void sort_by_position(std::span<WideAmount> wide) {
    std::sort(wide.begin(), wide.end(), [](const WideAmount& a, const WideAmount& b) { return a.position < b.position; });
}

}  // namespace ledger
