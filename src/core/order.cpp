#include "ledger/order.hpp"

#include <algorithm>

namespace ledger {

void sort_for_replay(std::span<Transfer> transfers) {
    std::sort(transfers.begin(), transfers.end(),
              [](const Transfer& a, const Transfer& b) { return replay_before(a, b); });
}

void sort_for_replay(std::span<Rejection> rejections) {
    std::sort(rejections.begin(), rejections.end(),
              [](const Rejection& a, const Rejection& b) { return replay_before(a, b); });
}

void sort_for_replay_reference(std::vector<Transfer>& transfers_in_input_order) {
    std::stable_sort(transfers_in_input_order.begin(), transfers_in_input_order.end(),
                     [](const Transfer& a, const Transfer& b) { return a.instant() < b.instant(); });
}

}  // namespace ledger
