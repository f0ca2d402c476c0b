// Stage 5b: the rejected transfers in global replay order (instant, then input order), each rank writing
// one contiguous range. Each rank sorts its own rejections (those it found at parse time and in replay),
// the ranks agree on splitters sampled at regular intervals from the sorted lists, and one exchange sends
// every rejection to the rank whose range holds it. Rows are read again from the transactions files, so
// that their values appear exactly as written. With --rejected-columns traced, each rejection first goes to
// the rank that parsed its row, which finds the row's line (rejected_trace.hpp).
#pragma once

#include <vector>

#include "ledger/mpi/exchange.hpp"
#include "ledger/records.hpp"
#include "options.hpp"
#include "output_part.hpp"
#include "transfer_share.hpp"

namespace ledger {

// Collective. Returns this rank's range of the rejected file (rank 0 also writes the header).
OutputPart rejected_part(std::vector<Rejection> rejections, const TransferShare& share, const Options& options,
                         mpi::Exchange& exchange);

}  // namespace ledger
