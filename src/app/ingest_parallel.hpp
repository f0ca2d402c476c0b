// The scaling ingest (`--ingest parallel`): every rank parses a line-aligned share of every transactions
// file, sorts its share, and sends each record to the rank that owns its country in one all-to-all;
// owners merge the sorted runs they receive. Countries are assigned from the global per-country counts.
// Every rank parses the accounts file itself: it needs the id-to-index map anyway, and reading a shared
// file in parallel costs no more wall time than one rank reading it and broadcasting the bytes.
#pragma once

#include "ledger/mpi/exchange.hpp"
#include "options.hpp"
#include "rank_work.hpp"
#include "stage_clock.hpp"

namespace ledger {

// Collective. Fills `inputs` on every rank (rank 0 also gets every rank's bad rows) and returns this
// rank's work.
RankWork run_parallel_ingest(const Options& options, mpi::Exchange& exchange, RootState& inputs, StageTimes& times,
                             ProgressReporter& progress);

}  // namespace ledger
