#include "termination_report.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <spdlog/spdlog.h>
#include <thread>

#include "ledger/atomic_output.hpp"
#include "ledger/deferred_termination.hpp"
#include "publish_run.hpp"

namespace ledger {
namespace {

constexpr char kStop = 0;  // not a signal number: the waiter's cue to return
constexpr size_t kWaiterStackBytes = size_t{1} << 20;
// How long the other ranks outlive the signal, so that rank 0 can write the report first. mpirun
// SIGKILLs what is left a second after its SIGTERM, or as soon as a rank dies: outliving it by a second
// gives rank 0 all the time mpirun allows. Slurm's KillWait (30 s by default) is far longer.
constexpr std::chrono::milliseconds kGraceForRankZero{1000};
// The longest rank 0 may take to write the report of an ended run before SIGALRM ends it anyway.
constexpr unsigned kPublishDeadlineSeconds = 20;

int signal_pipe[2] = {-1, -1};
EndingActions previous_actions{};

extern "C" void on_ending_signal(int signal) {
    const int saved_errno = errno;
    const char number = char(signal);
    [[maybe_unused]] const ssize_t ignored = ::write(signal_pipe[1], &number, 1);
    errno = saved_errno;
}

void take_default_action(int signal) {
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(signal, &default_action, nullptr);
}

// Ends the process by `signal`, the default way. Called with the outputs abandoned, so no thread is
// renaming any (DeferredTermination only holds signals off under the outputs' lock) and the process
// may end at once.
[[noreturn]] void end_by(int signal) {
    take_default_action(signal);
    ::kill(::getpid(), signal);
    ::sleep(1);  // delivery is immediate; this is for a signal every thread blocks
    ::_exit(128 + signal);
}

const sigset_t& ending_signals() {
    static const sigset_t set = [] {
        sigset_t signals;
        sigemptyset(&signals);
        for (const int signal : kEndingSignals) sigaddset(&signals, signal);
        return signals;
    }();
    return set;
}

void close_signal_pipe() {
    for (int& end : signal_pipe) {
        ::close(end);
        end = -1;
    }
}

const char* signal_name(int signal) {
    switch (signal) {
        case SIGTERM: return "SIGTERM";
        case SIGINT: return "SIGINT";
        case SIGHUP: return "SIGHUP";
        case SIGQUIT: return "SIGQUIT";
        default: return "a signal";
    }
}

}  // namespace

TerminationReport::TerminationReport(bool speaks, ReportSinks sinks, RunSummary started)
    : speaks_(speaks), sinks_(std::move(sinks)), started_(std::move(started)) {
    // Without a pipe or a thread the run goes on as before, unarmed: a signal then ends it without a report.
    if (::pipe2(signal_pipe, O_CLOEXEC) != 0) {
        spdlog::debug("no report if a signal ends the run: cannot create a pipe: {}", std::strerror(errno));
        return;
    }
    // A handler must never block: with the pipe full (thousands of signals unread) the rest are dropped.
    ::fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
    // The run's own thread blocks the ending signals, so that the kernel hands them to the waiter at
    // once: delivered to the run's thread, a signal's handler waits until its system call returns, and a
    // MADV_POPULATE_WRITE of the record vectors can take seconds on a virtual machine. (Under load,
    // mpirun killed rank 0 before its report in 1 run of 20, and once in CI, before this and the second
    // of grace below; in none of 48 since.) The waiter inherits the mask and unblocks them itself.
    pthread_sigmask(SIG_BLOCK, &ending_signals(), &run_thread_mask_);
    // A small stack: the default 8 MiB of address space would count against a tight ulimit -v, which the
    // memory check has budgeted for the run's data. Formatting the report and a curl push need far less.
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, kWaiterStackBytes);
    const int failed = pthread_create(
        &waiter_, &attributes, [](void* self) -> void* {
            static_cast<TerminationReport*>(self)->wait_for_signal();
            return nullptr;
        },
        this);
    pthread_attr_destroy(&attributes);
    if (failed != 0) {
        // Not a warning: it happens where memory is short, and the run itself decides how that ends.
        spdlog::debug("no report if a signal ends the run: cannot start a thread: {}", std::strerror(failed));
        pthread_sigmask(SIG_SETMASK, &run_thread_mask_, nullptr);
        close_signal_pipe();
        return;
    }
    armed_ = true;
    // SA_RESTART: MPI's and the parsers' system calls go on as if nothing happened.
    install_ending_handler(on_ending_signal, SA_RESTART, previous_actions);
}

TerminationReport::~TerminationReport() {
    if (!armed_) return;
    // Handlers first, so that a signal from now on has its old effect; then the waiter is told to stop
    // behind any signal already in the pipe, which it handles (and never returns from) first.
    restore_ending_actions(previous_actions);
    pthread_sigmask(SIG_SETMASK, &run_thread_mask_, nullptr);
    [[maybe_unused]] const ssize_t ignored = ::write(signal_pipe[1], &kStop, 1);
    pthread_join(waiter_, nullptr);
    // A handler that was still running on another thread may have written after the stop: that signal
    // is acted on now, with the previous dispositions back in place.
    ::fcntl(signal_pipe[0], F_SETFL, O_NONBLOCK);
    char number = kStop;
    int late_signal = 0;
    while (::read(signal_pipe[0], &number, 1) == 1)
        if (number != kStop && late_signal == 0) late_signal = number;
    close_signal_pipe();
    if (late_signal != 0) raise(late_signal);
}

void TerminationReport::wait_for_signal() {
    // The ending signals come here: every other thread of the run blocks them (see the constructor).
    pthread_sigmask(SIG_UNBLOCK, &ending_signals(), nullptr);
    char number = kStop;
    while (true) {
        const ssize_t got = ::read(signal_pipe[0], &number, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got != 1 || number == kStop) return;
        break;
    }
    const int signal = number;
    if (speaks_) {
        // Whatever happens below (a report path that is a FIFO nobody reads, a file system that hangs),
        // the process ends: SIGALRM's default action ends it too.
        take_default_action(SIGALRM);
        ::alarm(kPublishDeadlineSeconds);
        // First, so that no output is renamed into place while the report is being written.
        const bool outputs_in_place = abandon_all_outputs();
        try {
            RunSummary summary = started_;
            summary.finished_unix_seconds = unix_now();
            summary.ok = false;
            summary.exit_code = 128 + signal;
            summary.error = std::string("terminated by ") + signal_name(signal) +
                            (outputs_in_place ? " after its outputs were written, before its report"
                                              : " before the run finished");
            std::fprintf(stderr, "ledger: error: %s\n", summary.error->c_str());
            publish_run(sinks_, summary);
        } catch (...) {
            // Out of memory, say: the report is lost, but the process must still end by the signal.
        }
    } else {
        // mpirun sends SIGTERM to every rank and SIGKILL to the rest as soon as one has died, so a rank
        // that died at once would leave rank 0 a few milliseconds for its report (measured here under
        // load: often too few). Slurm signals every rank at once, the same race.
        std::this_thread::sleep_for(kGraceForRankZero);
        abandon_all_outputs();  // rank 0 writes the outputs; this is for form's sake
    }
    end_by(signal);
}

}  // namespace ledger
