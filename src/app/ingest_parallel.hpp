// The scaling pipeline (`--ingest parallel`, the default), as a composition of the stages in stages/:
// every rank reads a share of the accounts and of the transactions; ids are resolved through a directory
// spread over the ranks; records go to the rank that replays their country; closing balances and
// rejections go to the ranks that write them; every rank writes its ranges of the outputs. No stage is
// done by one rank for all, and no rank holds more than its share of the accounts or the transfers.
#pragma once

#include "ledger/mpi/exchange.hpp"
#include "ops/progress.hpp"
#include "options.hpp"
#include "pipeline_outcome.hpp"
#include "stage_clock.hpp"

namespace ledger {

// Collective. Writes the outputs; rank 0 gets every rank's figures in the outcome.
PipelineOutcome run_parallel_pipeline(const Options& options, mpi::Exchange& exchange, StageTimes& times,
                                      ProgressReporter& progress);

}  // namespace ledger
