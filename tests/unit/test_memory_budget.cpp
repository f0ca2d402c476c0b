// The memory budget check (src/app/memory_budget.hpp): a run that cannot fit must be refused up front
// with one clear message, and a run that fits must never be refused. Checks:
//   - the readers of the system's limits: cgroup v2 "max" and v1's "no limit" number mean no limit,
//     MemAvailable is read in bytes, and the limit files are found for cgroup v2, v1 (including this
//     kind of hybrid machine) and a container whose cgroup is mounted as its root, ancestors included;
//   - the ranks sharing this node come from Open MPI, MPICH or Slurm's compressed task list;
//   - the estimate follows the fitted model: it covers the peaks measured when it was fitted, shrinks
//     with more ranks under the parallel ingest but not on rank 0 under --ingest root, and weighs an
//     accounts byte more than a transactions byte;
//   - the decision: the override (and 0 turning the check off), node-wide limits shared between ranks in
//     proportion to their needs, the tighter of cgroup and MemAvailable named as the source, RLIMIT_AS
//     against the address-space estimate, and advice that fits the case (--ingest parallel for rank 0
//     under root; nodes with more memory when the accounts table alone does not fit);
//   - check_memory_budget throws LedgerError(io) with that message, and a bad override is a usage error.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

// The app is an executable, not a library: its one source under test is compiled into this test.
#include "app/memory_budget.cpp"
#include "ledger/errors.hpp"

namespace {

using ledger::JobSize;
using ledger::MemoryLimits;

constexpr uint64_t kMiB = uint64_t{1} << 20;

// Sets (or, with nullptr, unsets) environment variables for one test and restores them after it.
class ScopedEnv {
public:
    void set(const char* name, const char* value) {
        if (!saved_.count(name)) {
            const char* old = std::getenv(name);
            saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
        }
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        for (const auto& [name, value] : saved_) {
            if (value) ::setenv(name.c_str(), value->c_str(), 1);
            else ::unsetenv(name.c_str());
        }
    }

private:
    std::map<std::string, std::optional<std::string>> saved_;
};

void clear_launcher_env(ScopedEnv& env) {
    for (const char* name : {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_STEP_TASKS_PER_NODE", "SLURM_NODEID"})
        env.set(name, nullptr);
}

JobSize job(uint64_t accounts_mib, uint64_t transactions_mib, int ranks, bool root = false) {
    return JobSize{accounts_mib * kMiB, transactions_mib * kMiB, ranks, root};
}

TEST(MemoryBudget, CgroupLimitValues) {
    EXPECT_EQ(ledger::parse_cgroup_limit("max\n"), std::nullopt);
    EXPECT_EQ(ledger::parse_cgroup_limit("1073741824\n"), std::optional<uint64_t>(1073741824));
    EXPECT_EQ(ledger::parse_cgroup_limit("9223372036854771712\n"), std::nullopt);  // v1: no limit
    EXPECT_EQ(ledger::parse_cgroup_limit(""), std::nullopt);
    EXPECT_EQ(ledger::parse_cgroup_limit("12k"), std::nullopt);
}

TEST(MemoryBudget, MemAvailableInBytes) {
    const std::string meminfo = "MemTotal:       24683620 kB\nMemFree:        22000000 kB\n"
                                "MemAvailable:   23684568 kB\nBuffers:           1000 kB\n";
    EXPECT_EQ(ledger::parse_mem_available(meminfo), std::optional<uint64_t>(uint64_t{23684568} * 1024));
    EXPECT_EQ(ledger::parse_mem_available("MemTotal: 1 kB\n"), std::nullopt);
    EXPECT_EQ(ledger::parse_mem_available("MemAvailable: lots\n"), std::nullopt);
}

using Files = std::vector<std::string>;

TEST(MemoryBudget, CgroupV2FilesWithAncestors) {
    const std::string mountinfo = "30 22 0:27 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
    EXPECT_EQ(ledger::cgroup_limit_files("0::/\n", mountinfo), (Files{"/sys/fs/cgroup/memory.max"}));
    EXPECT_EQ(ledger::cgroup_limit_files("0::/user.slice/job-7\n", mountinfo),
              (Files{"/sys/fs/cgroup/user.slice/job-7/memory.max", "/sys/fs/cgroup/user.slice/memory.max",
                     "/sys/fs/cgroup/memory.max"}));
}

TEST(MemoryBudget, CgroupV1AndHybridFiles) {
    // The layout of the machine this was written on: v1 controllers plus an empty v2 hierarchy.
    const std::string mountinfo =
        "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
        "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
    const std::string cgroup = "4:memory:/process_api/2fa3\n1:cpu:/\n0::/\n";
    EXPECT_EQ(ledger::cgroup_limit_files(cgroup, mountinfo),
              (Files{"/sys/fs/cgroup/memory/process_api/2fa3/memory.limit_in_bytes",
                     "/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes",
                     "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/unified/memory.max"}));
    // Controllers listed together, as some distributions mount them.
    const std::string joint = "34 30 0:31 / /sys/fs/cgroup/memory,cpu rw - cgroup cgroup rw,cpu,memory\n";
    EXPECT_EQ(ledger::cgroup_limit_files("3:cpu,memory:/job\n", joint),
              (Files{"/sys/fs/cgroup/memory,cpu/job/memory.limit_in_bytes", "/sys/fs/cgroup/memory,cpu/memory.limit_in_bytes"}));
}

TEST(MemoryBudget, ContainerSeesItsCgroupAsTheMountRoot) {
    const std::string mountinfo = "34 30 0:31 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n";
    EXPECT_EQ(ledger::cgroup_limit_files("5:memory:/docker/abc\n", mountinfo),
              (Files{"/sys/fs/cgroup/memory/memory.limit_in_bytes"}));
    EXPECT_TRUE(ledger::cgroup_limit_files("5:memory:/x\n", "").empty());  // nothing mounted: no files
}

TEST(MemoryBudget, RanksOnThisNodeFromTheLauncher) {
    ScopedEnv env;
    clear_launcher_env(env);
    EXPECT_EQ(ledger::ranks_on_this_node(8), 8);  // unknown: all of them, the cautious answer
    env.set("SLURM_STEP_TASKS_PER_NODE", "2(x3),1");
    env.set("SLURM_NODEID", "2");
    EXPECT_EQ(ledger::ranks_on_this_node(7), 2);
    env.set("SLURM_NODEID", "3");
    EXPECT_EQ(ledger::ranks_on_this_node(7), 1);
    env.set("SLURM_NODEID", "9");  // past the list: unknown
    EXPECT_EQ(ledger::ranks_on_this_node(7), 7);
    env.set("MPI_LOCALNRANKS", "3");
    EXPECT_EQ(ledger::ranks_on_this_node(7), 3);
    env.set("OMPI_COMM_WORLD_LOCAL_SIZE", "4");
    EXPECT_EQ(ledger::ranks_on_this_node(7), 4);
    EXPECT_EQ(ledger::ranks_on_this_node(2), 2);  // never more than the job's ranks
}

// Peaks measured when the model was fitted (release build; resident: the run report's peak_rss_bytes, last
// measured after transfers shrank to 32 bytes and the accounts' parse-time columns began to be released;
// address space: the smallest `prlimit --as` in 16 MiB steps that let the run finish, as first measured,
// see memory_budget.cpp for the later, lower needs). The estimate must cover each, without being wildly
// above it.
struct Measured {
    uint64_t accounts_bytes, transactions_bytes;
    int ranks;
    bool root;
    int rank;
    uint64_t peak_bytes;
    uint32_t wide_amounts_per_mille = 0;  // as job_size samples it from the files
};

TEST(MemoryBudget, ResidentEstimateCoversTheMeasuredPeaks) {
    const Measured measured[] = {
        {208264, 11723030, 1, false, 0, 35962880},  {208264, 11723030, 2, false, 0, 33669120},
        {208264, 11723030, 2, false, 1, 33644544},  {208264, 11723030, 2, true, 0, 37408768},
        {208264, 11723030, 2, true, 1, 28262400},  {2082727, 140674352, 1, false, 0, 142692352},
        {2082727, 140674352, 2, false, 0, 90886144},  {2082727, 140674352, 2, false, 1, 91598848},
        {2082727, 140674352, 2, true, 0, 222101504},  {2082727, 140674352, 2, true, 1, 114118656},
        {20827786, 4689193, 1, false, 0, 173400064},  {20827786, 4689193, 2, false, 0, 135053312},
        {20827786, 4689193, 2, false, 1, 135118848},  {20827786, 4689193, 2, true, 0, 144257024},
        {20827786, 4689193, 2, true, 1, 63455232},  {20864, 281349727, 1, false, 0, 244658176},
        {20864, 281349727, 2, false, 0, 136314880},  {20864, 281349727, 2, false, 1, 135806976},
        {20864, 281349727, 2, true, 0, 408137728},  {20864, 281349727, 2, true, 1, 203046912},
        {20827786, 46891884, 1, false, 0, 219213824},  {20827786, 46891884, 2, false, 0, 156155904},
        {20827786, 46891884, 2, false, 1, 156307456},  {20827786, 46891884, 2, true, 0, 194846720},
        {20827786, 46891884, 2, true, 1, 82853888},  {208264, 46891884, 1, false, 0, 60944384},
        {208264, 46891884, 2, false, 0, 49168384},  {208264, 46891884, 2, false, 1, 46964736},
        {208264, 46891884, 2, true, 0, 85667840},  {208264, 46891884, 2, true, 1, 51073024},
        // The M workload of scripts/bench.sh.
        {17827754, 877825313, 1, false, 0, 838152192},  {17827754, 877825313, 2, false, 0, 480612352},
        {17827754, 877825313, 2, true, 0, 1378996224},  {17827754, 877825313, 2, true, 1, 653041664},
        // 3M transfers with 18 fraction digits: nearly every amount is kept beside its record.
        {3682727, 188674352, 1, false, 0, 362991616, 979},  {3682727, 188674352, 2, false, 0, 200384512, 979},
        {3682727, 188674352, 2, true, 0, 527962112, 979},
    };
    for (const Measured& m : measured) {
        const JobSize j{m.accounts_bytes, m.transactions_bytes, m.ranks, m.root, m.wide_amounts_per_mille};
        const uint64_t estimate = ledger::estimate_peak_memory(j, m.rank).resident_bytes;
        SCOPED_TRACE(std::to_string(m.transactions_bytes) + " bytes of transactions, rank " + std::to_string(m.rank) +
                     " of " + std::to_string(m.ranks) + (m.root ? " (root ingest)" : ""));
        EXPECT_GE(estimate, m.peak_bytes);
        if (!m.root || m.rank == 0) {
            EXPECT_LE(estimate, m.peak_bytes * 5 / 4);
        }
    }
}

TEST(MemoryBudget, AddressSpaceEstimateCoversTheMeasuredNeeds) {
    const Measured measured[] = {
        {208322, 11722934, 1, false, 0, 244 * kMiB},  {208322, 46891095, 1, false, 0, 389 * kMiB},
        {20860, 281348734, 1, false, 0, 1312 * kMiB}, {20860, 281348734, 2, false, 0, 1009 * kMiB},
        {20860, 281348734, 2, true, 0, 1556 * kMiB},  {20828448, 4689091, 1, false, 0, 526 * kMiB},
    };
    for (const Measured& m : measured) {
        const JobSize j{m.accounts_bytes, m.transactions_bytes, m.ranks, m.root};
        const uint64_t estimate = ledger::estimate_peak_memory(j, m.rank).address_space_bytes;
        SCOPED_TRACE(std::to_string(m.transactions_bytes) + " bytes of transactions at np " + std::to_string(m.ranks));
        EXPECT_GE(estimate, m.peak_bytes);
        EXPECT_LE(estimate, m.peak_bytes * 5 / 4);
    }
}

TEST(MemoryBudget, EstimateShape) {
    const auto resident = [](const JobSize& j, int rank) { return ledger::estimate_peak_memory(j, rank).resident_bytes; };
    EXPECT_LT(resident(job(10, 1000, 4), 0), resident(job(10, 1000, 2), 0));   // parallel: shares shrink
    EXPECT_LT(resident(job(10, 1000, 2), 0), resident(job(10, 2000, 2), 0));
    EXPECT_GE(resident(job(10, 1000, 4, true), 0), resident(job(10, 1000, 1), 0));  // root: rank 0 holds all
    EXPECT_LT(resident(job(10, 1000, 4, true), 1), resident(job(10, 1000, 4, true), 0));
    EXPECT_GT(resident(job(100, 0, 1), 0), resident(job(0, 100, 1), 0));  // an account costs more per byte
    // Address space: each parallel-ingest rank maps the whole transactions file.
    EXPECT_GE(ledger::estimate_peak_memory(job(0, 1000, 8), 0).address_space_bytes, 1000 * kMiB);
    EXPECT_GT(ledger::estimate_peak_memory(job(0, 100, 1), 0).address_space_bytes, resident(job(0, 100, 1), 0));
}

// The sample of a transactions file's first rows: which amounts will be kept beside their records.
TEST(MemoryBudget, WideAmountsAreCountedInTheSample) {
    const std::string header = "date,fromAccountNumber,transferAmount,toAccountNumber\n";
    EXPECT_EQ(ledger::wide_amounts_per_mille(header + "2024-01-01,1,5,2\n2024-01-01,1,7.25,2\n"), 0u);
    // 10^19 units do not fit in 63 bits; 10^18 do.
    EXPECT_EQ(ledger::wide_amounts_per_mille(header + "2024-01-01,1,10.000000000000000000,2\n"), 1000u);
    EXPECT_EQ(ledger::wide_amounts_per_mille(header + "2024-01-01,1,1.000000000000000000,2\n"), 0u);
    // At the largest scale in the sample: 9.5 becomes 9.5 x 10^18 units once 18 digits are seen.
    EXPECT_EQ(ledger::wide_amounts_per_mille(header + "2024-01-01,1,9.5,2\n2024-01-01,1,1.000000000000000000,2\n"), 500u);
    // Columns found by name; rows that are not rows, and a last line cut by the sample's end, are not judged.
    EXPECT_EQ(ledger::wide_amounts_per_mille("toAccountNumber,transferAmount,fromAccountNumber,date\n2,99999999999999999999,1,2024-01-01\n"
                                             "2,1,1\n2,1,1,2024-01-01\n2,99999999999999999999"),
              500u);
    EXPECT_EQ(ledger::wide_amounts_per_mille("no,such,columns\n1,2,3\n"), 0u);
    EXPECT_EQ(ledger::wide_amounts_per_mille(""), 0u);
    EXPECT_EQ(ledger::wide_amounts_per_mille(header), 0u);
    // An all-wide day counts its transactions 1.9 times, in every part of the model.
    JobSize narrow = job(1, 100, 1), wide = narrow;
    wide.wide_amounts_per_mille = 1000;
    const uint64_t base_and_accounts = ledger::estimate_peak_memory(job(1, 0, 1), 0).resident_bytes;
    EXPECT_EQ((ledger::estimate_peak_memory(wide, 0).resident_bytes - base_and_accounts) * 100,
              (ledger::estimate_peak_memory(narrow, 0).resident_bytes - base_and_accounts) * 190);
    for (const bool root : {false, true}) {
        JobSize n = job(1, 100, 4, root), w = n;
        w.wide_amounts_per_mille = 1000;
        for (int rank : {0, 1}) EXPECT_GT(ledger::estimate_peak_memory(w, rank).resident_bytes,
                                          ledger::estimate_peak_memory(n, rank).resident_bytes);
    }
}

TEST(MemoryBudget, JobSizeSamplesTheTransactionsFiles) {
    const std::string dir = ::testing::TempDir();
    const std::string narrow = dir + "/narrow.csv", wide = dir + "/wide.csv";
    std::ofstream(narrow) << "date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,1,5,2\n";
    std::ofstream(wide) << "date,fromAccountNumber,transferAmount,toAccountNumber\n2024-01-01,1,50000000000000000000,2\n";
    EXPECT_EQ(ledger::job_size("", {narrow}, 1, false).wide_amounts_per_mille, 0u);
    EXPECT_EQ(ledger::job_size("", {wide}, 1, false).wide_amounts_per_mille, 1000u);
    // Weighted by the files' sizes.
    const JobSize both = ledger::job_size("", {narrow, wide}, 1, false);
    const uint64_t n = both.transactions_bytes;
    EXPECT_GT(both.wide_amounts_per_mille, 0u);
    EXPECT_LT(both.wide_amounts_per_mille, 1000u);
    EXPECT_EQ(n, uint64_t(std::ifstream(narrow, std::ios::ate).tellg() + std::ifstream(wide, std::ios::ate).tellg()));
}

TEST(MemoryBudget, OverrideDecidesAlone) {
    MemoryLimits limits;
    limits.override_bytes = 0;  // off
    limits.available_bytes = 1;
    EXPECT_EQ(ledger::memory_shortfall(job(1, 10000, 1), 0, limits), "");
    limits.override_bytes = 1 << 30;
    EXPECT_EQ(ledger::memory_shortfall(job(1, 100, 1), 0, limits), "");  // about 128 MiB needed
    limits.override_bytes = 70 * kMiB;  // rank 1 needs about 81 MiB
    const std::string message = ledger::memory_shortfall(job(1, 100, 2), 1, limits);
    EXPECT_EQ(message.rfind("not enough memory: this run (1 MiB of accounts, 100 MiB of transactions, 2 ranks) "
                            "needs about ", 0), 0u) << message;
    EXPECT_NE(message.find(" MiB on rank 1, 70 MiB available (LEDGER_MEMORY_LIMIT_BYTES); use more ranks or nodes"),
              std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(MemoryBudget, AdviceFitsTheCase) {
    MemoryLimits limits;
    limits.override_bytes = 150 * kMiB;  // root rank 0 needs about 182 MiB, the others about 102
    const std::string root = ledger::memory_shortfall(job(1, 100, 4, true), 0, limits);
    EXPECT_NE(root.find("--ingest root)"), std::string::npos) << root;
    EXPECT_NE(root.find("use --ingest parallel with more ranks or nodes"), std::string::npos) << root;
    EXPECT_EQ(ledger::memory_shortfall(job(1, 100, 4, true), 1, limits), "");  // the other ranks fit
    const std::string accounts = ledger::memory_shortfall(job(50, 10, 16), 3, limits);
    EXPECT_NE(accounts.find("the accounts table alone needs about 326 MiB on every rank"), std::string::npos) << accounts;
}

TEST(MemoryBudget, NodeLimitsAreSharedByTheRanksOnTheNode) {
    MemoryLimits limits;
    limits.available_bytes = 1000 * kMiB;
    const JobSize j = job(0, 280, 4);  // about 26 + 4 + 0.9 x 70 = 93 MiB per rank
    limits.ranks_on_node = 4;
    EXPECT_EQ(ledger::memory_shortfall(j, 0, limits), "");
    limits.available_bytes = 320 * kMiB;  // 80 MiB each
    const std::string message = ledger::memory_shortfall(j, 0, limits);
    EXPECT_NE(message.find("80 MiB available (MemAvailable shared by 4 ranks on this node)"), std::string::npos) << message;
    limits.ranks_on_node = 2;  // the other two ranks are elsewhere
    EXPECT_EQ(ledger::memory_shortfall(j, 0, limits), "");
    // Root ingest: rank 0 needs far more than the others, and gets the larger part.
    limits.ranks_on_node = 4;
    limits.available_bytes = 1400 * kMiB;
    EXPECT_EQ(ledger::memory_shortfall(job(0, 280, 4, true), 0, limits), "");  // 446 + 3 x 236 MiB
    EXPECT_EQ(ledger::memory_shortfall(job(0, 280, 4, true), 2, limits), "");
}

TEST(MemoryBudget, TighterLimitIsNamed) {
    MemoryLimits limits;
    limits.available_bytes = 10000 * kMiB;
    limits.cgroup_bytes = 100 * kMiB;
    const std::string message = ledger::memory_shortfall(job(0, 100, 1), 0, limits);
    EXPECT_NE(message.find("100 MiB available (cgroup memory limit)"), std::string::npos) << message;
    limits.cgroup_bytes = 20000 * kMiB;
    limits.available_bytes = 100 * kMiB;
    EXPECT_NE(ledger::memory_shortfall(job(0, 100, 1), 0, limits).find("(MemAvailable)"), std::string::npos);
}

TEST(MemoryBudget, AddressSpaceLimitAgainstTheAddressSpaceEstimate) {
    MemoryLimits limits;
    limits.available_bytes = 10000 * kMiB;
    const JobSize j = job(0, 100, 1);
    const ledger::MemoryEstimate need = ledger::estimate_peak_memory(j, 0);
    limits.address_space_bytes = need.address_space_bytes;
    EXPECT_EQ(ledger::memory_shortfall(j, 0, limits), "");
    limits.address_space_bytes = need.address_space_bytes - 1;
    const std::string message = ledger::memory_shortfall(j, 0, limits);
    EXPECT_NE(message.find("of address space on rank 0"), std::string::npos) << message;
    EXPECT_NE(message.find("allowed (RLIMIT_AS, ulimit -v); raise ulimit -v or use more ranks or nodes"), std::string::npos)
        << message;
}

TEST(MemoryBudget, CheckThrowsAnIoErrorWithTheMessage) {
    ScopedEnv env;
    env.set("LEDGER_MEMORY_LIMIT_BYTES", "1048576");
    try {
        ledger::check_memory_budget(job(0, 100, 1), 0);
        FAIL() << "a run needing hundreds of MiB passed a 1 MiB budget";
    } catch (const ledger::LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::io);
        EXPECT_NE(std::string(e.what()).find("1 MiB available (LEDGER_MEMORY_LIMIT_BYTES)"), std::string::npos) << e.what();
    }
    env.set("LEDGER_MEMORY_LIMIT_BYTES", "0");
    EXPECT_NO_THROW(ledger::check_memory_budget(job(0, 100000, 1), 0));
    env.set("LEDGER_MEMORY_LIMIT_BYTES", "2G");
    try {
        ledger::check_memory_budget(job(0, 1, 1), 0);
        FAIL() << "a malformed LEDGER_MEMORY_LIMIT_BYTES was accepted";
    } catch (const ledger::LedgerError& e) {
        EXPECT_EQ(e.code(), ledger::ExitCode::usage);
    }
}

TEST(MemoryBudget, SystemLimitsAreReadable) {
    // On any Linux machine: the check runs without an override and finds MemAvailable.
    ScopedEnv env;
    env.set("LEDGER_MEMORY_LIMIT_BYTES", nullptr);
    const MemoryLimits limits = ledger::read_memory_limits(1);
    EXPECT_FALSE(limits.override_bytes.has_value());
    ASSERT_TRUE(limits.available_bytes.has_value());
    EXPECT_GT(*limits.available_bytes, 0u);
}

TEST(MemoryBudget, JobSizeFromTheFiles) {
    char dir_template[] = "/tmp/ledger-memory-budget.XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    const std::string dir = dir_template;
    std::ofstream(dir + "/a.csv") << std::string(100, 'a');
    std::ofstream(dir + "/t1.csv") << std::string(1000, 't');
    std::ofstream(dir + "/t2.csv") << std::string(24, 't');
    const JobSize j = ledger::job_size(dir + "/a.csv", {dir + "/t1.csv", dir + "/t2.csv", dir + "/missing.csv", dir}, 3, true);
    EXPECT_EQ(j.accounts_bytes, 100u);
    EXPECT_EQ(j.transactions_bytes, 1024u);  // a missing file or a directory counts 0
    EXPECT_EQ(j.ranks, 3);
    EXPECT_TRUE(j.root_ingest);
    for (const char* name : {"/a.csv", "/t1.csv", "/t2.csv"}) std::remove((dir + name).c_str());
    ::rmdir(dir.c_str());
}

}  // namespace
