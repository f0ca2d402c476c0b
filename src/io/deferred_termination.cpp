#include "ledger/deferred_termination.hpp"

#include <unistd.h>

namespace ledger {
namespace {

volatile sig_atomic_t pending_signal = 0;

extern "C" void note_signal(int signal) {
    if (pending_signal == 0) pending_signal = signal;
}

}  // namespace

DeferredTermination::DeferredTermination() {
    struct sigaction note {};
    note.sa_handler = note_signal;
    sigemptyset(&note.sa_mask);
    for (size_t i = 0; i < kSignals.size(); ++i) {
        sigaction(kSignals[i], nullptr, &previous_[i]);
        if (previous_[i].sa_handler != SIG_IGN) sigaction(kSignals[i], &note, nullptr);
    }
}

DeferredTermination::~DeferredTermination() {
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &previous_[i], nullptr);
    if (const int signal = pending_signal; signal != 0) {
        pending_signal = 0;
        // To the process, not this thread (as raise would): this thread may block the signal, leaving
        // another to take it (the termination report's waiter does so).
        ::kill(::getpid(), signal);
    }
}

}  // namespace ledger
