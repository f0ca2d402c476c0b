// The design's own ingest (`--ingest root`): rank 0 reads and parses everything, sorts the transfers into
// replay order, assigns countries to ranks by load and cuts one piece of work per rank.
#pragma once

#include <vector>

#include "ledger/mpi/exchange.hpp"
#include "options.hpp"
#include "pipeline_outcome.hpp"
#include "rank_work.hpp"
#include "stage_clock.hpp"

namespace ledger {

// Rank 0 only. Fills `root` and returns the work of every rank (rank 0's own at index 0).
std::vector<RankWork> prepare_root_ingest(const Options& options, RootState& root, StageTimes& times, int ranks,
                                          ProgressReporter& progress);

// Collective: rank 0 prepares, then scatters each rank its work. Returns this rank's work.
RankWork run_root_ingest(const Options& options, mpi::Exchange& exchange, RootState& root, StageTimes& times,
                         ProgressReporter& progress);

// The whole root pipeline, collective: the root ingest, the replay on every rank, every rank's closing
// balances and rejections gathered to rank 0, which writes the outputs. Rank 0 gets every rank's figures.
PipelineOutcome run_root_pipeline(const Options& options, mpi::Exchange& exchange, StageTimes& times,
                                  ProgressReporter& progress);

}  // namespace ledger
