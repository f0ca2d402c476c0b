// One run of the job on every rank: ingest, replay, gather, write. Returns the exit code, the same on
// every rank; rank 0 also fills the run summary for the report and the metrics.
#pragma once

#include "ledger/mpi/exchange.hpp"
#include "ledger/run_summary.hpp"
#include "options.hpp"

namespace ledger {

int run_job(const Options& options, mpi::Exchange& exchange, RunSummary& summary);

}  // namespace ledger
