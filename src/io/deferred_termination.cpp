#include "ledger/deferred_termination.hpp"

#include <unistd.h>

namespace ledger {
namespace {

volatile sig_atomic_t pending_signal = 0;

extern "C" void note_signal(int signal) {
    if (pending_signal == 0) pending_signal = signal;
}

}  // namespace

void install_ending_handler(void (*handler)(int), int flags, EndingActions& previous) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < kEndingSignals.size(); ++i) {
        sigaction(kEndingSignals[i], nullptr, &previous[i]);
        if (previous[i].sa_handler != SIG_IGN) sigaction(kEndingSignals[i], &action, nullptr);
    }
}

void restore_ending_actions(const EndingActions& previous) {
    for (size_t i = 0; i < kEndingSignals.size(); ++i) sigaction(kEndingSignals[i], &previous[i], nullptr);
}

DeferredTermination::DeferredTermination() { install_ending_handler(note_signal, 0, previous_); }

DeferredTermination::~DeferredTermination() {
    restore_ending_actions(previous_);
    if (const int signal = pending_signal; signal != 0) {
        pending_signal = 0;
        // To the process, not this thread (as raise would): this thread may block the signal, leaving
        // another to take it (the termination report's waiter does so).
        ::kill(::getpid(), signal);
    }
}

}  // namespace ledger
