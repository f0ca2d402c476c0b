// Refusing, before any heavy work, a run that cannot fit in memory: one clear line and exit 4 instead of
// a rank killed by the kernel's OOM killer halfway through (which an operator sees only as "signal 9")
// or an allocation failing deep inside a stage.
//
// The estimate is a linear model fitted to measured peaks (its constants in the .cpp, the measurements in
// docs/performance.md):
// every rank holds the whole accounts table, and its share of the transactions (all of them on rank 0
// under --ingest root). Since the parallel ingest reads the accounts in shares this overstates its need
// for many ranks (it errs on the side of refusing), until the model is fitted again to its peaks. It is
// compared with what this process may use:
//   - resident memory: the cgroup memory limit (v2 memory.max, or v1 memory.limit_in_bytes, the smallest
//     up the hierarchy) and MemAvailable from /proc/meminfo. Both are shared by every rank on this node,
//     so each rank gets a part in proportion to its estimated need;
//   - address space: RLIMIT_AS, per process, against a separate estimate of the peak virtual size (the
//     whole input is mapped, and reserved capacity counts there even where it is never touched).
// LEDGER_MEMORY_LIMIT_BYTES=N replaces all of those with N bytes of resident memory per rank (tests, or
// an operator who knows better); LEDGER_MEMORY_LIMIT_BYTES=0 turns the check off.
// Not in the model: bad rows kept for the quarantine under --on-bad-row skip (about 0.5 KiB each on rank
// 0), since their number is not known before reading.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ledger {

// What the run will hold, and how it is spread over the ranks.
struct JobSize {
    uint64_t accounts_bytes = 0;
    uint64_t transactions_bytes = 0;  // all transactions files together
    int ranks = 1;
    bool root_ingest = false;         // rank 0 alone reads, sorts and partitions everything
    // Of the transfers sampled at the start of the transactions files, the share (per mille) whose amount
    // is too wide for its record and is kept beside it, which costs a transfer more memory (records.hpp).
    uint32_t wide_amounts_per_mille = 0;
};

// Of the rows in `head` (the start of a transactions file, its header first), the share (per mille) whose
// amount needs more than 63 bits at the largest scale among them. 0 when there is nothing to judge by.
uint32_t wide_amounts_per_mille(std::string_view head);

// Sizes of the input files, and the wide amounts among the first rows of the first few transactions
// files; a file that cannot be read counts 0 (the ingest reports it properly, later).
JobSize job_size(const std::string& accounts, const std::vector<std::string>& transactions, int ranks,
                 bool root_ingest);

struct MemoryEstimate {
    uint64_t resident_bytes = 0;       // peak resident set of the rank
    uint64_t address_space_bytes = 0;  // peak virtual size of the rank
};
MemoryEstimate estimate_peak_memory(const JobSize& job, int rank);

// What this process may use, as found on this node; nullopt where there is no limit.
struct MemoryLimits {
    std::optional<uint64_t> override_bytes;       // LEDGER_MEMORY_LIMIT_BYTES (0: no check)
    std::optional<uint64_t> cgroup_bytes;         // for the whole node's ranks
    std::optional<uint64_t> available_bytes;      // MemAvailable, for the whole node's ranks
    std::optional<uint64_t> address_space_bytes;  // RLIMIT_AS, per process
    int ranks_on_node = 1;
};
MemoryLimits read_memory_limits(int ranks);

// The refusal message for `rank`, or "" when the run fits. Pure: the heart of check_memory_budget.
std::string memory_shortfall(const JobSize& job, int rank, const MemoryLimits& limits);

// Throws LedgerError(io) with that message when the run will not fit in this process's memory.
void check_memory_budget(const JobSize& job, int rank);

// --- pieces read from the system, exposed for the unit tests ---

// A memory.max / memory.limit_in_bytes value; nullopt for "max" or an effectively unlimited number.
std::optional<uint64_t> parse_cgroup_limit(std::string_view text);
// MemAvailable of /proc/meminfo, in bytes.
std::optional<uint64_t> parse_mem_available(std::string_view meminfo);
// The memory limit files of this process's cgroup and its ancestors, from /proc/self/cgroup and
// /proc/self/mountinfo (cgroup v2, and v1's memory controller).
std::vector<std::string> cgroup_limit_files(std::string_view proc_self_cgroup, std::string_view mountinfo);
// Ranks of this job on this node, from the launcher's environment (Open MPI, MPICH, Slurm); `ranks`
// (all of them, the cautious answer) when it does not say.
int ranks_on_this_node(int ranks);

}  // namespace ledger
