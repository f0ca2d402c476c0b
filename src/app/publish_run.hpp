// Writes what a run says about itself: the JSON report, the metrics file and the Pushgateway push. Used
// at the end of every run, for a bad command line, and by the termination report when a signal ends it.
#pragma once

#include "ledger/run_summary.hpp"
#include "options.hpp"

namespace ledger {

// The report and the metrics are how operators learn that a run failed, so trouble writing them is
// logged as a warning but never turns a good run into a failed one, nor hides the run's own error.
void publish_run(const ReportSinks& sinks, const RunSummary& summary);

// Wall clock now, in Unix seconds.
double unix_now();

}  // namespace ledger
