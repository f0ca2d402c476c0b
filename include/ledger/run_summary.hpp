// Everything the run report and the metrics say about one run, gathered on rank 0. Filled by the app
// layer; turned into JSON (report.hpp) and Prometheus text (metrics.hpp) without knowing how the job ran.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/records.hpp"

namespace ledger {

using StageSeconds = std::vector<std::pair<std::string, double>>;  // in the order the stages ran

struct RankSummary {
    int rank = 0;
    uint64_t countries = 0;
    uint64_t transfers = 0;
    uint64_t bytes_sent = 0;
    uint64_t bytes_received = 0;
    uint64_t peak_rss_bytes = 0;
    StageSeconds stages_seconds;
    uint64_t accounts_held = 0;         // the most accounts it held in one role (read, directory, replay)
    uint64_t input_bytes_parsed = 0;    // bytes of the input files it parsed
    uint64_t output_bytes_written = 0;  // bytes of the output files it wrote
};

struct InputSummary {
    std::string path;
    uint64_t bytes = 0;
    std::optional<std::string> xxh3_128;  // hex input digest (input_digest.hpp); absent until computed
};

struct RunSummary {
    std::string version;
    bool ok = false;
    int exit_code = 0;
    std::optional<std::string> error;
    double started_unix_seconds = 0;   // wall clock
    double finished_unix_seconds = 0;
    std::vector<std::string> command_line;
    std::string ingest;                // "root" or "parallel"
    std::vector<InputSummary> inputs;

    uint64_t accounts = 0;
    uint64_t countries = 0;
    uint64_t transfers = 0;            // good transactions rows read
    uint64_t accepted = 0;
    std::array<uint64_t, kReasonCount> rejected{};  // indexed by Reason; [none] unused
    uint64_t bad_rows = 0;
    std::optional<std::string> amount_moved;  // decimal text at the run's scale; absent if unknown
    int scale = 0;

    StageSeconds stages_seconds;       // wall time of each stage, as seen by rank 0
    std::vector<RankSummary> ranks;
};

// ISO-8601 UTC with milliseconds, e.g. 2026-11-25T14:01:02.345Z.
std::string format_utc(double unix_seconds);

// `n` and the noun, singular for one: "1 rank", "2 ranks", "0 bad rows".
std::string counted(uint64_t n, std::string_view singular, std::string_view plural);

// The line rank 0 logs at the end of a run that succeeded, e.g. "12 transfers (10 accepted, 1 rejected,
// 1 bad row) in 1 country on 2 ranks in 0.250 s (48 transfers/s); conservation holds in every country;
// balances in out.csv". `output` "-" is said as stdout, any other path through one_line.
std::string run_summary_line(const RunSummary& summary, int ranks, double elapsed_seconds, std::string_view output);

}  // namespace ledger
