// Holds off the signals that ask a process to end (SIGTERM, SIGINT, SIGHUP, SIGQUIT) for a short
// critical step, then acts on one that arrived. Renaming several outputs into place is such a step: Slurm
// sends SIGTERM at a job's time limit, and one arriving between two renames would leave some outputs of
// this run beside others of an older one. A signal the process ignores stays ignored.
#pragma once

#include <signal.h>

#include <array>

namespace ledger {

// The signals that ask a process to end. DeferredTermination holds them off; the termination report
// (src/app/termination_report.hpp) writes the report of a run they end. The two must agree on the set.
inline constexpr std::array<int, 4> kEndingSignals{SIGTERM, SIGINT, SIGHUP, SIGQUIT};
using EndingActions = std::array<struct sigaction, kEndingSignals.size()>;

// Installs `handler` for every ending signal the process does not ignore (an ignored one stays ignored),
// keeping the dispositions it replaces in `previous`.
void install_ending_handler(void (*handler)(int), int flags, EndingActions& previous);

// Puts back the dispositions install_ending_handler kept.
void restore_ending_actions(const EndingActions& previous);

class DeferredTermination {
public:
    DeferredTermination();
    // Restores the previous dispositions, then sends the process the first signal that arrived, if any: it
    // ends (or the previous handler runs) as it would have without the delay.
    ~DeferredTermination();
    DeferredTermination(const DeferredTermination&) = delete;
    DeferredTermination& operator=(const DeferredTermination&) = delete;

private:
    EndingActions previous_{};
};

}  // namespace ledger
