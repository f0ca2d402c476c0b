#include "ledger/order.hpp"

#include <algorithm>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <vector>

namespace ledger {
namespace {

// Boost's pattern-defeating quicksort, in its branchless form (BlockQuicksort partitioning), takes what is
// not nearly sorted: the key compare is branch-free, so a partition does not stall on mispredicted
// branches: on records shaped like a rank's after the exchange (its own half nearly time-ordered, the
// received half in no order) it beat the branching form clearly (CHANGELOG.md has the figures).
template <class Record>
void general_sort(std::span<Record> records) {
    boost::sort::pdqsort_branchless(records.begin(), records.end(),
                                    [](const Record& a, const Record& b) { return replay_before(a, b); });
}

// Whether the records look nearly in order: at most one in kMaxLateShare of evenly spread neighbour pairs
// is out of order. Costs a few thousand reads; it spares the full scan of sort_nearly_sorted on records
// that are far from sorted (a day not exported in time order).
template <class Record>
bool looks_nearly_sorted(std::span<const Record> records, size_t max_late_share) {
    constexpr size_t kSamples = 2048;
    if (records.size() < 2 * kSamples) return false;  // small: the general sort is as quick
    const size_t step = (records.size() - 1) / kSamples;
    size_t descents = 0;
    for (size_t s = 0; s < kSamples; ++s)
        if (replay_before(records[s * step + 1], records[s * step])) ++descents;
    return descents * max_late_share <= kSamples;
}

// Sorts records that are nearly in order, as a day exported in time order is: a few rows dated earlier or
// later than their neighbours (ledger-gen's M: 0.9 % of rows are earlier than the row before, by up to a
// week). One pass keeps the records in order, compacted forward, and sets the others aside; those few are
// sorted, and the two sorted runs are merged from the back into the records' own room: two passes over
// the records instead of a quicksort's many. A record earlier than the last one kept is set aside, unless
// the last few kept (up to kMaxEarly = 8) are what is out of place, being later than it and than the record
// before them: one row dated a week ahead would otherwise set aside every row of that week.
// Returns false, with the records in some order, when more than one in max_late_share would be set
// aside: then it is no cheaper than the general sort, and the room set aside stays small.
template <class Record>
bool sort_nearly_sorted(std::span<Record> records, size_t max_late_share) {
    constexpr size_t kMaxEarly = 8;
    const size_t n = records.size(), max_late = n / max_late_share;
    std::vector<Record> late;
    late.reserve(max_late + kMaxEarly);  // address space: resident only as far as it is written
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i) {
        const Record r = records[i];
        if (kept == 0 || !replay_before(r, records[kept - 1])) {
            records[kept++] = r;
            continue;
        }
        // Where r would go among the last kMaxEarly kept records.
        size_t at = kept - 1;
        const size_t lowest = kept > kMaxEarly ? kept - kMaxEarly : 0;
        while (at > lowest && replay_before(r, records[at - 1])) --at;
        if (at == 0 || !replay_before(r, records[at - 1])) {
            late.insert(late.end(), records.begin() + std::ptrdiff_t(at), records.begin() + std::ptrdiff_t(kept));
            records[at] = r;
            kept = at + 1;
        } else {
            late.push_back(r);
        }
        if (late.size() > max_late) {
            // The records set aside fill exactly the gap [kept, i + 1) the compaction left.
            std::copy(late.begin(), late.end(), records.begin() + std::ptrdiff_t(kept));
            return false;
        }
    }
    general_sort(std::span(late));
    // Positions are unique, so no two keys are equal and the merge has no ties to order.
    size_t a = kept, b = late.size(), to = n;
    while (b > 0) {
        if (a > 0 && replay_before(late[b - 1], records[a - 1]))
            records[--to] = records[--a];
        else
            records[--to] = late[--b];
    }
    return true;
}

// Past one in eight set aside, the two-pass sort gives up. One in eight: ledger-gen's D, whose dates
// without seconds fall up to a minute before their neighbours, sets aside 7.4 % of its rows (M: 1 %); at
// one in sixteen it was given up on after most of a scan.
constexpr size_t kMaxLateShare = 8;

template <class Record>
void sort_records(std::span<Record> records) {
    if (looks_nearly_sorted<Record>(records, kMaxLateShare) && sort_nearly_sorted(records, kMaxLateShare)) return;
    general_sort(records);
}

}  // namespace

bool sort_nearly_sorted(std::span<Transfer> transfers) { return sort_nearly_sorted(transfers, kMaxLateShare); }

void sort_for_replay(std::span<Transfer> transfers) { sort_records(transfers); }

void sort_for_replay(std::span<Rejection> rejections) { sort_records(rejections); }

void sort_for_replay_reference(std::vector<Transfer>& transfers_in_input_order) {
    std::stable_sort(transfers_in_input_order.begin(), transfers_in_input_order.end(),
                     [](const Transfer& a, const Transfer& b) {
                         return a.order.instant_nanos() < b.order.instant_nanos();
                     });
}

}  // namespace ledger
