// Stage 5b: the rejected transfers in global replay order (instant, then input order), each rank writing
// one contiguous range. Each rejection first goes back to the rank that parsed its row, which reads its own
// share of the files again, forward (ForwardReader), and formats its rejected rows with the values exactly
// as written (with --rejected-columns traced, after numbering their lines). The formatted rows are then
// sorted in replay order, the ranks agree on splitters from weighted regular samples of the sorted lists,
// and one exchange sends each row's text to the rank whose range holds it, which merges the sorted runs.
// No rank reads more of the input than its share, and each range is within a few percent of even.
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
