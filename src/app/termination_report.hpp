// A run ended by a signal still says so: the report and the metrics it names are written (status
// failed, exit code 128 + the signal) and one line goes to stderr, before the process ends by that signal
// as it would have anyway. Slurm ends a job at its time limit with SIGTERM, and mpirun passes a Ctrl-C or
// a SIGTERM on to the ranks as SIGTERM; without this the nightly run's monitoring would see no run at all.
//
// The handler only writes the signal's number to a pipe. A thread waiting on the pipe does the work a
// handler may not: it removes the temporaries of outputs not yet in place and stops any more renames
// (after one under way has finished: abandon_all_outputs), writes the report (formatting, allocating,
// curl), then ends the process by the signal's default action.
#pragma once

#include <pthread.h>
#include <signal.h>

#include "ledger/run_summary.hpp"
#include "options.hpp"

namespace ledger {

class TerminationReport {
public:
    // Arms on this process. The rank that speaks (rank 0) writes the line and publishes; `started` is
    // what is known before the run: the command line, the inputs, the start time (the counts stay zero).
    // The others only wait a second before they end, so that rank 0 is not killed before it is done.
    TerminationReport(bool speaks, ReportSinks sinks, RunSummary started);
    // Disarms: a signal from here on has its previous effect. Call before the run's own report is written,
    // so that the two never race for the same file.
    ~TerminationReport();
    TerminationReport(const TerminationReport&) = delete;
    TerminationReport& operator=(const TerminationReport&) = delete;

private:
    void wait_for_signal();

    bool speaks_;
    ReportSinks sinks_;
    RunSummary started_;
    pthread_t waiter_{};
    sigset_t run_thread_mask_{};  // the arming thread's signal mask before it blocked the ending signals
    bool armed_ = false;
};

}  // namespace ledger
