#include "ledger/order.hpp"

#include <algorithm>
#include <boost/sort/pdqsort/pdqsort.hpp>

namespace ledger {

// Boost's pattern-defeating quicksort: as fast as std::sort on shuffled input, and close to linear on the
// nearly time-ordered input a day's log usually is (it detects and keeps sorted runs).
void sort_for_replay(std::span<Transfer> transfers) {
    boost::sort::pdqsort(transfers.begin(), transfers.end(),
                         [](const Transfer& a, const Transfer& b) { return replay_before(a, b); });
}

void sort_for_replay(std::span<Rejection> rejections) {
    std::sort(rejections.begin(), rejections.end(),
              [](const Rejection& a, const Rejection& b) { return replay_before(a, b); });
}

void sort_for_replay_reference(std::vector<Transfer>& transfers_in_input_order) {
    std::stable_sort(transfers_in_input_order.begin(), transfers_in_input_order.end(),
                     [](const Transfer& a, const Transfer& b) {
                         return a.order.instant_nanos() < b.order.instant_nanos();
                     });
}

}  // namespace ledger
