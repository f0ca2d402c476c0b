// Outputs appear whole or not at all: staged files stay hidden until the commit, an abandoned run's
// temporaries go, and a process being ended (abandon_all_outputs) removes every temporary, lets no other
// thread rename an output into place after it, still writes its own report, and knows whether an output
// was already in place.
#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "ledger/atomic_output.hpp"

namespace {

// A fresh directory, removed with whatever is left in it.
class TempDir {
public:
    TempDir() {
        char name[] = "/tmp/ledger-atomic-output.XXXXXX";
        EXPECT_NE(::mkdtemp(name), nullptr);
        path_ = name;
    }
    ~TempDir() { remove_all(); }
    void remove_all() const {
        for (const std::string& entry : entries()) std::remove((path_ + "/" + entry).c_str());
        ::rmdir(path_.c_str());
    }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    std::set<std::string> entries() const {
        std::set<std::string> names;
        if (DIR* dir = ::opendir(path_.c_str())) {
            while (const dirent* entry = ::readdir(dir))
                if (std::string(entry->d_name) != "." && std::string(entry->d_name) != "..") names.insert(entry->d_name);
            ::closedir(dir);
        }
        return names;
    }

private:
    std::string path_;
};

std::string read_whole(const std::string& path) {
    std::ostringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
}

const std::string kPid = std::to_string(::getpid());

}  // namespace

TEST(AtomicOutputs, StagedFilesAreHiddenUntilTheCommitRenamesThemAll) {
    const TempDir dir;
    ledger::AtomicOutputs outputs;
    outputs.stage(dir.file("out.csv"), "balances\n");
    outputs.stage(dir.file("rejected.csv"), "rejected\n");
    EXPECT_EQ(dir.entries(), (std::set<std::string>{".out.csv.ledger-tmp-" + kPid, ".rejected.csv.ledger-tmp-" + kPid}));
    outputs.commit_all();
    EXPECT_EQ(dir.entries(), (std::set<std::string>{"out.csv", "rejected.csv"}));
    EXPECT_EQ(read_whole(dir.file("out.csv")), "balances\n");
    EXPECT_EQ(read_whole(dir.file("rejected.csv")), "rejected\n");
}

TEST(AtomicOutputs, UncommittedFilesAreRemovedAndAnOlderOutputKept) {
    const TempDir dir;
    std::ofstream(dir.file("out.csv")) << "yesterday\n";
    {
        ledger::AtomicOutputs outputs;
        outputs.stage(dir.file("out.csv"), "today\n");
    }
    EXPECT_EQ(dir.entries(), std::set<std::string>{"out.csv"});
    EXPECT_EQ(read_whole(dir.file("out.csv")), "yesterday\n");
}

namespace {

// Runs `write` with this process's stdout sent to `file` (opened with `flags`), then gives stdout back.
template <class Write>
void with_stdout_in(const std::string& file, int flags, Write write) {
    std::fflush(stdout);
    const int saved = ::dup(STDOUT_FILENO);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | flags, 0644);
    ASSERT_GE(fd, 0);
    ::dup2(fd, STDOUT_FILENO);
    ::close(fd);
    write();
    std::fflush(stdout);
    ::dup2(saved, STDOUT_FILENO);
    ::close(saved);
}

bool is_symlink(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

}  // namespace

// Stdout as a file the shell opened (`ledger ... > out`) is the case a rename broke: /proc/self/fd/1 then
// resolves to a regular file, and /dev/stdout (a link to it) was replaced by the balances. These write to
// the descriptor instead, through `-` and through a private link to /proc/self/fd/1, never /dev/stdout.
TEST(AtomicOutputs, DashIsStdout) {
    const TempDir dir;
    with_stdout_in(dir.file("stdout.txt"), O_TRUNC, [&] {
        ledger::AtomicOutputs outputs;
        outputs.stage("-", "balances\n");
        outputs.commit_all();
    });
    EXPECT_EQ(read_whole(dir.file("stdout.txt")), "balances\n");
    EXPECT_EQ(dir.entries(), std::set<std::string>{"stdout.txt"});
}

TEST(AtomicOutputs, ALinkToStdoutIsWrittenThroughAndStaysALink) {
    const TempDir dir;
    ASSERT_EQ(::symlink("/proc/self/fd/1", dir.file("stdout-link").c_str()), 0);
    with_stdout_in(dir.file("stdout.txt"), O_TRUNC, [&] {
        ledger::check_output_path(dir.file("stdout-link"));
        ledger::write_file_atomically(dir.file("stdout-link"), "balances\n");
    });
    EXPECT_EQ(read_whole(dir.file("stdout.txt")), "balances\n");
    EXPECT_TRUE(is_symlink(dir.file("stdout-link")));
    EXPECT_EQ(dir.entries(), (std::set<std::string>{"stdout.txt", "stdout-link"}));
}

TEST(AtomicOutputs, StdoutOpenedForAppendingIsAppendedTo) {
    const TempDir dir;
    std::ofstream(dir.file("log.txt")) << "earlier\n";
    with_stdout_in(dir.file("log.txt"), O_APPEND,
                   [&] { ledger::write_file_atomically("/proc/self/fd/1", "balances\n"); });
    EXPECT_EQ(read_whole(dir.file("log.txt")), "earlier\nbalances\n");
}

// A link to a regular file stays a link: the file it points to is replaced, from its own directory.
TEST(AtomicOutputs, ALinkToARegularFileReplacesItsTarget) {
    const TempDir dir;
    std::ofstream(dir.file("today.csv")) << "yesterday\n";
    ASSERT_EQ(::symlink("today.csv", dir.file("balances.csv").c_str()), 0);
    ledger::AtomicOutputs outputs;
    outputs.stage(dir.file("balances.csv"), "today\n");
    EXPECT_EQ(dir.entries(), (std::set<std::string>{"balances.csv", "today.csv", ".today.csv.ledger-tmp-" + kPid}));
    outputs.commit_all();
    EXPECT_TRUE(is_symlink(dir.file("balances.csv")));
    EXPECT_EQ(read_whole(dir.file("today.csv")), "today\n");
    EXPECT_EQ(dir.entries(), (std::set<std::string>{"balances.csv", "today.csv"}));
}

namespace {

// Run in a child process: abandon_all_outputs keeps its lock for ever. std::_Exit skips destructors, so
// the directory is removed by hand.
void stage_two_abandon_and_commit_late() {
    const TempDir dir;
    ledger::AtomicOutputs balances;
    ledger::AtomicOutputs rejected;
    balances.stage(dir.file("out.csv"), "balances\n");
    rejected.stage(dir.file("rejected.csv"), "rejected\n");
    if (!ledger::abandon_all_outputs()) std::fputs("none was in place\n", stderr);
    if (dir.entries().empty()) std::fputs("no temporaries\n", stderr);
    // A commit from another thread now waits for ever (the process is meant to end at once).
    std::thread late_commit([&] { balances.commit_all(); });
    late_commit.detach();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (dir.entries().empty()) std::fputs("nothing renamed\n", stderr);
    // The thread that abandoned them still writes its own report.
    ledger::write_file_atomically(dir.file("report.json"), "{}\n");
    if (dir.entries() == std::set<std::string>{"report.json"}) std::fputs("report written\n", stderr);
    dir.remove_all();
    std::_Exit(0);
}

void commit_one_then_abandon() {
    const TempDir dir;
    ledger::write_file_atomically(dir.file("out.csv"), "balances\n");
    if (ledger::abandon_all_outputs()) std::fputs("an output was in place\n", stderr);
    dir.remove_all();
    std::_Exit(0);
}

}  // namespace

// Abandoning is for good and counts what earlier tests committed in this process: each of these runs in
// a process started afresh (the threadsafe style), not in a fork of one that ran the tests before.
TEST(AtomicOutputsDeathTest, AbandoningRemovesEveryTemporaryAndNothingIsRenamedAfter) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(stage_two_abandon_and_commit_late(), testing::ExitedWithCode(0),
                "none was in place\nno temporaries\nnothing renamed\nreport written\n$");
}

TEST(AtomicOutputsDeathTest, AbandoningSaysWhetherAnOutputWasAlreadyInPlace) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(commit_one_then_abandon(), testing::ExitedWithCode(0), "an output was in place\n$");
}
