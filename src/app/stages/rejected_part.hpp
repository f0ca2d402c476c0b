// Stage 5b: the rejected transfers in global replay order (instant, then input order), each rank writing
// one contiguous range. Each rank sorts its own rejections (those it found at parse time and in replay),
// the ranks agree on splitters sampled at regular intervals from the sorted lists, and one exchange sends
// every rejection to the rank whose range holds it. Rows are read again from the transactions files, so
// that their values appear exactly as written.
#pragma once

#include <vector>

#include "ledger/mpi/exchange.hpp"
#include "ledger/records.hpp"
#include "output_part.hpp"
#include "transfer_share.hpp"

namespace ledger {

// Collective. Returns this rank's range of the rejected file (rank 0 also writes the header).
OutputPart rejected_part(std::vector<Rejection> rejections, const TransferShare& share, mpi::Exchange& exchange);

}  // namespace ledger
