// Holds off the signals that ask a process to end (SIGTERM, SIGINT, SIGHUP, SIGQUIT) for a short
// critical step, then acts on one that arrived. Renaming several outputs into place is such a step: Slurm
// sends SIGTERM at a job's time limit, and one arriving between two renames would leave some outputs of
// this run beside others of an older one. A signal the process ignores stays ignored.
#pragma once

#include <signal.h>

#include <array>

namespace ledger {

class DeferredTermination {
public:
    DeferredTermination();
    // Restores the previous dispositions, then sends the process the first signal that arrived, if any: it
    // ends (or the previous handler runs) as it would have without the delay.
    ~DeferredTermination();
    DeferredTermination(const DeferredTermination&) = delete;
    DeferredTermination& operator=(const DeferredTermination&) = delete;

private:
    static constexpr std::array<int, 4> kSignals{SIGTERM, SIGINT, SIGHUP, SIGQUIT};
    std::array<struct sigaction, kSignals.size()> previous_{};
};

}  // namespace ledger
