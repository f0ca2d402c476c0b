// Replay order: ascending instant, equal instants in input order. Positions are unique, so the key
// (instant, position) is a strict total order and any correct sort gives the same sequence.
#pragma once

#include <span>
#include <vector>

#include "ledger/records.hpp"

namespace ledger {

// The fast sort used by the job: records that look nearly in time order take sort_nearly_sorted, the
// rest (or those it gives up on) a quicksort.
void sort_for_replay(std::span<Transfer> transfers);
void sort_for_replay(std::span<Rejection> rejections);

// Sorts records that are nearly in time order in two passes; returns false, leaving them in some other
// order, when more than one in eight is out of place. Named here for the tests.
bool sort_nearly_sorted(std::span<Transfer> transfers);

// The plain reference twin: a stable sort by instant alone of records already in input order.
void sort_for_replay_reference(std::vector<Transfer>& transfers_in_input_order);

}  // namespace ledger
