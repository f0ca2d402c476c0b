#include "termination_report.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <spdlog/spdlog.h>
#include <thread>

#include "ledger/atomic_output.hpp"
#include "publish_run.hpp"

namespace ledger {
namespace {

constexpr std::array<int, 4> kEndingSignals{SIGTERM, SIGINT, SIGHUP, SIGQUIT};
constexpr char kStop = 0;  // not a signal number: the waiter's cue to return
constexpr size_t kWaiterStackBytes = size_t{1} << 20;
// How long the other ranks outlive the signal, so that rank 0 can write the report first: what it takes
// is milliseconds, and Slurm's KillWait (30 s by default) is far longer.
constexpr std::chrono::milliseconds kGraceForRankZero{500};
// The longest rank 0 may take to write the report of an ended run before SIGALRM ends it anyway.
constexpr unsigned kPublishDeadlineSeconds = 20;

int signal_pipe[2] = {-1, -1};
std::atomic<bool> report_written{false};  // set by the waiter, read by the handler on any thread
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler reads report_written");
std::array<struct sigaction, kEndingSignals.size()> previous_actions{};

extern "C" void on_ending_signal(int signal) {
    if (report_written) {
        // The waiter's own kill: end the process the default way once this handler returns.
        struct sigaction default_action {};
        default_action.sa_handler = SIG_DFL;
        sigemptyset(&default_action.sa_mask);
        sigaction(signal, &default_action, nullptr);
        raise(signal);
        return;
    }
    const int saved_errno = errno;
    const char number = char(signal);
    [[maybe_unused]] const ssize_t ignored = ::write(signal_pipe[1], &number, 1);
    errno = saved_errno;
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
    report_written = false;
    // A handler must never block: with the pipe full (thousands of signals unread) the rest are dropped.
    ::fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
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
        close_signal_pipe();
        return;
    }
    armed_ = true;
    struct sigaction action {};
    action.sa_handler = on_ending_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // MPI's and the parsers' system calls go on as if nothing happened
    for (size_t i = 0; i < kEndingSignals.size(); ++i) {
        sigaction(kEndingSignals[i], nullptr, &previous_actions[i]);
        if (previous_actions[i].sa_handler != SIG_IGN) sigaction(kEndingSignals[i], &action, nullptr);
    }
}

TerminationReport::~TerminationReport() {
    if (!armed_) return;
    // Handlers first, so that a signal from now on has its old effect; then the waiter is told to stop
    // behind any signal already in the pipe, which it handles (and never returns from) first. A handler
    // still running on another thread at this very moment could write after the stop and go unseen: a
    // window of a few instructions, at the end of a run whose outputs are already in place.
    for (size_t i = 0; i < kEndingSignals.size(); ++i) sigaction(kEndingSignals[i], &previous_actions[i], nullptr);
    [[maybe_unused]] const ssize_t ignored = ::write(signal_pipe[1], &kStop, 1);
    pthread_join(waiter_, nullptr);
    close_signal_pipe();
}

void TerminationReport::wait_for_signal() {
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
        ::alarm(kPublishDeadlineSeconds);
        // First, so that no output is renamed into place while the report is being written.
        const bool outputs_in_place = abandon_all_outputs();
        RunSummary summary = started_;
        summary.finished_unix_seconds = unix_now();
        summary.ok = false;
        summary.exit_code = 128 + signal;
        summary.error = std::string("terminated by ") + signal_name(signal) +
                        (outputs_in_place ? " after its outputs were written, before its report"
                                          : " before the run finished");
        std::fprintf(stderr, "ledger: error: %s\n", summary.error->c_str());
        publish_run(sinks_, summary);
    } else {
        // mpirun sends SIGTERM to every rank and SIGKILL to the rest as soon as one has died, so a rank
        // that died at once would leave rank 0 a few milliseconds for its report (measured here under
        // load: often too few). Slurm signals every rank at once, the same race.
        std::this_thread::sleep_for(kGraceForRankZero);
        abandon_all_outputs();  // rank 0 writes the outputs; this is for form's sake
    }
    report_written = true;
    ::kill(::getpid(), signal);
    pause();  // the signal ends the process; this thread never goes back to the run
}

}  // namespace ledger
