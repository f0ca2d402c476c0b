// The outputs' renames hold off a signal to end the process and act on it afterwards.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "ledger/deferred_termination.hpp"

namespace {

volatile sig_atomic_t handled = 0;
extern "C" void count_signal(int) { handled = handled + 1; }

sighandler_t disposition(int signal) {
    struct sigaction current {};
    sigaction(signal, nullptr, &current);
    return current.sa_handler;
}

}  // namespace

TEST(DeferredTerminationDeathTest, ASignalInsideEndsTheProcessOnlyAfterTheStep) {
    EXPECT_EXIT(
        {
            {
                const ledger::DeferredTermination held;
                raise(SIGTERM);
                std::fputs("the step went on\n", stderr);
            }
            std::fputs("the process went on\n", stderr);
            std::exit(0);
        },
        testing::KilledBySignal(SIGTERM), "the step went on\n$");
}

TEST(DeferredTermination, APreviousHandlerIsRestoredAndGetsTheSignal) {
    signal(SIGINT, count_signal);
    handled = 0;
    {
        const ledger::DeferredTermination held;
        EXPECT_NE(disposition(SIGINT), count_signal);
        raise(SIGINT);
        EXPECT_EQ(handled, 0);
    }
    EXPECT_EQ(handled, 1);
    EXPECT_EQ(disposition(SIGINT), count_signal);
    {
        const ledger::DeferredTermination held;  // nothing arrives: nothing is raised afterwards
    }
    EXPECT_EQ(handled, 1);
    signal(SIGINT, SIG_DFL);
}

TEST(DeferredTermination, AnIgnoredSignalStaysIgnored) {
    signal(SIGHUP, SIG_IGN);
    {
        const ledger::DeferredTermination held;
        EXPECT_EQ(disposition(SIGHUP), SIG_IGN);
        raise(SIGHUP);
    }
    EXPECT_EQ(disposition(SIGHUP), SIG_IGN);
    signal(SIGHUP, SIG_DFL);
}
