#include "memory_budget.hpp"

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "ledger/csv.hpp"
#include "ledger/decimal.hpp"
#include "ledger/errors.hpp"
#include "ledger/records.hpp"
#include "ledger/transfers.hpp"

namespace ledger {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

// The model, fitted to the release build's peaks on generated workloads; the measurements it was fitted
// to, and how far each estimate is above the peak it covers, are in docs/performance.md ("The memory
// check's model"), and tests/unit/test_memory_budget.cpp keeps them as cases.
//
//   per rank = base + W + A x accounts bytes + T x transactions bytes held by the rank
//
// W is the fast path's 4 MiB read buffer (kDefaultReadWindowBytes), counted where the rank's peak comes
// during its parse: on one rank and with the parallel ingest, not on the root ingest's ranks (rank 0
// peaks later, while it encodes shares; the others never read).
//
// A counts the accounts table on every rank (ids, an index and per-account vectors), which the parallel
// ingest no longer holds whole: the estimate errs on the side of refusing until it is fitted again. With
// several ranks the table's parse-time columns are released before a rank's peak (rescale_opening), on
// one rank they are not yet, hence two values of A. What a transactions byte costs depends on how the
// records travel. The input text itself is not resident for long: parsed stretches of the mapped files
// are released as the parse goes (InputFile::release), so T is mostly the records:
//   one rank (either ingest)        holds all records;
//   parallel ingest, several ranks  holds transactions / ranks; what it receives goes into the room
//                                   its sent records leave (Exchange::exchange_in_place), so about
//                                   the larger of what it parsed and what it keeps;
//   root ingest, rank 0             holds all, plus one rank's encoded share at a time;
//   root ingest, other ranks        hold their share only: O x (accounts + transactions) / ranks.
//
//                      base    W      A one / several  T one rank  T parallel  T root rank 0  O root others
//   resident          26 MiB  4 MiB     7.6 / 6.0        0.9          0.9           1.5            3.0
//   address space    224 MiB  4 MiB      15 / 15         4.3          5.2           5.2            5.2   (+ mapped files)
//
// The address-space base is large: the MPI runtime and the libraries reserve address space they never
// touch, and more of it above about 10 MB of input, so small inputs are overestimated most.
struct Model {
    uint64_t base_bytes;
    uint64_t read_window_bytes;  // the fast path's read buffer, where the peak comes during the parse
    uint64_t per_accounts_byte_one_rank_x10, per_accounts_byte_x10;  // one rank; several (parallel, root rank 0)
    uint64_t one_rank_x10, parallel_x10, root_rank0_x10, root_others_x10;
    bool maps_whole_files;  // count the parts of the mapped transactions files that other ranks hold
};
constexpr Model kResident{26 * kMiB, kDefaultReadWindowBytes, 76, 60, 9, 9, 15, 30, false};
constexpr Model kAddressSpace{224 * kMiB, kDefaultReadWindowBytes, 150, 150, 43, 52, 52, 52, true};

// n x factor_x10 / 10 without overflow for any file size.
uint64_t times_tenths(uint64_t bytes, uint64_t factor_x10) {
    const unsigned __int128 product = (unsigned __int128)bytes * factor_x10 / 10;
    return product > UINT64_MAX ? UINT64_MAX : uint64_t(product);
}

// What the accounts table costs a rank. With several ranks, the table's parse-time columns are gone
// (rescale_opening) before the rank's peak; on one rank the peak comes while they are still held.
uint64_t accounts_term(const Model& m, const JobSize& job) {
    return times_tenths(job.accounts_bytes, job.ranks > 1 ? m.per_accounts_byte_x10 : m.per_accounts_byte_one_rank_x10);
}

uint64_t file_size_or_zero(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? uint64_t(st.st_size) : 0;
}

std::string read_small_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return "";
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::optional<uint64_t> parse_unsigned(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + uint64_t(c - '0');
    }
    return value;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != separator) continue;
        parts.push_back(text.substr(start, i - start));
        start = i + 1;
    }
    return parts;
}

// This rank's tasks-per-node entry of a Slurm list such as "2(x3),1": node 0-2 run 2 tasks, node 3 one.
std::optional<uint64_t> slurm_tasks_on_node(std::string_view list, uint64_t node) {
    for (std::string_view entry : split(list, ',')) {
        uint64_t repeat = 1;
        const size_t paren = entry.find("(x");
        if (paren != std::string_view::npos) {
            if (entry.back() != ')') return std::nullopt;
            const auto r = parse_unsigned(entry.substr(paren + 2, entry.size() - paren - 3));
            if (!r) return std::nullopt;
            repeat = *r;
            entry = entry.substr(0, paren);
        }
        const auto tasks = parse_unsigned(entry);
        if (!tasks) return std::nullopt;
        if (node < repeat) return tasks;
        node -= repeat;
    }
    return std::nullopt;
}

std::optional<uint64_t> env_number(const char* name) {
    const char* value = std::getenv(name);
    return value ? parse_unsigned(value) : std::nullopt;
}

std::string mib(uint64_t bytes, bool round_up) {
    return std::to_string(round_up ? (bytes + kMiB - 1) / kMiB : bytes / kMiB) + " MiB";
}

std::string describe(const JobSize& job) {
    return "(" + mib(job.accounts_bytes, true) + " of accounts, " + mib(job.transactions_bytes, true) +
           " of transactions, " + std::to_string(job.ranks) + (job.ranks == 1 ? " rank" : " ranks") +
           (job.root_ingest ? ", --ingest root)" : ")");
}

// A transfer whose amount is kept beside its record costs more than the 32-byte record the constants were
// fitted to: a day of nearly all wide amounts peaked at up to 1.78 times what the constants give for its
// transactions (docs/performance.md), so such a day counts its transactions 1.9 times.
constexpr uint64_t kWideExtraPerMille = 900;

uint64_t estimate(const Model& m, const JobSize& job, int rank) {
    const uint64_t ranks = uint64_t(std::max(job.ranks, 1));
    const uint64_t transactions = uint64_t((unsigned __int128)job.transactions_bytes *
                                           (1000 + kWideExtraPerMille * job.wide_amounts_per_mille / 1000) / 1000);
    if (job.root_ingest && ranks > 1 && rank != 0)
        return m.base_bytes + times_tenths((job.accounts_bytes + transactions) / ranks, m.root_others_x10);
    const uint64_t accounts = accounts_term(m, job);
    // Root rank 0's peak comes after its parse, while it encodes the others' shares; the read buffer is gone.
    if (ranks > 1 && job.root_ingest) return m.base_bytes + accounts + times_tenths(transactions, m.root_rank0_x10);
    if (ranks == 1) return m.base_bytes + m.read_window_bytes + accounts + times_tenths(transactions, m.one_rank_x10);
    const uint64_t held = transactions / ranks;
    const uint64_t mapped_elsewhere = m.maps_whole_files ? job.transactions_bytes - job.transactions_bytes / ranks : 0;
    return m.base_bytes + m.read_window_bytes + accounts + times_tenths(held, m.parallel_x10) + mapped_elsewhere;
}

// A node-wide limit's part for this rank: in proportion to its need among the ranks on the node. Under
// --ingest root, rank 0 is assumed to be on this node (the cautious choice).
uint64_t share_of_node(uint64_t limit, const JobSize& job, int rank, int ranks_on_node) {
    const uint64_t mine = estimate_peak_memory(job, rank).resident_bytes;
    const uint64_t other = estimate_peak_memory(job, rank == 0 ? 1 : rank).resident_bytes;
    const uint64_t first = job.root_ingest ? estimate_peak_memory(job, 0).resident_bytes : other;
    const uint64_t others = uint64_t(std::max(ranks_on_node - 1, 0));
    const unsigned __int128 node_need = job.root_ingest ? (unsigned __int128)first + (unsigned __int128)other * others
                                                        : (unsigned __int128)mine * uint64_t(ranks_on_node);
    if (node_need == 0) return limit;
    return uint64_t((unsigned __int128)limit * mine / node_need);
}

std::string advice(const JobSize& job, int rank, uint64_t available) {
    if (job.root_ingest && rank == 0) return "use --ingest parallel with more ranks or nodes";
    const uint64_t accounts_alone = kResident.base_bytes + accounts_term(kResident, job);
    if (!job.root_ingest && accounts_alone > available)
        return "the accounts table alone needs about " + mib(accounts_alone, true) +
               " on every rank; use nodes with more memory per rank";
    return "use more ranks or nodes";
}

}  // namespace

uint32_t wide_amounts_per_mille(std::string_view head) {
    const size_t last_line_end = head.rfind('\n');
    if (last_line_end == std::string_view::npos) return 0;
    CsvReader reader(head.substr(0, last_line_end + 1));
    CsvRow row;
    if (!reader.next(row)) return 0;
    HeaderMap header;
    try {
        header = resolve_header(row, kTransferColumns, "sample");
    } catch (const LedgerError&) {
        return 0;  // the ingest reports the header properly
    }
    std::vector<Decimal> amounts;
    int scale = 0;
    std::string error;
    while (reader.next(row)) {
        if (!row.error.empty() || row.fields.size() != header.field_count) continue;
        const auto amount = parse_decimal(row.fields[size_t(header.column[2])], &error);
        if (!amount) continue;
        amounts.push_back(*amount);
        scale = std::max(scale, amount->scale);
    }
    if (amounts.empty()) return 0;
    uint64_t wide = 0;
    for (const Decimal& amount : amounts) {
        int128 units;
        if (!rescale(amount, scale, &units) || !fits_in_record(units)) ++wide;
    }
    return uint32_t(wide * 1000 / amounts.size());
}

JobSize job_size(const std::string& accounts, const std::vector<std::string>& transactions, int ranks,
                 bool root_ingest) {
    JobSize job;
    job.accounts_bytes = file_size_or_zero(accounts);
    // The first 64 KiB of each of the first 16 files: a few thousand rows, read in a few milliseconds.
    constexpr size_t kSampleBytes = 64 << 10, kSampledFiles = 16;
    uint64_t sampled_bytes = 0;
    unsigned __int128 wide_weighted = 0;
    for (size_t f = 0; f < transactions.size(); ++f) {
        const uint64_t bytes = file_size_or_zero(transactions[f]);
        job.transactions_bytes += bytes;
        if (f >= kSampledFiles || bytes == 0) continue;
        std::ifstream in(transactions[f], std::ios::binary);
        std::string head(std::min<uint64_t>(bytes, kSampleBytes), '\0');
        in.read(head.data(), std::streamsize(head.size()));
        head.resize(size_t(std::max<std::streamsize>(in.gcount(), 0)));
        wide_weighted += (unsigned __int128)bytes * wide_amounts_per_mille(head);
        sampled_bytes += bytes;
    }
    if (sampled_bytes > 0) job.wide_amounts_per_mille = uint32_t(wide_weighted / sampled_bytes);
    job.ranks = std::max(ranks, 1);
    job.root_ingest = root_ingest;
    return job;
}

MemoryEstimate estimate_peak_memory(const JobSize& job, int rank) {
    return MemoryEstimate{estimate(kResident, job, rank), estimate(kAddressSpace, job, rank)};
}

std::optional<uint64_t> parse_cgroup_limit(std::string_view text) {
    text = trim(text);
    if (text == "max") return std::nullopt;
    const auto value = parse_unsigned(text);
    // cgroup v1 writes "no limit" as the largest page-aligned signed 64-bit number.
    if (!value || *value >= (uint64_t{1} << 62)) return std::nullopt;
    return value;
}

std::optional<uint64_t> parse_mem_available(std::string_view meminfo) {
    for (std::string_view line : split(meminfo, '\n')) {
        constexpr std::string_view kKey = "MemAvailable:";
        if (line.substr(0, kKey.size()) != kKey) continue;
        std::string_view rest = trim(line.substr(kKey.size()));
        if (rest.size() < 3 || rest.substr(rest.size() - 3) != " kB") return std::nullopt;
        const auto kib = parse_unsigned(trim(rest.substr(0, rest.size() - 3)));
        if (!kib) return std::nullopt;
        return *kib * 1024;
    }
    return std::nullopt;
}

std::vector<std::string> cgroup_limit_files(std::string_view proc_self_cgroup, std::string_view mountinfo) {
    struct Mount {
        std::string root, point;
    };
    std::optional<Mount> v2, v1_memory;
    for (std::string_view line : split(mountinfo, '\n')) {
        // id parent major:minor root mount-point options [optional fields] - fstype source super-options
        const size_t dash = line.find(" - ");
        if (dash == std::string_view::npos) continue;
        const std::vector<std::string_view> head = split(line.substr(0, dash), ' ');
        const std::vector<std::string_view> tail = split(line.substr(dash + 3), ' ');
        if (head.size() < 5 || tail.size() < 3) continue;
        const Mount mount{std::string(head[3]), std::string(head[4])};
        if (tail[0] == "cgroup2" && !v2) v2 = mount;
        if (tail[0] == "cgroup" && !v1_memory) {
            for (std::string_view option : split(tail[2], ','))
                if (option == "memory") v1_memory = mount;
        }
    }
    std::vector<std::string> files;
    auto add_with_ancestors = [&](const Mount& mount, std::string_view path, const char* file_name) {
        // The process's cgroup path is relative to the hierarchy's root; the mount shows the part under
        // mount.root (a container sees its own cgroup as "/").
        if (mount.root != "/" && path.substr(0, mount.root.size()) == mount.root) path.remove_prefix(mount.root.size());
        std::string dir = mount.point + std::string(path);
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        for (;;) {
            files.push_back(dir + "/" + file_name);
            if (dir.size() <= mount.point.size()) break;
            dir.resize(dir.find_last_of('/'));
        }
    };
    for (std::string_view line : split(proc_self_cgroup, '\n')) {
        // hierarchy-id:controllers:path
        const size_t first = line.find(':'), second = line.find(':', first + 1);
        if (first == std::string_view::npos || second == std::string_view::npos) continue;
        const std::string_view controllers = line.substr(first + 1, second - first - 1);
        const std::string_view path = line.substr(second + 1);
        if (controllers.empty() && line.substr(0, first) == "0" && v2) add_with_ancestors(*v2, path, "memory.max");
        for (std::string_view controller : split(controllers, ','))
            if (controller == "memory" && v1_memory) add_with_ancestors(*v1_memory, path, "memory.limit_in_bytes");
    }
    return files;
}

int ranks_on_this_node(int ranks) {
    std::optional<uint64_t> local = env_number("OMPI_COMM_WORLD_LOCAL_SIZE");
    if (!local) local = env_number("MPI_LOCALNRANKS");
    if (!local) {
        const char* list = std::getenv("SLURM_STEP_TASKS_PER_NODE");
        const auto node = env_number("SLURM_NODEID");
        if (list && node) local = slurm_tasks_on_node(list, *node);
    }
    if (!local || *local == 0) return std::max(ranks, 1);
    return int(std::clamp<uint64_t>(*local, 1, uint64_t(std::max(ranks, 1))));
}

MemoryLimits read_memory_limits(int ranks) {
    MemoryLimits limits;
    if (const char* text = std::getenv("LEDGER_MEMORY_LIMIT_BYTES")) {
        limits.override_bytes = parse_unsigned(trim(text));
        if (!limits.override_bytes)
            fail(ExitCode::usage, std::string("LEDGER_MEMORY_LIMIT_BYTES must be a number of bytes, not '") + text + "'");
        return limits;
    }
    for (const std::string& file :
         cgroup_limit_files(read_small_file("/proc/self/cgroup"), read_small_file("/proc/self/mountinfo"))) {
        const auto limit = parse_cgroup_limit(read_small_file(file));
        if (limit && (!limits.cgroup_bytes || *limit < *limits.cgroup_bytes)) limits.cgroup_bytes = limit;
    }
    limits.available_bytes = parse_mem_available(read_small_file("/proc/meminfo"));
    struct rlimit as {};
    if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) limits.address_space_bytes = as.rlim_cur;
    limits.ranks_on_node = ranks_on_this_node(ranks);
    return limits;
}

std::string memory_shortfall(const JobSize& job, int rank, const MemoryLimits& limits) {
    const MemoryEstimate need = estimate_peak_memory(job, rank);
    const std::string head = "not enough memory: this run " + describe(job) + " needs about ";
    if (limits.override_bytes) {
        if (*limits.override_bytes == 0 || need.resident_bytes <= *limits.override_bytes) return "";
        return head + mib(need.resident_bytes, true) + " on rank " + std::to_string(rank) + ", " +
               mib(*limits.override_bytes, false) + " available (LEDGER_MEMORY_LIMIT_BYTES); " +
               advice(job, rank, *limits.override_bytes);
    }
    // Resident memory: the tighter of the cgroup limit and what the node has free, both node-wide.
    std::optional<uint64_t> resident;
    std::string source;
    const std::string shared = limits.ranks_on_node > 1
                                   ? " shared by " + std::to_string(limits.ranks_on_node) + " ranks on this node"
                                   : "";
    if (limits.cgroup_bytes) {
        resident = share_of_node(*limits.cgroup_bytes, job, rank, limits.ranks_on_node);
        source = "cgroup memory limit" + shared;
    }
    if (limits.available_bytes) {
        const uint64_t part = share_of_node(*limits.available_bytes, job, rank, limits.ranks_on_node);
        if (!resident || part < *resident) {
            resident = part;
            source = "MemAvailable" + shared;
        }
    }
    if (resident && need.resident_bytes > *resident)
        return head + mib(need.resident_bytes, true) + " on rank " + std::to_string(rank) + ", " +
               mib(*resident, false) + " available (" + source + "); " + advice(job, rank, *resident);
    if (limits.address_space_bytes && need.address_space_bytes > *limits.address_space_bytes)
        return head + mib(need.address_space_bytes, true) + " of address space on rank " + std::to_string(rank) +
               ", " + mib(*limits.address_space_bytes, false) + " allowed (RLIMIT_AS, ulimit -v); raise ulimit -v or " +
               advice(job, rank, *limits.address_space_bytes);
    return "";
}

void check_memory_budget(const JobSize& job, int rank) {
    const std::string shortfall = memory_shortfall(job, rank, read_memory_limits(job.ranks));
    if (!shortfall.empty()) fail(ExitCode::io, shortfall);
}

}  // namespace ledger
